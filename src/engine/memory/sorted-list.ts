/** An array kept sorted by a comparator, with binary-search insert, remove and lower bound. */
export class SortedList<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  /** Index of the first item not less than `probe`. */
  lowerBound(probe: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid], probe) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  insert(item: T): void {
    this.items.splice(this.lowerBound(item), 0, item);
  }

  remove(item: T): void {
    const index = this.lowerBound(item);
    if (index < this.items.length && this.compare(this.items[index], item) === 0) {
      this.items.splice(index, 1);
    }
  }

  at(index: number): T | undefined {
    return this.items[index];
  }
}
