import type { AttemptCount } from '../engine.types.js';
import { SweepSchedule } from './sweep-schedule.js';

/** Entries kept before expired windows are swept out (see SweepSchedule). */
const SWEEP_ABOVE = 10_000;

/** Attempt counters of the memory engine: fixed windows that end on their own. */
export class MemoryAttempts {
  private readonly windows = new Map<string, AttemptCount>();
  private readonly sweeps = new SweepSchedule(SWEEP_ABOVE);

  /** Keys held (expired ones included until the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  count(key: string, windowMs: number, now: number): AttemptCount {
    const current = this.get(key, now);
    const next = current ? { ...current, count: current.count + 1 } : { count: 1, resetAt: now + windowMs };
    this.windows.set(key, next);
    if (this.sweeps.due(this.windows.size, now)) {
      this.sweep(now);
      this.sweeps.swept(this.windows.size, now);
    }
    return { ...next };
  }

  get(key: string, now: number): AttemptCount | null {
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.windows.delete(key);
      return null;
    }
    return { ...window };
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) {
        this.windows.delete(key);
      }
    }
  }
}
