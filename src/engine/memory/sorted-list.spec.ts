import { seededRandom } from '../../../test/utils/seeded-random.js';
import { SortedList } from './sorted-list.js';

type Entry = { time: number; id: string };

const byPosition = (a: Entry, b: Entry): number =>
  a.time !== b.time ? a.time - b.time : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** A flat sorted array: what SortedList must behave like. */
class Model {
  readonly items: Entry[] = [];

  lowerBound(probe: Entry): number {
    const index = this.items.findIndex((item) => byPosition(item, probe) >= 0);
    return index === -1 ? this.items.length : index;
  }

  insert(item: Entry): void {
    this.items.splice(this.lowerBound(item), 0, item);
  }

  remove(item: Entry): void {
    const index = this.lowerBound(item);
    if (index < this.items.length && byPosition(this.items[index], item) === 0) {
      this.items.splice(index, 1);
    }
  }
}

describe('SortedList', () => {
  it('keeps items in order, finds lower bounds and reads by index, empty or not', () => {
    const list = new SortedList<Entry>(byPosition, 2);
    expect(list.size).toBe(0);
    expect(list.at(0)).toBeUndefined();
    expect(list.lowerBound({ time: 1, id: 'a' })).toBe(0);
    for (const [time, id] of [
      [5, 'e'],
      [1, 'a'],
      [3, 'c'],
      [4, 'd'],
      [2, 'b'],
      [3, 'b'],
    ] as const) {
      list.insert({ time, id });
    }
    expect(Array.from({ length: list.size }, (_, i) => list.at(i))).toEqual([
      { time: 1, id: 'a' },
      { time: 2, id: 'b' },
      { time: 3, id: 'b' },
      { time: 3, id: 'c' },
      { time: 4, id: 'd' },
      { time: 5, id: 'e' },
    ]);
    expect(list.lowerBound({ time: 3, id: 'c' })).toBe(3);
    expect(list.lowerBound({ time: 3, id: 'a' })).toBe(2);
    expect(list.lowerBound({ time: 9, id: '' })).toBe(6);
    expect(list.at(-1)).toBeUndefined();
    expect(list.at(6)).toBeUndefined();
    expect(list.at(1.5)).toBeUndefined();
    list.remove({ time: 3, id: 'x' });
    expect(list.size).toBe(6);
    list.remove({ time: 3, id: 'b' });
    list.remove({ time: 1, id: 'a' });
    list.remove({ time: 5, id: 'e' });
    expect(Array.from({ length: list.size }, (_, i) => list.at(i)?.id)).toEqual(['b', 'c', 'd']);
  });

  it.each([
    [1, 2],
    [2, 3],
    [3, 8],
    [4, 512],
  ])(
    'behaves like a flat sorted array over random inserts, removes and reads (seed %i, chunks of %i)',
    (seed, chunkSize) => {
      const r = seededRandom(seed);
      const next = (): number => r.next();
      const int = (n: number): number => r.int(0, n - 1);
      const list = new SortedList<Entry>(byPosition, chunkSize);
      const model = new Model();
      // Few distinct times and ids, so that equal items and ties are common; growth, then shrinking.
      const entry = (): Entry => ({ time: int(40), id: String.fromCharCode(97 + int(6)) });
      for (let op = 0; op < 6000; op++) {
        const growing = op < 4000;
        const roll = next();
        if (roll < (growing ? 0.5 : 0.2)) {
          const item = entry();
          list.insert(item);
          model.insert(item);
        } else if (roll < 0.7) {
          // Mostly items that are there, sometimes one that is not.
          const item = model.items.length > 0 && next() < 0.8 ? { ...model.items[int(model.items.length)] } : entry();
          list.remove(item);
          model.remove(item);
        } else if (roll < 0.85) {
          const probe = entry();
          expect(list.lowerBound(probe)).toBe(model.lowerBound(probe));
        } else {
          // A listing's walk: from a lower bound down to the first item, as the registries page.
          const from = model.lowerBound(entry()) - 1;
          const walked: (Entry | undefined)[] = [];
          for (let index = from; index >= Math.max(0, from - 30); index--) {
            walked.push(list.at(index));
          }
          expect(walked).toEqual(model.items.slice(Math.max(0, from - 30), from + 1).reverse());
          const index = int(model.items.length + 2) - 1;
          expect(list.at(index)).toEqual(model.items[index]);
        }
        expect(list.size).toBe(model.items.length);
      }
      expect(Array.from({ length: list.size }, (_, i) => list.at(i))).toEqual(model.items);
    },
  );
});
