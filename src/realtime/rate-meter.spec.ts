import { RateMeter } from './rate-meter.js';

describe('RateMeter', () => {
  it('counts the events of the last minute and forgets older ones', () => {
    const meter = new RateMeter(60);
    const t0 = 1_000_000_000;
    meter.mark(t0);
    meter.mark(t0 + 500);
    meter.mark(t0 + 30_000);
    expect(meter.total(t0 + 30_000)).toBe(3);
    expect(meter.total(t0 + 59_999)).toBe(3);
    expect(meter.total(t0 + 60_000)).toBe(1);
    meter.mark(t0 + 60_000);
    expect(meter.total(t0 + 60_000)).toBe(2);
    expect(meter.total(t0 + 200_000)).toBe(0);
  });
});
