// Shapes shared by the call tests (not shipped: only *.test.ts import it).
import type { Call } from './call-hub';

export const ADA = { id: 'UA', displayName: 'Ada' };
export const BOB = { id: 'UB', displayName: 'Bob' };
export const CAROL = { id: 'UC', displayName: 'Carol' };

export function participant(id: string, user: { id: string; displayName: string }, extra: Partial<Call['participants'][number]> = {}): Call['participants'][number] {
  return { id, muted: false, cameraOn: true, screenSharing: false, user, ...extra };
}

export function call(extra: Partial<Call> = {}): Call {
  return {
    id: 'K1', conversationId: 'C1', video: true, state: 'RINGING', result: null, startedAt: '2026-01-01T00:00:00.000Z',
    answeredAt: null, activeSpeakerId: null, caller: ADA, participants: [participant('PA', ADA)], ringing: [{ id: BOB.id }],
    ...extra,
  };
}
