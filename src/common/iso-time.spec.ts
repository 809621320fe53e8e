import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('writes what toISOString writes, within a second, across seconds and back in time', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    // Every millisecond of three seconds, then the same again in reverse order, so that the
    // formatted second is both reused and replaced, also by an earlier one.
    const times = Array.from({ length: 3000 }, (_, i) => start + i);
    for (const time of [...times, ...times.reverse()]) {
      expect(isoTime(time)).toBe(new Date(time).toISOString());
    }
  });

  it('gives the right text at the edges of its range and outside it', () => {
    for (const time of [0, 1, 999, 1000, 253_402_300_799_999, 253_402_300_800_000, -1, -62_198_755_200_001, 1.5]) {
      expect(isoTime(time)).toBe(new Date(time).toISOString());
    }
    expect(isoTime(253_402_300_799_999)).toBe('9999-12-31T23:59:59.999Z');
    expect(isoTime(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('refuses an invalid time as toISOString does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
