/**
 * Keeps this process's event loop busy for `ms`: no timer runs and no socket is read meanwhile,
 * as in a server's long turn under overload (or a long garbage collection).
 */
export function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

/** Waits the time the server said to wait (`retryAfterMs`), and a little more: no event says when it is over. */
export const waitFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms + 50));
