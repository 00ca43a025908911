import { describe, expect, it } from 'vitest';
import { ApiError, formatWait, fromGraphQLError, humanMessage } from './errors';

describe('fromGraphQLError', () => {
  it('reads code, field and retryAfter from extensions', () => {
    const e = fromGraphQLError({ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 42 } });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfter).toBe(42);
    const f = fromGraphQLError({ message: 'bad', extensions: { code: 'BAD_REQUEST', field: 'email' } });
    expect(f.field).toBe('email');
  });
  it('treats unknown or missing codes as INTERNAL', () => {
    expect(fromGraphQLError({ message: 'x', extensions: { code: 'WHAT' } }).code).toBe('INTERNAL');
    expect(fromGraphQLError(null).code).toBe('INTERNAL');
  });
});

describe('humanMessage', () => {
  const err = (code: ApiError['code'], extra: Partial<{ field: string; retryAfter: number; message: string }> = {}) =>
    new ApiError({ message: extra.message ?? 'server words', code, ...extra });

  it.each([
    [err('UNAUTHENTICATED'), 'signIn', /email and password do not match/],
    [err('UNAUTHENTICATED'), 'general', /session has ended/],
    [err('RATE_LIMITED', { retryAfter: 90 }), 'signIn', /wait 2 minutes/],
    [err('RATE_LIMITED', { retryAfter: 1 }), 'signIn', /wait 1 second /],
    [err('RATE_LIMITED'), 'signIn', /wait a little/],
    [err('NETWORK'), 'general', /Can't reach the Parley server/],
    [err('CONFLICT'), 'signUp', /already exists/],
    [err('BAD_REQUEST', { field: 'email' }), 'signUp', /valid email/],
    [err('BAD_REQUEST', { field: 'password', message: 'password is too common' }), 'signUp', /too common/],
    [err('BAD_REQUEST', { field: 'password', message: 'password must be at least 10 characters' }), 'signUp', /10 to 256/],
    [err('BAD_REQUEST', { field: 'displayName' }), 'signUp', /1 to 64/],
    [err('FORBIDDEN'), 'general', /permission/],
    [err('INTERNAL'), 'general', /server had a problem/],
    [err('GRAPHQL_VALIDATION_FAILED'), 'general', /Reload/],
  ] as const)('%s in %s', (e, ctx, re) => {
    expect(humanMessage(e, ctx)).toMatch(re);
  });

  it('never shows the server wording', () => {
    for (const code of ['UNAUTHENTICATED', 'INTERNAL', 'NOT_FOUND', 'LIMIT_EXCEEDED', 'BAD_REQUEST'] as const) {
      expect(humanMessage(err(code))).not.toContain('server words');
    }
    expect(humanMessage(new Error('boom'))).toMatch(/Something went wrong/);
  });
});

describe('formatWait', () => {
  it('rounds up to seconds then minutes', () => {
    expect(formatWait(0.2)).toBe('1 second');
    expect(formatWait(59)).toBe('59 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(61)).toBe('2 minutes');
  });
});
