/** The outcome of one hit on a sliding window. */
export interface WindowHit {
  /** False when the hit was refused: `limit` hits already fall within the window. */
  allowed: boolean;
  /** Hits within the window, this one included when it was allowed. */
  count: number;
  /** When refused, how long until the oldest hit leaves the window (ms); 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Sliding-window counters shared by every instance (per user or per IP limits that must hold
 * across the cluster). Each hit is one atomic step; keys expire with their window.
 */
export interface RateLimitStore {
  /**
   * Records a hit under `key` unless `limit` hits already fall within the last `windowMs` before
   * `now`; a refused hit is not recorded. `hitId` is unique per call (caller-made).
   */
  hit(key: string, limit: number, windowMs: number, now: number, hitId: string): Promise<WindowHit>;
}
