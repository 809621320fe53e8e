/** At most this long between two sweeps of a map above its floor. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * When to sweep a map of expiring entries: once it holds more than `floor` entries and has doubled
 * since the last sweep, or a minute after the last sweep. A map whose entries are all still live
 * (10,000 users sending at once) then costs amortised O(1) per insert; sweeping whenever it held
 * more than `floor` cost O(n) per insert and was a quarter of the server's CPU in the benchmark's
 * 10,000-user fan-out. The minute bounds how long the expired entries of a past spike are kept.
 */
export class SweepSchedule {
  private threshold: number;
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly floor: number) {
    this.threshold = floor;
  }

  due(size: number, now: number): boolean {
    return size > this.floor && (size > this.threshold || now - this.sweptAt >= SWEEP_INTERVAL_MS);
  }

  /** Called after a sweep with the size it left. */
  swept(size: number, now: number): void {
    this.threshold = Math.max(this.floor, size * 2);
    this.sweptAt = now;
  }
}
