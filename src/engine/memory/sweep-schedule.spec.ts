import { MemoryAttempts } from './memory-attempts.js';
import { MemoryRateLimits } from './memory-rate-limits.js';
import { SweepSchedule } from './sweep-schedule.js';

describe('SweepSchedule', () => {
  it('is due above its floor, then once the map has doubled or a minute has passed', () => {
    const schedule = new SweepSchedule(100);
    expect(schedule.due(100, 0)).toBe(false);
    expect(schedule.due(101, 0)).toBe(true);
    // A sweep that freed nothing (every entry live) waits for twice as many entries…
    schedule.swept(101, 0);
    expect(schedule.due(150, 1000)).toBe(false);
    expect(schedule.due(203, 1000)).toBe(true);
    // …or for a minute, so that the expired entries of a past spike do not stay for good.
    expect(schedule.due(150, 60_000)).toBe(true);
    // Never at or under the floor.
    schedule.swept(5, 60_000);
    expect(schedule.due(100, 200_000)).toBe(false);
    expect(schedule.due(101, 60_001)).toBe(true);
  });
});

describe('memory engine counters with more than 10,000 keys', () => {
  it('sliding windows: every key keeps counting while all are live, idle ones are swept out later', async () => {
    const limits = new MemoryRateLimits();
    for (let i = 0; i < 12_000; i++) {
      await limits.hit(`user-${i}`, 2, 1000, 0);
    }
    // All 12,000 windows are live: none was dropped, each still remembers its hit.
    expect(limits.size).toBe(12_000);
    expect(await limits.hit('user-0', 2, 1000, 10)).toMatchObject({ allowed: true, count: 2 });
    expect(await limits.hit('user-0', 2, 1000, 20)).toMatchObject({ allowed: false, count: 2 });
    // Once their windows have passed, new keys sweep the idle ones out.
    for (let i = 0; i < 12_001; i++) {
      await limits.hit(`later-${i}`, 2, 1000, 5000);
    }
    expect(limits.size).toBeLessThan(24_001);
    expect(await limits.hit('user-1', 2, 1000, 5000)).toMatchObject({ allowed: true, count: 1 });
  });

  it('fixed windows: the same', () => {
    const attempts = new MemoryAttempts();
    for (let i = 0; i < 12_000; i++) {
      attempts.count(`ip-${i}`, 1000, 0);
    }
    expect(attempts.size).toBe(12_000);
    expect(attempts.count('ip-0', 1000, 10)).toEqual({ count: 2, resetAt: 1000 });
    for (let i = 0; i < 12_001; i++) {
      attempts.count(`later-${i}`, 1000, 5000);
    }
    expect(attempts.size).toBeLessThan(24_001);
    expect(attempts.get('ip-1', 5000)).toBeNull();
  });
});
