/**
 * Items kept sorted by a comparator, with binary-search insert, remove and lower bound, and
 * access by index.
 *
 * Stored as a list of sorted chunks (at most twice `chunkSize` items each), so an insert or a
 * remove moves at most a chunk's items rather than half of all of them: with one flat array, the
 * 10,000 disconnects after a load test cost the memory engine's client registry over a second of
 * event loop (each removal spliced thousands of entries), quadratic in the number of clients.
 * `at` remembers the chunk it last read, so walking the indexes in order (every page of a listing
 * does) costs O(1) a step.
 */
export class SortedList<T> {
  private chunks: T[][] = [];
  private count = 0;
  /** The chunk `at` read last and the index of its first item. */
  private cursorChunk = 0;
  private cursorStart = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly chunkSize = 512,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Index of the first item not less than `probe` (`size` if there is none). */
  lowerBound(probe: T): number {
    const chunk = this.chunkOf(probe);
    if (chunk === this.chunks.length) {
      return this.count;
    }
    return this.startOf(chunk) + this.lowerBoundIn(this.chunks[chunk], probe);
  }

  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
    } else {
      const chunk = Math.min(this.chunkOf(item), this.chunks.length - 1);
      const items = this.chunks[chunk];
      items.splice(this.lowerBoundIn(items, item), 0, item);
      if (items.length > 2 * this.chunkSize) {
        this.chunks.splice(chunk + 1, 0, items.splice(this.chunkSize));
      }
    }
    this.count++;
    this.moved();
  }

  /** Removes the first item equal to `item`, if any. */
  remove(item: T): void {
    const chunk = this.chunkOf(item);
    const items = this.chunks[chunk];
    if (!items) {
      return;
    }
    const index = this.lowerBoundIn(items, item);
    if (index < items.length && this.compare(items[index], item) === 0) {
      items.splice(index, 1);
      if (items.length === 0) {
        this.chunks.splice(chunk, 1);
      }
      this.count--;
      this.moved();
    }
  }

  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      return undefined;
    }
    while (index < this.cursorStart) {
      this.cursorChunk--;
      this.cursorStart -= this.chunks[this.cursorChunk].length;
    }
    while (index >= this.cursorStart + this.chunks[this.cursorChunk].length) {
      this.cursorStart += this.chunks[this.cursorChunk].length;
      this.cursorChunk++;
    }
    return this.chunks[this.cursorChunk][index - this.cursorStart];
  }

  /** The first chunk whose last item is not less than `probe` (the number of chunks if none is). */
  private chunkOf(probe: T): number {
    return bisect(this.chunks.length, (i) => this.compare(this.chunks[i][this.chunks[i].length - 1], probe) < 0);
  }

  private lowerBoundIn(items: T[], probe: T): number {
    return bisect(items.length, (i) => this.compare(items[i], probe) < 0);
  }

  private startOf(chunk: number): number {
    let start = 0;
    for (let i = 0; i < chunk; i++) {
      start += this.chunks[i].length;
    }
    return start;
  }

  /** Items moved between chunks: `at` starts over from the first chunk. */
  private moved(): void {
    this.cursorChunk = 0;
    this.cursorStart = 0;
  }
}

/** The first index in [0, n) for which `before` is false (`before` holds for a prefix), or n. */
function bisect(n: number, before: (index: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
