import { describe, expect, it } from 'vitest';
import { describeUserAgent, relativeTime } from './format';

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36', 'Chrome on Linux', false],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36', 'Chrome (headless) on Linux', false],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Safari on iPhone', true],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Windows', false],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36', 'Chrome on Android', true],
    ['node', 'node', false],
    [null, 'Unknown device', false],
  ])('%s', (ua, label, mobile) => {
    expect(describeUserAgent(ua)).toEqual({ label, mobile });
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-06-10T12:00:00Z');
  it.each([
    ['2026-06-10T11:59:40Z', 'just now'],
    ['2026-06-10T11:50:00Z', '10 min ago'],
    ['2026-06-10T09:00:00Z', '3 h ago'],
    ['2026-06-09T08:00:00Z', 'yesterday'],
    ['2026-03-12T08:00:00Z', '12 Mar'],
    ['2024-03-12T08:00:00Z', '12 Mar 2024'],
    ['garbage', ''],
  ])('%s', (iso, text) => {
    expect(relativeTime(iso, now)).toBe(text);
  });
});
