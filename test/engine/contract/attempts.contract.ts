import type { EngineContext } from './fixtures.js';

const WINDOW = 60_000;

/** Attempt counters (failed logins): fixed windows that start with the first attempt. */
export function describeAttempts(ctx: EngineContext): void {
  describe('countAttempt / getAttempts / clearAttempts', () => {
    it('counts attempts in a window that starts with the first one', async () => {
      expect(await ctx.engine.getAttempts('login:ada', ctx.t0)).toBeNull();
      const first = await ctx.engine.countAttempt('login:ada', WINDOW, ctx.t0);
      expect(first.count).toBe(1);
      expect(first.resetAt).toBeGreaterThan(ctx.t0);
      expect(first.resetAt).toBeLessThanOrEqual(ctx.t0 + WINDOW);
      const second = await ctx.engine.countAttempt('login:ada', WINDOW, ctx.t0 + 10);
      expect(second.count).toBe(2);
      expect(await ctx.engine.getAttempts('login:ada', ctx.t0 + 20)).toMatchObject({ count: 2 });
      expect(await ctx.engine.getAttempts('login:bob', ctx.t0 + 20)).toBeNull();
    });

    it('counts racing attempts exactly', async () => {
      await Promise.all(Array.from({ length: 20 }, () => ctx.engine.countAttempt('login:race', WINDOW, ctx.t0)));
      expect(await ctx.engine.getAttempts('login:race', ctx.t0)).toMatchObject({ count: 20 });
    });

    it('forgets the attempts when cleared', async () => {
      await ctx.engine.countAttempt('login:ada', WINDOW, ctx.t0);
      await ctx.engine.clearAttempts('login:ada');
      expect(await ctx.engine.getAttempts('login:ada', ctx.t0)).toBeNull();
      expect((await ctx.engine.countAttempt('login:ada', WINDOW, ctx.t0)).count).toBe(1);
    });
  });
}
