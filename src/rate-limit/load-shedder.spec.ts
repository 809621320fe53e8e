import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { stall } from '../../test/utils/timing.js';
import type { AppConfig } from '../config/app-config.js';
import { LoadShedder, MAX_RETRY_AFTER_MS, SHED_TICK_MS } from './load-shedder.js';

const shedder = (overloadLagMs: number): LoadShedder =>
  new LoadShedder({ limits: { overloadLagMs } } as unknown as AppConfig);

const nextTimers = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const retryAfterOf = (s: LoadShedder, now?: number): number | undefined =>
  (s.refusal(now)?.toPayload().details as { retryAfterMs: number } | undefined)?.retryAfterMs;

describe('LoadShedder', () => {
  const started: LoadShedder[] = [];
  let warnings: string[] = [];
  const start = (overloadLagMs: number): LoadShedder => {
    const s = shedder(overloadLagMs);
    s.onApplicationBootstrap();
    started.push(s);
    return s;
  };
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
  });
  afterEach(() => {
    for (const s of started.splice(0)) {
      s.onApplicationShutdown();
    }
    jest.restoreAllMocks();
  });

  it('refuses once the current turn of the loop has run past the threshold, not before', () => {
    const s = start(200);
    const turnStart = performance.now();
    expect(s.refusal(turnStart + SHED_TICK_MS + 150)).toBeNull();
    const refused = s.refusal(turnStart + SHED_TICK_MS + 450)?.toPayload();
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: 'The server is overloaded; retry shortly' });
    // The wait suggested is how far behind the loop is (the timer started a moment before turnStart)...
    const { retryAfterMs } = refused?.details as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThanOrEqual(450);
    expect(retryAfterMs).toBeLessThan(500);
    // ...but never more than MAX_RETRY_AFTER_MS.
    expect(retryAfterOf(s, turnStart + 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('refuses after a late timer, saying how late, until a turn comes on time', async () => {
    const s = start(200);
    stall(SHED_TICK_MS + 350);
    await nextTimers(); // the shedder's timer, overdue, runs first
    expect(retryAfterOf(s)).toBeGreaterThanOrEqual(340);
    // Back on time within a few turns of the timer (more on a loaded machine).
    const deadline = Date.now() + 5000;
    while (s.refusal() !== null && Date.now() < deadline) {
      await nextTimers(SHED_TICK_MS);
    }
    expect(s.refusal()).toBeNull();
  });

  it('never refuses with OVERLOAD_LAG_MS=0, through the same stall that makes 200 refuse', async () => {
    const off = start(0);
    const on = start(200);
    stall(SHED_TICK_MS + 350);
    await nextTimers();
    expect(on.refusal()).not.toBeNull();
    expect(off.refusal()).toBeNull();
  });

  it('warns once as an episode starts, and with the count as it ends', () => {
    const s = start(200);
    const behind = performance.now() + SHED_TICK_MS + 500;
    for (let i = 0; i < 3; i += 1) {
      expect(s.refusal(behind + i)).not.toBeNull();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Event loop \d+ ms behind: refusing message:send and room:typing/);
    s.onApplicationShutdown();
    expect(warnings[1]).toBe('Shutting down: refused 3 events over 0.0 s of overload');
  });
});
