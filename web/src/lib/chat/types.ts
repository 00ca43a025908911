// The chat shapes the client keeps, named as in server/src/api/schema.graphql
// (Message, Reaction, ...), reduced to the fields the stores need. The
// GraphQL results are structurally compatible with these.

export interface UserRef {
  id: string;
  displayName: string;
}

export interface Reaction {
  emoji: string;
  count: number;
  users: UserRef[];
}

export type DeliveryStatus = 'SENT' | 'DELIVERED' | 'READ';

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string | null;
  sender: UserRef;
  kind: 'TEXT' | 'SYSTEM' | 'CALL';
  body: string;
  replyToId: string | null;
  reactions: Reaction[];
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  status?: DeliveryStatus | null;
  /** SYSTEM messages: what happened, to whom, and a new title or role. */
  action?: string | null;
  actionDetail?: string | null;
  actionUsers?: UserRef[];
  /** CALL messages: the call it records. */
  call?: import('@/lib/call/call-text').CallSummaryLike | null;
}

/** A message this device wrote that the server has not confirmed yet. */
export interface PendingMessage {
  clientId: string;
  conversationId: string;
  sender: UserRef;
  body: string;
  replyToId: string | null;
  /** Members mentioned with @ (sent as SendMessageInput.mentionIds). */
  mentionIds?: string[];
  createdAt: string;
  /** 'queued': waiting to be sent (offline or in flight); 'failed': refused, needs the user. */
  state: 'queued' | 'failed';
  error?: string;
}
