// One error type for everything that can go wrong talking to parleyd, and
// the human sentence for each error code (docs/api.md lists the codes).

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL'
  // Client-side: the request never got an answer, or the answer made no sense.
  | 'NETWORK'
  | 'BAD_RESPONSE';

export interface ApiErrorDetail {
  message: string;
  code: ErrorCode;
  /** Input field at fault (BAD_REQUEST). */
  field?: string;
  /** Seconds to wait (RATE_LIMITED). */
  retryAfter?: number;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryAfter?: number;
  /** The server's own words (for logs; the UI shows humanMessage()). */
  readonly serverMessage: string;

  constructor(detail: ApiErrorDetail) {
    super(detail.message);
    this.name = 'ApiError';
    this.code = detail.code;
    this.field = detail.field;
    this.retryAfter = detail.retryAfter;
    this.serverMessage = detail.message;
  }
}

const knownCodes = new Set<string>([
  'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN',
  'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'LIMIT_EXCEEDED', 'INTERNAL',
]);

/** Builds an ApiError from one entry of a GraphQL `errors` array. */
export function fromGraphQLError(e: unknown): ApiError {
  const obj = (e ?? {}) as { message?: unknown; extensions?: Record<string, unknown> };
  const ext = obj.extensions ?? {};
  const code = typeof ext.code === 'string' && knownCodes.has(ext.code) ? (ext.code as ErrorCode) : 'INTERNAL';
  const retry = Number(ext.retryAfter);
  return new ApiError({
    message: typeof obj.message === 'string' ? obj.message : 'Unknown error',
    code,
    field: typeof ext.field === 'string' ? ext.field : undefined,
    retryAfter: Number.isFinite(retry) && retry >= 0 ? retry : undefined,
  });
}

/** "30 seconds", "1 minute", "12 minutes". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const m = Math.ceil(s / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** What the user was doing, so the same code can read naturally. */
export type ErrorContext = 'signIn' | 'signUp' | 'refresh' | 'general';

/** A sentence for people. Never the server's internal wording. */
export function humanMessage(err: unknown, context: ErrorContext = 'general'): string {
  if (!(err instanceof ApiError)) {
    return 'Something went wrong. Please try again.';
  }
  switch (err.code) {
    case 'NETWORK':
      return "Can't reach the Parley server. Check your connection; we'll keep trying.";
    case 'BAD_RESPONSE':
      return 'The server sent an answer we could not read. Please try again in a moment.';
    case 'UNAUTHENTICATED':
      if (context === 'signIn') return 'That email and password do not match. Check both and try again.';
      return 'Your session has ended. Please sign in again.';
    case 'RATE_LIMITED':
      return err.retryAfter !== undefined
        ? `Too many attempts. Please wait ${formatWait(err.retryAfter)} and try again.`
        : 'Too many attempts. Please wait a little and try again.';
    case 'CONFLICT':
      if (context === 'signUp') return 'An account with this email already exists. Sign in instead?';
      return 'That changed in the meantime. Refresh and try again.';
    case 'BAD_REQUEST':
      return badRequestMessage(err, context);
    case 'FORBIDDEN':
      return "You don't have permission to do that.";
    case 'NOT_FOUND':
      return 'That no longer exists, or you no longer have access to it.';
    case 'LIMIT_EXCEEDED':
      return 'That is too large. Try something smaller.';
    case 'GRAPHQL_PARSE_FAILED':
    case 'GRAPHQL_VALIDATION_FAILED':
      return 'This version of the app does not match the server. Reload the page to update it.';
    case 'INTERNAL':
      return 'The server had a problem. Please try again; if it keeps happening, tell your administrator.';
  }
}

function badRequestMessage(err: ApiError, context: ErrorContext): string {
  switch (err.field) {
    case 'email':
      return 'Enter a valid email address.';
    case 'password':
      if (context === 'signUp') {
        return /common/i.test(err.serverMessage)
          ? 'That password is too common. Choose one that is harder to guess.'
          : 'Choose a password of 10 to 256 characters that is not a common one.';
      }
      return 'Enter your password.';
    case 'displayName':
      return 'Your name must be 1 to 64 characters, without control characters.';
    default:
      return 'Some of what you entered is not valid. Check it and try again.';
  }
}
