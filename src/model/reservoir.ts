/**
 * A uniform random sample of at most `capacity` items of a stream of unknown
 * length (Vitter's Algorithm R): memory stays at `capacity` items, and with a
 * seeded `random` the same stream gives the same sample.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  /** Items offered so far. */
  seen = 0;

  constructor(
    readonly capacity: number,
    private readonly random: () => number,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`reservoir capacity must be a positive integer, not ${capacity}`);
    }
  }

  offer(item: T): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.items[slot] = item;
  }

  /** Whether the sample holds every item offered. */
  get complete(): boolean {
    return this.seen === this.items.length;
  }
}
