// GraphQL over HTTP: POST /graphql with the access token as a Bearer token.
// Every failure becomes an ApiError (see errors.ts); a response with
// `errors` throws the first one (the app's operations have one root field).
import type { TypedDocumentString } from '@/gql/graphql';
import { ApiError, fromGraphQLError } from './errors';

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions {
  token?: string | null;
  signal?: AbortSignal;
  /** Extra request headers (e.g. X-Parley-Refresh: cookie). */
  headers?: Record<string, string>;
}

export interface GraphQLTransport {
  request<R, V>(doc: TypedDocumentString<R, V>, variables: V, options?: RequestOptions): Promise<R>;
}

export class HttpTransport implements GraphQLTransport {
  constructor(
    private readonly endpoint: string,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  async request<R, V>(doc: TypedDocumentString<R, V>, variables: V, options: RequestOptions = {}): Promise<R> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
        signal: options.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      if ((e as { name?: string })?.name === 'AbortError') throw e;
      throw new ApiError({ message: String(e), code: 'NETWORK' });
    }
    let body: { data?: R | null; errors?: unknown[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // A proxy's error page, a 502 while the server restarts, ...
      throw new ApiError({
        message: `HTTP ${res.status} without a GraphQL body`,
        code: res.status >= 500 || res.status === 0 ? 'NETWORK' : 'BAD_RESPONSE',
      });
    }
    if (body.errors && body.errors.length > 0) throw fromGraphQLError(body.errors[0]);
    if (body.data == null) throw new ApiError({ message: 'response without data', code: 'BAD_RESPONSE' });
    return body.data;
  }
}

/** The API endpoint of the server that served this page. */
export function defaultEndpoint(): { http: string; ws: string } {
  const loc = typeof window !== 'undefined' ? window.location : undefined;
  const origin = loc ? loc.origin : 'http://127.0.0.1:8080';
  return { http: `${origin}/graphql`, ws: `${origin.replace(/^http/, 'ws')}/graphql` };
}
