// Waiting before a retry, cut short when the browser comes back online.

/**
 * Waits `ms`, or less: until `wake` (the window) says the browser is back
 * online. Backoff is for a server that is down; when the network returns
 * there is no reason to wait up to 30 s more.
 */
export function backoffWait(ms: number, wake: EventTarget | null, timers: { set: (fn: () => void, ms: number) => unknown; clear: (h: unknown) => void } = {
  set: (fn, t) => setTimeout(fn, t), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { timers.clear(handle); wake?.removeEventListener('online', done); resolve(); };
    const handle = timers.set(done, ms);
    wake?.addEventListener('online', done);
  });
}
