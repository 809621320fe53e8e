import type { AppConfig } from '../config/app-config.js';
import { LoadShedder, SHED_TICK_MS } from './load-shedder.js';

const shedder = (overloadLagMs: number): LoadShedder =>
  new LoadShedder({ limits: { overloadLagMs } } as unknown as AppConfig);

/** Keeps the event loop busy for `ms`, as a long turn of an overloaded server does. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

const nextTimers = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('LoadShedder', () => {
  const started: LoadShedder[] = [];
  const start = (overloadLagMs: number): LoadShedder => {
    const s = shedder(overloadLagMs);
    s.onApplicationBootstrap();
    started.push(s);
    return s;
  };
  afterEach(() => {
    for (const s of started.splice(0)) {
      s.onApplicationShutdown();
    }
  });

  it('refuses once the current turn of the loop has run past the threshold, not before', () => {
    const s = start(200);
    const turnStart = Date.now();
    expect(s.refusal(turnStart + SHED_TICK_MS + 150)).toBeNull();
    const refused = s.refusal(turnStart + SHED_TICK_MS + 450)?.toPayload();
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: 'The server is overloaded; retry shortly' });
    // The wait suggested is how far behind the loop is (the timer started a moment before turnStart).
    const { retryAfterMs } = refused?.details as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThanOrEqual(450);
    expect(retryAfterMs).toBeLessThan(500);
  });

  it('refuses after a late timer until one comes on time', async () => {
    const s = start(200);
    stall(SHED_TICK_MS + 350);
    await nextTimers(); // the shedder's timer, overdue, runs first
    expect(s.refusal()?.toPayload()).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 200 } });
    await nextTimers(SHED_TICK_MS * 2);
    expect(s.refusal()).toBeNull();
  });

  it('never refuses when OVERLOAD_LAG_MS is 0, or before it starts', async () => {
    const off = start(0);
    stall(SHED_TICK_MS + 300);
    await nextTimers();
    expect(off.refusal()).toBeNull();
    expect(shedder(200).refusal(Date.now() + 60_000)).toBeNull();
  });
});
