/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CallAction =
  | 'ACTIVE_SPEAKER'
  | 'DECLINED'
  | 'ENDED'
  | 'JOINED'
  | 'LEFT'
  /** Mute, camera or screen share changed. */
  | 'MEDIA_CHANGED'
  /** The call was answered and the ring timeout passed: nobody rings any more. */
  | 'RINGING_STOPPED'
  | 'STARTED';

export type CallMediaInput = {
  callId: string | number;
  cameraOn?: boolean | null | undefined;
  muted?: boolean | null | undefined;
  participantId: string | number;
  screenSharing?: boolean | null | undefined;
};

export type CallResult =
  /** The (direct) callee was in another call. */
  | 'BUSY'
  /** The caller hung up before anyone answered. */
  | 'CANCELLED'
  /** Someone answered. */
  | 'COMPLETED'
  /** The (direct) callee declined. */
  | 'DECLINED'
  /** Nobody answered in time. */
  | 'MISSED';

export type CallState =
  | 'ENDED'
  | 'ONGOING'
  /** Nobody but the caller has joined yet. */
  | 'RINGING';

export type ContactRequestStatus =
  | 'ACCEPTED'
  | 'CANCELLED'
  | 'DECLINED'
  | 'PENDING';

export type ConversationKind =
  | 'DIRECT'
  | 'GROUP';

export type DeliveryStatus =
  /** Every other member has it on a device. */
  | 'DELIVERED'
  /** Every other member has read it. */
  | 'READ'
  /** Stored by the server. */
  | 'SENT';

export type JoinCallInput = {
  callId: string | number;
  /** This device's SDP offer for sending (may come later with publishCallMedia). */
  offer?: string | null | undefined;
  screenMid?: string | null | undefined;
};

export type MemberRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type MembershipAction =
  | 'ADDED'
  | 'CREATED'
  | 'LEFT'
  | 'OWNERSHIP_TRANSFERRED'
  | 'REMOVED'
  | 'RENAMED'
  | 'ROLE_CHANGED';

export type MessageKind =
  /** A finished call recorded in the timeline (see call); sender is the caller. */
  | 'CALL'
  /** A membership change recorded in the timeline (see action). */
  | 'SYSTEM'
  /** Written by a member. */
  | 'TEXT';

export type PresenceStatus =
  | 'AWAY'
  | 'BUSY'
  | 'OFFLINE'
  | 'ONLINE';

export type PublishCallMediaInput = {
  callId: string | number;
  offer: string;
  participantId: string | number;
  /** The offer's section (mid) that carries a screen share, if any. */
  screenMid?: string | null | undefined;
};

export type SendMessageInput = {
  /** 1 byte to 16 KiB of UTF-8, not only whitespace. */
  body: string;
  /** Chosen by the client (at most 64 characters) so that a retry never doubles the message. */
  clientId: string;
  conversationId: string | number;
  /** Members mentioned with @. */
  mentionIds?: Array<string | number> | null | undefined;
  replyToId?: string | number | null | undefined;
};

export type SignInInput = {
  email: string;
  password: string;
  /** Reserved for two-factor sign-in. */
  totpCode?: string | null | undefined;
};

export type SignUpInput = {
  /** 1 to 64 characters. */
  displayName: string;
  /** Any valid address; stored lower-cased and trimmed. */
  email: string;
  /** 10 to 256 characters, not a commonly used password. */
  password: string;
};

export type StartCallInput = {
  conversationId: string | number;
  /** This device's SDP offer for sending (may come later with publishCallMedia). */
  offer?: string | null | undefined;
  /** The offer's section (mid) that carries a screen share, if any. */
  screenMid?: string | null | undefined;
  video?: boolean | null | undefined;
};

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, displayName: string, email: string | null, createdAt: string | null } } };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, displayName: string, email: string | null, createdAt: string | null } } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { refreshSession: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, displayName: string, email: string | null, createdAt: string | null } } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, displayName: string, email: string | null, createdAt: string | null } };

export type SessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionsQuery = { sessions: Array<{ id: string, createdAt: string, lastUsedAt: string, expiresAt: string, ip: string | null, userAgent: string | null, current: boolean }> };

export type RevokeSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeSessionMutation = { revokeSession: boolean };

export type EventsSubscriptionVariables = Exact<{
  since?: string | null | undefined;
}>;


export type EventsSubscription = { events:
    | { __typename: 'BlockEvent', blocked: boolean, cursor: string, user: { id: string, displayName: string } }
    | { __typename: 'CallEvent', cursor: string, callAction: CallAction, call: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } }
    | { __typename: 'CallOfferEvent', callId: string, participantId: string, sdp: string, cursor: string }
    | { __typename: 'ContactEvent', contact: boolean, cursor: string, users: Array<{ id: string, displayName: string }> }
    | { __typename: 'ContactRequestEvent', cursor: string, request: { id: string, note: string | null, status: ContactRequestStatus, createdAt: string, respondedAt: string | null, from: { id: string, displayName: string }, to: { id: string, displayName: string } } }
    | { __typename: 'MembershipEvent', action: MembershipAction, cursor: string, users: Array<{ id: string, displayName: string }>, conversation: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null }, systemMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null }
    | { __typename: 'MessageCreatedEvent', cursor: string, message: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } }
    | { __typename: 'MessageDeletedEvent', cursor: string, message: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } }
    | { __typename: 'MessageEditedEvent', cursor: string, message: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } }
    | { __typename: 'PresenceEvent', cursor: string, user: { id: string, displayName: string }, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } }
    | { __typename: 'ReactionEvent', cursor: string, message: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } }
    | { __typename: 'ReceiptEvent', conversationId: string, readSeq: number, deliveredSeq: number, cursor: string, user: { id: string, displayName: string } }
    | { __typename: 'SessionCreatedEvent', cursor: string, session: { id: string, createdAt: string, lastUsedAt: string, expiresAt: string, ip: string | null, userAgent: string | null, current: boolean } }
    | { __typename: 'SessionRevokedEvent', sessionId: string, cursor: string }
    | { __typename: 'TypingEvent', conversationId: string, typing: boolean, expiresAt: string, cursor: string, user: { id: string, displayName: string } }
   };

export type MessageFieldsFragment = { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null };

export type CallFieldsFragment = { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> };

export type ActiveCallsQueryVariables = Exact<{ [key: string]: never; }>;


export type ActiveCallsQuery = { activeCalls: Array<{ id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> }> };

export type ConversationFieldsFragment = { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null };

export type ContactRequestFieldsFragment = { id: string, note: string | null, status: ContactRequestStatus, createdAt: string, respondedAt: string | null, from: { id: string, displayName: string }, to: { id: string, displayName: string } };

export type UserFieldsFragment = { id: string, displayName: string, isContact: boolean | null, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null };

export type EventCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type EventCursorQuery = { eventCursor: string };

export type ChatStartQueryVariables = Exact<{ [key: string]: never; }>;


export type ChatStartQuery = { me: { id: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null }, conversations: Array<{ id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null }>, contactRequests: Array<{ id: string, note: string | null, status: ContactRequestStatus, createdAt: string, respondedAt: string | null, from: { id: string, displayName: string }, to: { id: string, displayName: string } }>, contacts: Array<{ id: string, displayName: string, isContact: boolean | null, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null }>, presenceSettings: { awayAfterSeconds: number, typingTimeoutSeconds: number } };

export type ConversationsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConversationsQuery = { conversations: Array<{ id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null }> };

export type ConversationQueryVariables = Exact<{
  id: string | number;
}>;


export type ConversationQuery = { conversation: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type MessagesQueryVariables = Exact<{
  conversationId: string | number;
  beforeSeq?: number | null | undefined;
  afterSeq?: number | null | undefined;
  aroundSeq?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type MessagesQuery = { messages: Array<{ id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, readBy: Array<{ id: string, displayName: string }> | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null }> };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } };

export type EditMessageMutationVariables = Exact<{
  id: string | number;
  body: string;
}>;


export type EditMessageMutation = { editMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } };

export type DeleteMessageMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteMessageMutation = { deleteMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } };

export type AddReactionMutationVariables = Exact<{
  messageId: string | number;
  emoji: string;
}>;


export type AddReactionMutation = { addReaction: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } };

export type RemoveReactionMutationVariables = Exact<{
  messageId: string | number;
  emoji: string;
}>;


export type RemoveReactionMutation = { removeReaction: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } };

export type MarkReadMutationVariables = Exact<{
  conversationId: string | number;
  seq: number;
}>;


export type MarkReadMutation = { markRead: boolean };

export type SetTypingMutationVariables = Exact<{
  conversationId: string | number;
  typing: boolean;
}>;


export type SetTypingMutation = { setTyping: boolean };

export type SearchUsersQueryVariables = Exact<{
  query: string;
}>;


export type SearchUsersQuery = { searchUsers: Array<{ id: string, displayName: string, isContact: boolean | null, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null }> };

export type RequestContactMutationVariables = Exact<{
  userId: string | number;
  note?: string | null | undefined;
}>;


export type RequestContactMutation = { requestContact: { id: string, note: string | null, status: ContactRequestStatus, createdAt: string, respondedAt: string | null, from: { id: string, displayName: string }, to: { id: string, displayName: string } } };

export type RespondContactMutationVariables = Exact<{
  requestId: string | number;
  accept: boolean;
}>;


export type RespondContactMutation = { respondContact: { id: string, note: string | null, status: ContactRequestStatus, createdAt: string, respondedAt: string | null, from: { id: string, displayName: string }, to: { id: string, displayName: string } } };

export type CreateDirectConversationMutationVariables = Exact<{
  userId: string | number;
}>;


export type CreateDirectConversationMutation = { createDirectConversation: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type SetPresenceMutationVariables = Exact<{
  status: PresenceStatus;
  text?: string | null | undefined;
}>;


export type SetPresenceMutation = { setPresence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } };

export type SetIdleMutationVariables = Exact<{
  idle: boolean;
}>;


export type SetIdleMutation = { setIdle: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } };

export type CreateGroupMutationVariables = Exact<{
  title: string;
  memberIds: Array<string | number> | string | number;
}>;


export type CreateGroupMutation = { createGroupConversation: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type RenameConversationMutationVariables = Exact<{
  id: string | number;
  title: string;
}>;


export type RenameConversationMutation = { renameConversation: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type AddMembersMutationVariables = Exact<{
  id: string | number;
  userIds: Array<string | number> | string | number;
}>;


export type AddMembersMutation = { addMembers: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type RemoveMemberMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type SetMemberRoleMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
  role: MemberRole;
}>;


export type SetMemberRoleMutation = { setMemberRole: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type TransferOwnershipMutationVariables = Exact<{
  id: string | number;
  userId: string | number;
}>;


export type TransferOwnershipMutation = { transferOwnership: { id: string, kind: ConversationKind, title: string, createdAt: string, lastActivityAt: string, lastSeq: number, myRole: MemberRole | null, unreadCount: number | null, members: Array<{ role: MemberRole, joinedAt: string, readSeq: number, deliveredSeq: number, user: { id: string, displayName: string, presence: { status: PresenceStatus, text: string | null, lastSeenAt: string | null } | null } }>, lastMessage: { id: string, conversationId: string, seq: number, clientId: string | null, kind: MessageKind, body: string, replyToId: string | null, createdAt: string, editedAt: string | null, deleted: boolean, status: DeliveryStatus | null, action: MembershipAction | null, actionDetail: string | null, sender: { id: string, displayName: string }, reactions: Array<{ emoji: string, count: number, users: Array<{ id: string, displayName: string }> }>, mentions: Array<{ id: string, displayName: string }>, actionUsers: Array<{ id: string, displayName: string }>, call: { video: boolean, result: CallResult, durationSeconds: number } | null } | null } };

export type LeaveConversationMutationVariables = Exact<{
  id: string | number;
}>;


export type LeaveConversationMutation = { leaveConversation: boolean };

export type BlockUserMutationVariables = Exact<{
  userId: string | number;
}>;


export type BlockUserMutation = { blockUser: boolean };

export type UnblockUserMutationVariables = Exact<{
  userId: string | number;
}>;


export type UnblockUserMutation = { unblockUser: boolean };

export type BlockedUsersQueryVariables = Exact<{ [key: string]: never; }>;


export type BlockedUsersQuery = { blockedUsers: Array<{ id: string, displayName: string }> };

export type SearchMessagesQueryVariables = Exact<{
  query: string;
}>;


export type SearchMessagesQuery = { searchMessages: Array<{ id: string, conversationId: string, seq: number, snippet: string | null, createdAt: string, sender: { id: string, displayName: string }, conversation: { id: string, title: string } | null }> };

export type CancelContactRequestMutationVariables = Exact<{
  requestId: string | number;
}>;


export type CancelContactRequestMutation = { cancelContactRequest: { id: string, note: string | null, status: ContactRequestStatus, createdAt: string, respondedAt: string | null, from: { id: string, displayName: string }, to: { id: string, displayName: string } } };

export type RemoveContactMutationVariables = Exact<{
  userId: string | number;
}>;


export type RemoveContactMutation = { removeContact: boolean };

export type IceServersQueryVariables = Exact<{ [key: string]: never; }>;


export type IceServersQuery = { iceServers: Array<{ urls: Array<string>, username: string | null, credential: string | null }> };

export type StartCallMutationVariables = Exact<{
  input: StartCallInput;
}>;


export type StartCallMutation = { startCall: { participantId: string, answer: string | null, call: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } } };

export type AcceptCallMutationVariables = Exact<{
  input: JoinCallInput;
}>;


export type AcceptCallMutation = { acceptCall: { participantId: string, answer: string | null, call: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } } };

export type JoinCallMutationVariables = Exact<{
  input: JoinCallInput;
}>;


export type JoinCallMutation = { joinCall: { participantId: string, answer: string | null, call: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } } };

export type DeclineCallMutationVariables = Exact<{
  callId: string | number;
}>;


export type DeclineCallMutation = { declineCall: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } };

export type LeaveCallMutationVariables = Exact<{
  callId: string | number;
  participantId: string | number;
}>;


export type LeaveCallMutation = { leaveCall: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } };

export type EndCallMutationVariables = Exact<{
  callId: string | number;
}>;


export type EndCallMutation = { endCall: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } };

export type PublishCallMediaMutationVariables = Exact<{
  input: PublishCallMediaInput;
}>;


export type PublishCallMediaMutation = { publishCallMedia: string };

export type AnswerCallOfferMutationVariables = Exact<{
  callId: string | number;
  participantId: string | number;
  sdp: string;
}>;


export type AnswerCallOfferMutation = { answerCallOffer: boolean };

export type SetCallMediaMutationVariables = Exact<{
  input: CallMediaInput;
}>;


export type SetCallMediaMutation = { setCallMedia: { id: string, conversationId: string, video: boolean, state: CallState, result: CallResult | null, startedAt: string, answeredAt: string | null, activeSpeakerId: string | null, caller: { id: string, displayName: string }, participants: Array<{ id: string, muted: boolean, cameraOn: boolean, screenSharing: boolean, user: { id: string, displayName: string } }>, ringing: Array<{ id: string }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CallFieldsFragmentDoc = new TypedDocumentString(`
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}
    `, {"fragmentName":"CallFields"}) as unknown as TypedDocumentString<CallFieldsFragment, unknown>;
export const MessageFieldsFragmentDoc = new TypedDocumentString(`
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
    `, {"fragmentName":"MessageFields"}) as unknown as TypedDocumentString<MessageFieldsFragment, unknown>;
export const ConversationFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`, {"fragmentName":"ConversationFields"}) as unknown as TypedDocumentString<ConversationFieldsFragment, unknown>;
export const ContactRequestFieldsFragmentDoc = new TypedDocumentString(`
    fragment ContactRequestFields on ContactRequest {
  id
  note
  status
  createdAt
  respondedAt
  from {
    id
    displayName
  }
  to {
    id
    displayName
  }
}
    `, {"fragmentName":"ContactRequestFields"}) as unknown as TypedDocumentString<ContactRequestFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  displayName
  isContact
  presence {
    status
    text
    lastSeenAt
  }
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    user {
      id
      displayName
      email
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    user {
      id
      displayName
      email
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    user {
      id
      displayName
      email
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    displayName
    email
    createdAt
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SessionsDocument = new TypedDocumentString(`
    query Sessions {
  sessions {
    id
    createdAt
    lastUsedAt
    expiresAt
    ip
    userAgent
    current
  }
}
    `) as unknown as TypedDocumentString<SessionsQuery, SessionsQueryVariables>;
export const RevokeSessionDocument = new TypedDocumentString(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeSessionMutation, RevokeSessionMutationVariables>;
export const EventsDocument = new TypedDocumentString(`
    subscription Events($since: String) {
  events(since: $since) {
    __typename
    cursor
    ... on SessionCreatedEvent {
      session {
        id
        createdAt
        lastUsedAt
        expiresAt
        ip
        userAgent
        current
      }
    }
    ... on SessionRevokedEvent {
      sessionId
    }
    ... on MessageCreatedEvent {
      message {
        ...MessageFields
      }
    }
    ... on MessageEditedEvent {
      message {
        ...MessageFields
      }
    }
    ... on MessageDeletedEvent {
      message {
        ...MessageFields
      }
    }
    ... on ReactionEvent {
      message {
        ...MessageFields
      }
    }
    ... on ReceiptEvent {
      conversationId
      readSeq
      deliveredSeq
      user {
        id
        displayName
      }
    }
    ... on TypingEvent {
      conversationId
      typing
      expiresAt
      user {
        id
        displayName
      }
    }
    ... on PresenceEvent {
      user {
        id
        displayName
      }
      presence {
        status
        text
        lastSeenAt
      }
    }
    ... on ContactRequestEvent {
      request {
        ...ContactRequestFields
      }
    }
    ... on ContactEvent {
      contact
      users {
        id
        displayName
      }
    }
    ... on BlockEvent {
      blocked
      user {
        id
        displayName
      }
    }
    ... on MembershipEvent {
      action
      users {
        id
        displayName
      }
      conversation {
        ...ConversationFields
      }
      systemMessage {
        ...MessageFields
      }
    }
    ... on CallEvent {
      callAction: action
      call {
        ...CallFields
      }
    }
    ... on CallOfferEvent {
      callId
      participantId
      sdp
    }
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment ContactRequestFields on ContactRequest {
  id
  note
  status
  createdAt
  respondedAt
  from {
    id
    displayName
  }
  to {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<EventsSubscription, EventsSubscriptionVariables>;
export const ActiveCallsDocument = new TypedDocumentString(`
    query ActiveCalls {
  activeCalls {
    ...CallFields
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<ActiveCallsQuery, ActiveCallsQueryVariables>;
export const EventCursorDocument = new TypedDocumentString(`
    query EventCursor {
  eventCursor
}
    `) as unknown as TypedDocumentString<EventCursorQuery, EventCursorQueryVariables>;
export const ChatStartDocument = new TypedDocumentString(`
    query ChatStart {
  me {
    id
    presence {
      status
      text
      lastSeenAt
    }
  }
  conversations {
    ...ConversationFields
  }
  contactRequests {
    ...ContactRequestFields
  }
  contacts {
    ...UserFields
  }
  presenceSettings {
    awayAfterSeconds
    typingTimeoutSeconds
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}
fragment ContactRequestFields on ContactRequest {
  id
  note
  status
  createdAt
  respondedAt
  from {
    id
    displayName
  }
  to {
    id
    displayName
  }
}
fragment UserFields on User {
  id
  displayName
  isContact
  presence {
    status
    text
    lastSeenAt
  }
}`) as unknown as TypedDocumentString<ChatStartQuery, ChatStartQueryVariables>;
export const ConversationsDocument = new TypedDocumentString(`
    query Conversations {
  conversations {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<ConversationsQuery, ConversationsQueryVariables>;
export const ConversationDocument = new TypedDocumentString(`
    query Conversation($id: ID!) {
  conversation(id: $id) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<ConversationQuery, ConversationQueryVariables>;
export const MessagesDocument = new TypedDocumentString(`
    query Messages($conversationId: ID!, $beforeSeq: Int, $afterSeq: Int, $aroundSeq: Int, $limit: Int) {
  messages(
    conversationId: $conversationId
    beforeSeq: $beforeSeq
    afterSeq: $afterSeq
    aroundSeq: $aroundSeq
    limit: $limit
  ) {
    ...MessageFields
    readBy {
      id
      displayName
    }
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`) as unknown as TypedDocumentString<MessagesQuery, MessagesQueryVariables>;
export const SendMessageDocument = new TypedDocumentString(`
    mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`) as unknown as TypedDocumentString<SendMessageMutation, SendMessageMutationVariables>;
export const EditMessageDocument = new TypedDocumentString(`
    mutation EditMessage($id: ID!, $body: String!) {
  editMessage(id: $id, body: $body) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`) as unknown as TypedDocumentString<EditMessageMutation, EditMessageMutationVariables>;
export const DeleteMessageDocument = new TypedDocumentString(`
    mutation DeleteMessage($id: ID!) {
  deleteMessage(id: $id) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`) as unknown as TypedDocumentString<DeleteMessageMutation, DeleteMessageMutationVariables>;
export const AddReactionDocument = new TypedDocumentString(`
    mutation AddReaction($messageId: ID!, $emoji: String!) {
  addReaction(messageId: $messageId, emoji: $emoji) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`) as unknown as TypedDocumentString<AddReactionMutation, AddReactionMutationVariables>;
export const RemoveReactionDocument = new TypedDocumentString(`
    mutation RemoveReaction($messageId: ID!, $emoji: String!) {
  removeReaction(messageId: $messageId, emoji: $emoji) {
    ...MessageFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}`) as unknown as TypedDocumentString<RemoveReactionMutation, RemoveReactionMutationVariables>;
export const MarkReadDocument = new TypedDocumentString(`
    mutation MarkRead($conversationId: ID!, $seq: Int!) {
  markRead(conversationId: $conversationId, seq: $seq)
}
    `) as unknown as TypedDocumentString<MarkReadMutation, MarkReadMutationVariables>;
export const SetTypingDocument = new TypedDocumentString(`
    mutation SetTyping($conversationId: ID!, $typing: Boolean!) {
  setTyping(conversationId: $conversationId, typing: $typing)
}
    `) as unknown as TypedDocumentString<SetTypingMutation, SetTypingMutationVariables>;
export const SearchUsersDocument = new TypedDocumentString(`
    query SearchUsers($query: String!) {
  searchUsers(query: $query, limit: 20) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  displayName
  isContact
  presence {
    status
    text
    lastSeenAt
  }
}`) as unknown as TypedDocumentString<SearchUsersQuery, SearchUsersQueryVariables>;
export const RequestContactDocument = new TypedDocumentString(`
    mutation RequestContact($userId: ID!, $note: String) {
  requestContact(userId: $userId, note: $note) {
    ...ContactRequestFields
  }
}
    fragment ContactRequestFields on ContactRequest {
  id
  note
  status
  createdAt
  respondedAt
  from {
    id
    displayName
  }
  to {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<RequestContactMutation, RequestContactMutationVariables>;
export const RespondContactDocument = new TypedDocumentString(`
    mutation RespondContact($requestId: ID!, $accept: Boolean!) {
  respondContact(requestId: $requestId, accept: $accept) {
    ...ContactRequestFields
  }
}
    fragment ContactRequestFields on ContactRequest {
  id
  note
  status
  createdAt
  respondedAt
  from {
    id
    displayName
  }
  to {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<RespondContactMutation, RespondContactMutationVariables>;
export const CreateDirectConversationDocument = new TypedDocumentString(`
    mutation CreateDirectConversation($userId: ID!) {
  createDirectConversation(userId: $userId) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<CreateDirectConversationMutation, CreateDirectConversationMutationVariables>;
export const SetPresenceDocument = new TypedDocumentString(`
    mutation SetPresence($status: PresenceStatus!, $text: String) {
  setPresence(status: $status, text: $text) {
    status
    text
    lastSeenAt
  }
}
    `) as unknown as TypedDocumentString<SetPresenceMutation, SetPresenceMutationVariables>;
export const SetIdleDocument = new TypedDocumentString(`
    mutation SetIdle($idle: Boolean!) {
  setIdle(idle: $idle) {
    status
    text
    lastSeenAt
  }
}
    `) as unknown as TypedDocumentString<SetIdleMutation, SetIdleMutationVariables>;
export const CreateGroupDocument = new TypedDocumentString(`
    mutation CreateGroup($title: String!, $memberIds: [ID!]!) {
  createGroupConversation(title: $title, memberIds: $memberIds) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<CreateGroupMutation, CreateGroupMutationVariables>;
export const RenameConversationDocument = new TypedDocumentString(`
    mutation RenameConversation($id: ID!, $title: String!) {
  renameConversation(conversationId: $id, title: $title) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<RenameConversationMutation, RenameConversationMutationVariables>;
export const AddMembersDocument = new TypedDocumentString(`
    mutation AddMembers($id: ID!, $userIds: [ID!]!) {
  addMembers(conversationId: $id, userIds: $userIds) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<AddMembersMutation, AddMembersMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($id: ID!, $userId: ID!) {
  removeMember(conversationId: $id, userId: $userId) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const SetMemberRoleDocument = new TypedDocumentString(`
    mutation SetMemberRole($id: ID!, $userId: ID!, $role: MemberRole!) {
  setMemberRole(conversationId: $id, userId: $userId, role: $role) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<SetMemberRoleMutation, SetMemberRoleMutationVariables>;
export const TransferOwnershipDocument = new TypedDocumentString(`
    mutation TransferOwnership($id: ID!, $userId: ID!) {
  transferOwnership(conversationId: $id, userId: $userId) {
    ...ConversationFields
  }
}
    fragment MessageFields on Message {
  id
  conversationId
  seq
  clientId
  kind
  body
  replyToId
  createdAt
  editedAt
  deleted
  status
  sender {
    id
    displayName
  }
  reactions {
    emoji
    count
    users {
      id
      displayName
    }
  }
  mentions {
    id
    displayName
  }
  action
  actionDetail
  actionUsers {
    id
    displayName
  }
  call {
    video
    result
    durationSeconds
  }
}
fragment ConversationFields on Conversation {
  id
  kind
  title
  createdAt
  lastActivityAt
  lastSeq
  myRole
  unreadCount
  members {
    role
    joinedAt
    readSeq
    deliveredSeq
    user {
      id
      displayName
      presence {
        status
        text
        lastSeenAt
      }
    }
  }
  lastMessage {
    ...MessageFields
  }
}`) as unknown as TypedDocumentString<TransferOwnershipMutation, TransferOwnershipMutationVariables>;
export const LeaveConversationDocument = new TypedDocumentString(`
    mutation LeaveConversation($id: ID!) {
  leaveConversation(conversationId: $id)
}
    `) as unknown as TypedDocumentString<LeaveConversationMutation, LeaveConversationMutationVariables>;
export const BlockUserDocument = new TypedDocumentString(`
    mutation BlockUser($userId: ID!) {
  blockUser(userId: $userId)
}
    `) as unknown as TypedDocumentString<BlockUserMutation, BlockUserMutationVariables>;
export const UnblockUserDocument = new TypedDocumentString(`
    mutation UnblockUser($userId: ID!) {
  unblockUser(userId: $userId)
}
    `) as unknown as TypedDocumentString<UnblockUserMutation, UnblockUserMutationVariables>;
export const BlockedUsersDocument = new TypedDocumentString(`
    query BlockedUsers {
  blockedUsers {
    id
    displayName
  }
}
    `) as unknown as TypedDocumentString<BlockedUsersQuery, BlockedUsersQueryVariables>;
export const SearchMessagesDocument = new TypedDocumentString(`
    query SearchMessages($query: String!) {
  searchMessages(query: $query, limit: 20) {
    id
    conversationId
    seq
    snippet
    createdAt
    sender {
      id
      displayName
    }
    conversation {
      id
      title
    }
  }
}
    `) as unknown as TypedDocumentString<SearchMessagesQuery, SearchMessagesQueryVariables>;
export const CancelContactRequestDocument = new TypedDocumentString(`
    mutation CancelContactRequest($requestId: ID!) {
  cancelContactRequest(requestId: $requestId) {
    ...ContactRequestFields
  }
}
    fragment ContactRequestFields on ContactRequest {
  id
  note
  status
  createdAt
  respondedAt
  from {
    id
    displayName
  }
  to {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<CancelContactRequestMutation, CancelContactRequestMutationVariables>;
export const RemoveContactDocument = new TypedDocumentString(`
    mutation RemoveContact($userId: ID!) {
  removeContact(userId: $userId)
}
    `) as unknown as TypedDocumentString<RemoveContactMutation, RemoveContactMutationVariables>;
export const IceServersDocument = new TypedDocumentString(`
    query IceServers {
  iceServers {
    urls
    username
    credential
  }
}
    `) as unknown as TypedDocumentString<IceServersQuery, IceServersQueryVariables>;
export const StartCallDocument = new TypedDocumentString(`
    mutation StartCall($input: StartCallInput!) {
  startCall(input: $input) {
    participantId
    answer
    call {
      ...CallFields
    }
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<StartCallMutation, StartCallMutationVariables>;
export const AcceptCallDocument = new TypedDocumentString(`
    mutation AcceptCall($input: JoinCallInput!) {
  acceptCall(input: $input) {
    participantId
    answer
    call {
      ...CallFields
    }
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<AcceptCallMutation, AcceptCallMutationVariables>;
export const JoinCallDocument = new TypedDocumentString(`
    mutation JoinCall($input: JoinCallInput!) {
  joinCall(input: $input) {
    participantId
    answer
    call {
      ...CallFields
    }
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<JoinCallMutation, JoinCallMutationVariables>;
export const DeclineCallDocument = new TypedDocumentString(`
    mutation DeclineCall($callId: ID!) {
  declineCall(callId: $callId) {
    ...CallFields
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<DeclineCallMutation, DeclineCallMutationVariables>;
export const LeaveCallDocument = new TypedDocumentString(`
    mutation LeaveCall($callId: ID!, $participantId: ID!) {
  leaveCall(callId: $callId, participantId: $participantId) {
    ...CallFields
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<LeaveCallMutation, LeaveCallMutationVariables>;
export const EndCallDocument = new TypedDocumentString(`
    mutation EndCall($callId: ID!) {
  endCall(callId: $callId) {
    ...CallFields
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<EndCallMutation, EndCallMutationVariables>;
export const PublishCallMediaDocument = new TypedDocumentString(`
    mutation PublishCallMedia($input: PublishCallMediaInput!) {
  publishCallMedia(input: $input)
}
    `) as unknown as TypedDocumentString<PublishCallMediaMutation, PublishCallMediaMutationVariables>;
export const AnswerCallOfferDocument = new TypedDocumentString(`
    mutation AnswerCallOffer($callId: ID!, $participantId: ID!, $sdp: String!) {
  answerCallOffer(callId: $callId, participantId: $participantId, sdp: $sdp)
}
    `) as unknown as TypedDocumentString<AnswerCallOfferMutation, AnswerCallOfferMutationVariables>;
export const SetCallMediaDocument = new TypedDocumentString(`
    mutation SetCallMedia($input: CallMediaInput!) {
  setCallMedia(input: $input) {
    ...CallFields
  }
}
    fragment CallFields on Call {
  id
  conversationId
  video
  state
  result
  startedAt
  answeredAt
  activeSpeakerId
  caller {
    id
    displayName
  }
  participants {
    id
    muted
    cameraOn
    screenSharing
    user {
      id
      displayName
    }
  }
  ringing {
    id
  }
}`) as unknown as TypedDocumentString<SetCallMediaMutation, SetCallMediaMutationVariables>;