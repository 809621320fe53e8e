/** Counts events over the last `windowSeconds` seconds in one-second buckets (constant memory). */
export class RateMeter {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(private readonly windowSeconds = 60) {
    this.buckets = new Array<number>(windowSeconds).fill(0);
    this.stamps = new Array<number>(windowSeconds).fill(-1);
  }

  mark(now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.windowSeconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] += 1;
  }

  /** Events in the last `windowSeconds` seconds, the current one included. */
  total(now = Date.now()): number {
    const second = Math.floor(now / 1000);
    let sum = 0;
    for (let slot = 0; slot < this.windowSeconds; slot++) {
      if (second - this.stamps[slot] < this.windowSeconds) {
        sum += this.buckets[slot];
      }
    }
    return sum;
  }
}
