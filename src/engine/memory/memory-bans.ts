import { decodeCursor, encodeCursor, comparePositions, type CursorPosition } from '../cursor.js';
import type { Page } from '../engine.types.js';
import type { BanRecord, BanStore } from '../moderation.port.js';
import { SortedList } from './sorted-list.js';

/** Whether a ban is in force at `now`. */
export const inForce = (ban: BanRecord, now: number): boolean => ban.until === null || ban.until > now;

/** Of two bans, the one that ends last (a permanent one first). */
export function longest(a: BanRecord | null, b: BanRecord): BanRecord {
  if (!a) {
    return b;
  }
  if (a.until === null || (b.until !== null && a.until >= b.until)) {
    return a;
  }
  return b;
}

/** Bans of the memory engine; ended bans are dropped when they are next looked at. */
export class MemoryBans implements BanStore {
  private readonly bans = new Map<string, BanRecord>();
  private readonly order = new SortedList<CursorPosition>(comparePositions);

  create(ban: BanRecord): Promise<void> {
    this.bans.set(ban.id, { ...ban });
    this.order.insert({ time: ban.createdAt, id: ban.id });
    return Promise.resolve();
  }

  list(query: { limit: number; cursor?: string; now: number }): Promise<Page<BanRecord>> {
    return new Promise((resolve) => resolve(this.page(query)));
  }

  remove(banId: string, now: number): Promise<BanRecord | null> {
    const ban = this.live(banId, now);
    if (ban) {
      this.forget(ban);
    }
    return Promise.resolve(ban ? { ...ban } : null);
  }

  match(userId: string | null, ip: string | null, now: number): Promise<BanRecord | null> {
    let found: BanRecord | null = null;
    for (const ban of [...this.bans.values()]) {
      const applies = (userId !== null && ban.userId === userId) || (ip !== null && ban.ip === ip);
      if (applies && this.live(ban.id, now)) {
        found = longest(found, ban);
      }
    }
    return Promise.resolve(found ? { ...found } : null);
  }

  private page(query: { limit: number; cursor?: string; now: number }): Page<BanRecord> {
    const start = query.cursor ? this.order.lowerBound(decodeCursor(query.cursor)) - 1 : this.order.size - 1;
    const items: BanRecord[] = [];
    for (let index = start; index >= 0; index--) {
      const ban = this.live(this.order.at(index)?.id ?? '', query.now);
      if (ban) {
        if (items.length === query.limit) {
          const last = items[items.length - 1];
          return { items, nextCursor: encodeCursor({ time: last.createdAt, id: last.id }) };
        }
        items.push({ ...ban });
      }
    }
    return { items, nextCursor: null };
  }

  /** The ban if it is in force; an ended one is forgotten. */
  private live(banId: string, now: number): BanRecord | null {
    const ban = this.bans.get(banId);
    if (ban && !inForce(ban, now)) {
      this.forget(ban);
      return null;
    }
    return ban ?? null;
  }

  private forget(ban: BanRecord): void {
    this.bans.delete(ban.id);
    this.order.remove({ time: ban.createdAt, id: ban.id });
  }
}
