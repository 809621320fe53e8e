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
    const hits = (this.windows.get(key)?.hits ?? []).filter((at) => at > now - windowMs);
    const allowed = hits.length < limit;
    if (allowed) {
      hits.push(now);
    }
    this.windows.set(key, { hits, windowMs });
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
