import type { RateLimitStore, WindowHit } from '../rate-limit.port.js';
import { SweepSchedule } from './sweep-schedule.js';

/** Keys kept before idle windows are swept out (see SweepSchedule). */
const SWEEP_ABOVE = 10_000;

/** Sliding windows of the memory engine: the times of the hits still inside each window. */
export class MemoryRateLimits implements RateLimitStore {
  private readonly windows = new Map<string, { hits: number[]; windowMs: number }>();
  private readonly sweeps = new SweepSchedule(SWEEP_ABOVE);

  /** Keys held (idle ones included until the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  hit(key: string, limit: number, windowMs: number, now: number): Promise<WindowHit> {
    return Promise.resolve(this.hitNow(key, limit, windowMs, now));
  }

  /** The same hit, synchronously (for the engine's own atomic steps). */
  hitNow(key: string, limit: number, windowMs: number, now: number): WindowHit {
    // In place: this runs for every message sent, and a new array and record per hit was garbage.
    let window = this.windows.get(key);
    if (!window) {
      window = { hits: [], windowMs };
      this.windows.set(key, window);
    }
    window.windowMs = windowMs;
    const { hits } = window;
    let kept = 0;
    for (const at of hits) {
      if (at > now - windowMs) {
        hits[kept++] = at;
      }
    }
    hits.length = kept;
    const allowed = hits.length < limit;
    if (allowed) {
      hits.push(now);
    }
    if (this.sweeps.due(this.windows.size, now)) {
      this.sweep(now);
      this.sweeps.swept(this.windows.size, now);
    }
    const retryAfterMs = allowed ? 0 : Math.max(1, hits[0] + windowMs - now);
    return { allowed, count: hits.length, retryAfterMs };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.hits.every((at) => at <= now - window.windowMs)) {
        this.windows.delete(key);
      }
    }
  }
}
