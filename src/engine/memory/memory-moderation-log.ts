import { comparePositions, decodeCursor, encodeCursor, type CursorPosition } from '../cursor.js';
import type { Page } from '../engine.types.js';
import type { ModerationEntry, ModerationLog } from '../moderation.port.js';
import { SortedList } from './sorted-list.js';

/** The moderation log of the memory engine, ordered by (at, id). */
export class MemoryModerationLog implements ModerationLog {
  private readonly entries = new Map<string, ModerationEntry>();
  private readonly order = new SortedList<CursorPosition>(comparePositions);

  append(entry: ModerationEntry, keep: number): Promise<void> {
    this.entries.set(entry.id, structuredClone(entry));
    this.order.insert({ time: entry.at, id: entry.id });
    while (this.order.size > keep) {
      const oldest = this.order.at(0);
      if (oldest) {
        this.order.remove(oldest);
        this.entries.delete(oldest.id);
      }
    }
    return Promise.resolve();
  }

  list(query: { limit: number; cursor?: string }): Promise<Page<ModerationEntry>> {
    return new Promise((resolve) => {
      const start = query.cursor ? this.order.lowerBound(decodeCursor(query.cursor)) - 1 : this.order.size - 1;
      const items: ModerationEntry[] = [];
      for (let index = start; index >= 0 && items.length < query.limit; index--) {
        const entry = this.entries.get(this.order.at(index)?.id ?? '');
        if (entry) {
          items.push(structuredClone(entry));
        }
      }
      const last = items.at(-1);
      const more = last !== undefined && this.order.lowerBound({ time: last.at, id: last.id }) > 0;
      resolve({ items, nextCursor: more ? encodeCursor({ time: last.at, id: last.id }) : null });
    });
  }
}
