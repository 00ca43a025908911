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
    "\n  subscription Events($since: String) {\n    events(since: $since) {\n      __typename\n      cursor\n      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }\n      ... on SessionRevokedEvent { sessionId }\n    }\n  }\n": typeof types.EventsDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n": types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt } }\n  }\n": types.SignInDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      accessToken accessTokenExpiresAt refreshToken user { id displayName email createdAt }\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation SignOut { signOut }\n": types.SignOutDocument,
    "\n  query Me { me { id displayName email createdAt } }\n": types.MeDocument,
    "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt ip userAgent current } }\n": types.SessionsDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": types.RevokeSessionDocument,
    "\n  subscription Events($since: String) {\n    events(since: $since) {\n      __typename\n      cursor\n      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }\n      ... on SessionRevokedEvent { sessionId }\n    }\n  }\n": types.EventsDocument,
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
export function graphql(source: "\n  subscription Events($since: String) {\n    events(since: $since) {\n      __typename\n      cursor\n      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }\n      ... on SessionRevokedEvent { sessionId }\n    }\n  }\n"): typeof import('./graphql').EventsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
