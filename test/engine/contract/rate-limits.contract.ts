import { newId } from '../../../src/common/ids.js';
import type { EngineContext } from './fixtures.js';

/** Sliding windows: at most `limit` hits in any `windowMs`, refused hits not counted. */
export function describeRateLimits(ctx: EngineContext): void {
  describe('rateLimits.hit', () => {
    const hit = (key: string, at: number) => ctx.engine.rateLimits.hit(key, 3, 1000, ctx.t0 + at, newId());

    it('allows `limit` hits in a window and refuses the next until the oldest leaves it', async () => {
      expect(await hit('u1', 0)).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
      expect(await hit('u1', 100)).toEqual({ allowed: true, count: 2, retryAfterMs: 0 });
      expect(await hit('u1', 200)).toEqual({ allowed: true, count: 3, retryAfterMs: 0 });
      expect(await hit('u1', 300)).toEqual({ allowed: false, count: 3, retryAfterMs: 700 });
      // The window slides: at 1000 the first hit has left it, the other two have not.
      expect(await hit('u1', 1000)).toEqual({ allowed: true, count: 3, retryAfterMs: 0 });
      expect(await hit('u1', 1050)).toEqual({ allowed: false, count: 3, retryAfterMs: 50 });
    });

    it('does not count refused hits, and keeps keys apart', async () => {
      for (const at of [0, 1, 2, 3, 4, 5]) {
        await hit('u1', at);
      }
      expect(await hit('u2', 5)).toMatchObject({ allowed: true, count: 1 });
      // Only the three allowed hits (0, 1, 2) were recorded: all have left by 1002.
      expect(await hit('u1', 1002)).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
    });
  });
}
