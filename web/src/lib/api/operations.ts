// Every GraphQL operation the client sends. graphql-codegen reads these
// (see codegen.ts) and types them against server/src/api/schema.graphql.
import { graphql } from '@/gql';

export const AuthFields = `accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt }`;

export const SignUpDocument = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }
  }
`);

export const SignInDocument = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }
  }
`);

export const RefreshSessionDocument = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt }
    }
  }
`);

export const SignOutDocument = graphql(`
  mutation SignOut { signOut }
`);

export const MeDocument = graphql(`
  query Me { me { id displayName email createdAt } }
`);

export const SessionsDocument = graphql(`
  query Sessions { sessions { id createdAt lastUsedAt expiresAt ip userAgent current } }
`);

export const RevokeSessionDocument = graphql(`
  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }
`);

// Per-viewer fields (Message.status, readBy, Conversation.unreadCount...)
// are null in events; the stores keep the last known values.
export const EventsDocument = graphql(`
  subscription Events($since: String) {
    events(since: $since) {
      __typename
      cursor
      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }
      ... on SessionRevokedEvent { sessionId }
      ... on MessageCreatedEvent { message { ...MessageFields } }
      ... on MessageEditedEvent { message { ...MessageFields } }
      ... on MessageDeletedEvent { message { ...MessageFields } }
      ... on ReactionEvent { message { ...MessageFields } }
      ... on ReceiptEvent { conversationId readSeq deliveredSeq user { id displayName } }
      ... on TypingEvent { conversationId typing expiresAt user { id displayName } }
      ... on PresenceEvent { user { id displayName } presence { status text lastSeenAt } }
      ... on ContactRequestEvent { request { ...ContactRequestFields } }
      ... on ContactEvent { contact users { id displayName } }
      ... on BlockEvent { blocked user { id displayName } }
      ... on MembershipEvent {
        action
        users { id displayName }
        conversation { ...ConversationFields }
        systemMessage { ...MessageFields }
      }
    }
  }
`);

export const MessageFieldsFragment = graphql(`
  fragment MessageFields on Message {
    id conversationId seq clientId kind body replyToId createdAt editedAt deleted status
    sender { id displayName }
    reactions { emoji count users { id displayName } }
    mentions { id displayName }
    action actionDetail actionUsers { id displayName }
  }
`);

export const ConversationFieldsFragment = graphql(`
  fragment ConversationFields on Conversation {
    id kind title createdAt lastActivityAt lastSeq myRole unreadCount
    members { role joinedAt readSeq deliveredSeq user { id displayName presence { status text lastSeenAt } } }
    lastMessage { ...MessageFields }
  }
`);

export const ContactRequestFieldsFragment = graphql(`
  fragment ContactRequestFields on ContactRequest {
    id note status createdAt respondedAt
    from { id displayName }
    to { id displayName }
  }
`);

export const UserFieldsFragment = graphql(`
  fragment UserFields on User {
    id displayName isContact presence { status text lastSeenAt }
  }
`);

export const EventCursorDocument = graphql(`
  query EventCursor { eventCursor }
`);

export const ChatStartDocument = graphql(`
  query ChatStart {
    conversations { ...ConversationFields }
    contactRequests { ...ContactRequestFields }
    contacts { ...UserFields }
    presenceSettings { awayAfterSeconds typingTimeoutSeconds }
  }
`);

export const ConversationsDocument = graphql(`
  query Conversations { conversations { ...ConversationFields } }
`);

export const ConversationDocument = graphql(`
  query Conversation($id: ID!) { conversation(id: $id) { ...ConversationFields } }
`);

export const MessagesDocument = graphql(`
  query Messages($conversationId: ID!, $beforeSeq: Int, $afterSeq: Int, $limit: Int) {
    messages(conversationId: $conversationId, beforeSeq: $beforeSeq, afterSeq: $afterSeq, limit: $limit) {
      ...MessageFields
      readBy { id displayName }
    }
  }
`);

export const SendMessageDocument = graphql(`
  mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { ...MessageFields } }
`);

export const EditMessageDocument = graphql(`
  mutation EditMessage($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { ...MessageFields } }
`);

export const DeleteMessageDocument = graphql(`
  mutation DeleteMessage($id: ID!) { deleteMessage(id: $id) { ...MessageFields } }
`);

export const AddReactionDocument = graphql(`
  mutation AddReaction($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }
`);

export const RemoveReactionDocument = graphql(`
  mutation RemoveReaction($messageId: ID!, $emoji: String!) { removeReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }
`);

export const MarkReadDocument = graphql(`
  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) }
`);

export const SetTypingDocument = graphql(`
  mutation SetTyping($conversationId: ID!, $typing: Boolean!) { setTyping(conversationId: $conversationId, typing: $typing) }
`);

export const SearchUsersDocument = graphql(`
  query SearchUsers($query: String!) { searchUsers(query: $query, limit: 20) { ...UserFields } }
`);

export const RequestContactDocument = graphql(`
  mutation RequestContact($userId: ID!) { requestContact(userId: $userId) { ...ContactRequestFields } }
`);

export const RespondContactDocument = graphql(`
  mutation RespondContact($requestId: ID!, $accept: Boolean!) {
    respondContact(requestId: $requestId, accept: $accept) { ...ContactRequestFields }
  }
`);

export const CreateDirectConversationDocument = graphql(`
  mutation CreateDirectConversation($userId: ID!) { createDirectConversation(userId: $userId) { ...ConversationFields } }
`);
