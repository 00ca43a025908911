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

export const EventsDocument = graphql(`
  subscription Events($since: String) {
    events(since: $since) {
      __typename
      cursor
      ... on SessionCreatedEvent { session { id createdAt lastUsedAt expiresAt ip userAgent current } }
      ... on SessionRevokedEvent { sessionId }
    }
  }
`);
