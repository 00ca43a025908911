/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n": typeof types.SignInDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt }\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation SignOut { signOut }\n": typeof types.SignOutDocument,
    "\n  query Me { me { id displayName email createdAt } }\n": typeof types.MeDocument,
    "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt ip userAgent current } }\n": typeof types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": typeof types.RevokeSessionDocument,
    "\n  subscription Events($since: String) {\n    events(since: $since) {\n      __typename\n      cursor\n      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }\n      ... on SessionRevokedEvent { sessionId }\n      ... on MessageCreatedEvent { message { ...MessageFields } }\n      ... on MessageEditedEvent { message { ...MessageFields } }\n      ... on MessageDeletedEvent { message { ...MessageFields } }\n      ... on ReactionEvent { message { ...MessageFields } }\n      ... on ReceiptEvent { conversationId readSeq deliveredSeq user { id displayName } }\n      ... on TypingEvent { conversationId typing expiresAt user { id displayName } }\n      ... on PresenceEvent { user { id displayName } presence { status text lastSeenAt } }\n      ... on ContactRequestEvent { request { ...ContactRequestFields } }\n      ... on ContactEvent { contact users { id displayName } }\n      ... on BlockEvent { blocked user { id displayName } }\n      ... on MembershipEvent {\n        action\n        users { id displayName }\n        conversation { ...ConversationFields }\n        systemMessage { ...MessageFields }\n      }\n    }\n  }\n": typeof types.EventsDocument,
    "\n  fragment MessageFields on Message {\n    id conversationId seq clientId kind body replyToId createdAt editedAt deleted status\n    sender { id displayName }\n    reactions { emoji count users { id displayName } }\n    mentions { id displayName }\n    action actionDetail actionUsers { id displayName }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment ConversationFields on Conversation {\n    id kind title createdAt lastActivityAt lastSeq myRole unreadCount\n    members { role joinedAt readSeq deliveredSeq user { id displayName presence { status text lastSeenAt } } }\n    lastMessage { ...MessageFields }\n  }\n": typeof types.ConversationFieldsFragmentDoc,
    "\n  fragment ContactRequestFields on ContactRequest {\n    id note status createdAt respondedAt\n    from { id displayName }\n    to { id displayName }\n  }\n": typeof types.ContactRequestFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id displayName isContact presence { status text lastSeenAt }\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  query EventCursor { eventCursor }\n": typeof types.EventCursorDocument,
    "\n  query ChatStart {\n    conversations { ...ConversationFields }\n    contactRequests { ...ContactRequestFields }\n    contacts { ...UserFields }\n    presenceSettings { awayAfterSeconds typingTimeoutSeconds }\n  }\n": typeof types.ChatStartDocument,
    "\n  query Conversations { conversations { ...ConversationFields } }\n": typeof types.ConversationsDocument,
    "\n  query Conversation($id: ID!) { conversation(id: $id) { ...ConversationFields } }\n": typeof types.ConversationDocument,
    "\n  query Messages($conversationId: ID!, $beforeSeq: Int, $afterSeq: Int, $limit: Int) {\n    messages(conversationId: $conversationId, beforeSeq: $beforeSeq, afterSeq: $afterSeq, limit: $limit) {\n      ...MessageFields\n      readBy { id displayName }\n    }\n  }\n": typeof types.MessagesDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { ...MessageFields } }\n": typeof types.SendMessageDocument,
    "\n  mutation EditMessage($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { ...MessageFields } }\n": typeof types.EditMessageDocument,
    "\n  mutation DeleteMessage($id: ID!) { deleteMessage(id: $id) { ...MessageFields } }\n": typeof types.DeleteMessageDocument,
    "\n  mutation AddReaction($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }\n": typeof types.AddReactionDocument,
    "\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) { removeReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }\n": typeof types.RemoveReactionDocument,
    "\n  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) }\n": typeof types.MarkReadDocument,
    "\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) { setTyping(conversationId: $conversationId, typing: $typing) }\n": typeof types.SetTypingDocument,
    "\n  query SearchUsers($query: String!) { searchUsers(query: $query, limit: 20) { ...UserFields } }\n": typeof types.SearchUsersDocument,
    "\n  mutation RequestContact($userId: ID!) { requestContact(userId: $userId) { ...ContactRequestFields } }\n": typeof types.RequestContactDocument,
    "\n  mutation RespondContact($requestId: ID!, $accept: Boolean!) {\n    respondContact(requestId: $requestId, accept: $accept) { ...ContactRequestFields }\n  }\n": typeof types.RespondContactDocument,
    "\n  mutation CreateDirectConversation($userId: ID!) { createDirectConversation(userId: $userId) { ...ConversationFields } }\n": typeof types.CreateDirectConversationDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n": types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n": types.SignInDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt }\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation SignOut { signOut }\n": types.SignOutDocument,
    "\n  query Me { me { id displayName email createdAt } }\n": types.MeDocument,
    "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt ip userAgent current } }\n": types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": types.RevokeSessionDocument,
    "\n  subscription Events($since: String) {\n    events(since: $since) {\n      __typename\n      cursor\n      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }\n      ... on SessionRevokedEvent { sessionId }\n      ... on MessageCreatedEvent { message { ...MessageFields } }\n      ... on MessageEditedEvent { message { ...MessageFields } }\n      ... on MessageDeletedEvent { message { ...MessageFields } }\n      ... on ReactionEvent { message { ...MessageFields } }\n      ... on ReceiptEvent { conversationId readSeq deliveredSeq user { id displayName } }\n      ... on TypingEvent { conversationId typing expiresAt user { id displayName } }\n      ... on PresenceEvent { user { id displayName } presence { status text lastSeenAt } }\n      ... on ContactRequestEvent { request { ...ContactRequestFields } }\n      ... on ContactEvent { contact users { id displayName } }\n      ... on BlockEvent { blocked user { id displayName } }\n      ... on MembershipEvent {\n        action\n        users { id displayName }\n        conversation { ...ConversationFields }\n        systemMessage { ...MessageFields }\n      }\n    }\n  }\n": types.EventsDocument,
    "\n  fragment MessageFields on Message {\n    id conversationId seq clientId kind body replyToId createdAt editedAt deleted status\n    sender { id displayName }\n    reactions { emoji count users { id displayName } }\n    mentions { id displayName }\n    action actionDetail actionUsers { id displayName }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment ConversationFields on Conversation {\n    id kind title createdAt lastActivityAt lastSeq myRole unreadCount\n    members { role joinedAt readSeq deliveredSeq user { id displayName presence { status text lastSeenAt } } }\n    lastMessage { ...MessageFields }\n  }\n": types.ConversationFieldsFragmentDoc,
    "\n  fragment ContactRequestFields on ContactRequest {\n    id note status createdAt respondedAt\n    from { id displayName }\n    to { id displayName }\n  }\n": types.ContactRequestFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id displayName isContact presence { status text lastSeenAt }\n  }\n": types.UserFieldsFragmentDoc,
    "\n  query EventCursor { eventCursor }\n": types.EventCursorDocument,
    "\n  query ChatStart {\n    conversations { ...ConversationFields }\n    contactRequests { ...ContactRequestFields }\n    contacts { ...UserFields }\n    presenceSettings { awayAfterSeconds typingTimeoutSeconds }\n  }\n": types.ChatStartDocument,
    "\n  query Conversations { conversations { ...ConversationFields } }\n": types.ConversationsDocument,
    "\n  query Conversation($id: ID!) { conversation(id: $id) { ...ConversationFields } }\n": types.ConversationDocument,
    "\n  query Messages($conversationId: ID!, $beforeSeq: Int, $afterSeq: Int, $limit: Int) {\n    messages(conversationId: $conversationId, beforeSeq: $beforeSeq, afterSeq: $afterSeq, limit: $limit) {\n      ...MessageFields\n      readBy { id displayName }\n    }\n  }\n": types.MessagesDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { ...MessageFields } }\n": types.SendMessageDocument,
    "\n  mutation EditMessage($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { ...MessageFields } }\n": types.EditMessageDocument,
    "\n  mutation DeleteMessage($id: ID!) { deleteMessage(id: $id) { ...MessageFields } }\n": types.DeleteMessageDocument,
    "\n  mutation AddReaction($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }\n": types.AddReactionDocument,
    "\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) { removeReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }\n": types.RemoveReactionDocument,
    "\n  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) }\n": types.MarkReadDocument,
    "\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) { setTyping(conversationId: $conversationId, typing: $typing) }\n": types.SetTypingDocument,
    "\n  query SearchUsers($query: String!) { searchUsers(query: $query, limit: 20) { ...UserFields } }\n": types.SearchUsersDocument,
    "\n  mutation RequestContact($userId: ID!) { requestContact(userId: $userId) { ...ContactRequestFields } }\n": types.RequestContactDocument,
    "\n  mutation RespondContact($requestId: ID!, $accept: Boolean!) {\n    respondContact(requestId: $requestId, accept: $accept) { ...ContactRequestFields }\n  }\n": types.RespondContactDocument,
    "\n  mutation CreateDirectConversation($userId: ID!) { createDirectConversation(userId: $userId) { ...ConversationFields } }\n": types.CreateDirectConversationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n"): typeof import('./graphql').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt }\n    }\n  }\n"): typeof import('./graphql').RefreshSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut { signOut }\n"): typeof import('./graphql').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { id displayName email createdAt } }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt ip userAgent current } }\n"): typeof import('./graphql').SessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"): typeof import('./graphql').RevokeSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Events($since: String) {\n    events(since: $since) {\n      __typename\n      cursor\n      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }\n      ... on SessionRevokedEvent { sessionId }\n      ... on MessageCreatedEvent { message { ...MessageFields } }\n      ... on MessageEditedEvent { message { ...MessageFields } }\n      ... on MessageDeletedEvent { message { ...MessageFields } }\n      ... on ReactionEvent { message { ...MessageFields } }\n      ... on ReceiptEvent { conversationId readSeq deliveredSeq user { id displayName } }\n      ... on TypingEvent { conversationId typing expiresAt user { id displayName } }\n      ... on PresenceEvent { user { id displayName } presence { status text lastSeenAt } }\n      ... on ContactRequestEvent { request { ...ContactRequestFields } }\n      ... on ContactEvent { contact users { id displayName } }\n      ... on BlockEvent { blocked user { id displayName } }\n      ... on MembershipEvent {\n        action\n        users { id displayName }\n        conversation { ...ConversationFields }\n        systemMessage { ...MessageFields }\n      }\n    }\n  }\n"): typeof import('./graphql').EventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id conversationId seq clientId kind body replyToId createdAt editedAt deleted status\n    sender { id displayName }\n    reactions { emoji count users { id displayName } }\n    mentions { id displayName }\n    action actionDetail actionUsers { id displayName }\n  }\n"): typeof import('./graphql').MessageFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationFields on Conversation {\n    id kind title createdAt lastActivityAt lastSeq myRole unreadCount\n    members { role joinedAt readSeq deliveredSeq user { id displayName presence { status text lastSeenAt } } }\n    lastMessage { ...MessageFields }\n  }\n"): typeof import('./graphql').ConversationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactRequestFields on ContactRequest {\n    id note status createdAt respondedAt\n    from { id displayName }\n    to { id displayName }\n  }\n"): typeof import('./graphql').ContactRequestFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id displayName isContact presence { status text lastSeenAt }\n  }\n"): typeof import('./graphql').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventCursor { eventCursor }\n"): typeof import('./graphql').EventCursorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatStart {\n    conversations { ...ConversationFields }\n    contactRequests { ...ContactRequestFields }\n    contacts { ...UserFields }\n    presenceSettings { awayAfterSeconds typingTimeoutSeconds }\n  }\n"): typeof import('./graphql').ChatStartDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversations { conversations { ...ConversationFields } }\n"): typeof import('./graphql').ConversationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($id: ID!) { conversation(id: $id) { ...ConversationFields } }\n"): typeof import('./graphql').ConversationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Messages($conversationId: ID!, $beforeSeq: Int, $afterSeq: Int, $limit: Int) {\n    messages(conversationId: $conversationId, beforeSeq: $beforeSeq, afterSeq: $afterSeq, limit: $limit) {\n      ...MessageFields\n      readBy { id displayName }\n    }\n  }\n"): typeof import('./graphql').MessagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { ...MessageFields } }\n"): typeof import('./graphql').SendMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EditMessage($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { ...MessageFields } }\n"): typeof import('./graphql').EditMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMessage($id: ID!) { deleteMessage(id: $id) { ...MessageFields } }\n"): typeof import('./graphql').DeleteMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddReaction($messageId: ID!, $emoji: String!) { addReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }\n"): typeof import('./graphql').AddReactionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) { removeReaction(messageId: $messageId, emoji: $emoji) { ...MessageFields } }\n"): typeof import('./graphql').RemoveReactionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) }\n"): typeof import('./graphql').MarkReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) { setTyping(conversationId: $conversationId, typing: $typing) }\n"): typeof import('./graphql').SetTypingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchUsers($query: String!) { searchUsers(query: $query, limit: 20) { ...UserFields } }\n"): typeof import('./graphql').SearchUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestContact($userId: ID!) { requestContact(userId: $userId) { ...ContactRequestFields } }\n"): typeof import('./graphql').RequestContactDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RespondContact($requestId: ID!, $accept: Boolean!) {\n    respondContact(requestId: $requestId, accept: $accept) { ...ContactRequestFields }\n  }\n"): typeof import('./graphql').RespondContactDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDirectConversation($userId: ID!) { createDirectConversation(userId: $userId) { ...ConversationFields } }\n"): typeof import('./graphql').CreateDirectConversationDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
