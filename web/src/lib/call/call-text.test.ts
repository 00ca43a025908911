import { describe, expect, it } from 'vitest';
import { callDuration, callText } from './call-text';

describe('call timeline wording', () => {
  it('formats durations like a phone', () => {
    expect(callDuration(0)).toBe('0:00');
    expect(callDuration(192)).toBe('3:12');
    expect(callDuration(3723)).toBe('1:02:03');
  });

  it('reads the way Skype words calls', () => {
    expect(callText({ video: false, result: 'COMPLETED', durationSeconds: 192 }, true)).toBe('Call, 3:12');
    expect(callText({ video: true, result: 'DECLINED', durationSeconds: 0 }, false)).toBe('Video call declined');
    expect(callText({ video: false, result: 'MISSED', durationSeconds: 0 }, false)).toBe('Missed call');
    expect(callText({ video: false, result: 'MISSED', durationSeconds: 0 }, true)).toBe('Call, no answer');
    expect(callText({ video: true, result: 'CANCELLED', durationSeconds: 0 }, false)).toBe('Missed video call');
    expect(callText({ video: false, result: 'BUSY', durationSeconds: 0 }, true)).toBe('Call: busy');
  });
});
