import { describe, expect, it } from 'vitest';
import { backoffWait } from './backoff';

describe('backoffWait', () => {
  it('waits the backoff, or returns at once when the browser comes back online', async () => {
    const wake = new EventTarget();
    let done = false;
    const waiting = backoffWait(60_000, wake).then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    wake.dispatchEvent(new Event('online'));
    await waiting;
    expect(done).toBe(true);
  });

  it('ends after the backoff without a wake-up, and stops listening once done', async () => {
    const wake = new EventTarget();
    const started = Date.now();
    await backoffWait(20, wake);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    await backoffWait(5, null);
    // A late 'online' after it ended is harmless.
    wake.dispatchEvent(new Event('online'));
  });
});
