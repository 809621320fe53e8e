/**
 * When to sweep a map of expiring entries: once it holds more than `floor` entries and has doubled
 * since the last sweep. A map whose entries are all still live (10,000 users sending at once) then
 * costs amortised O(1) per insert; sweeping whenever it held more than `floor` cost O(n) per insert
 * and was a quarter of the server's CPU in the benchmark's 10,000-user fan-out.
 */
export class SweepSchedule {
  private threshold: number;

  constructor(private readonly floor: number) {
    this.threshold = floor;
  }

  due(size: number): boolean {
    return size > this.threshold;
  }

  /** Called after a sweep with the size it left. */
  swept(size: number): void {
    this.threshold = Math.max(this.floor, size * 2);
  }
}
