/**
 * @internal A FIFO queue with O(1) push and shift: a head index into an array, compacted when
 * the consumed prefix outgrows the rest. `Array.prototype.shift` moves every element, which made
 * the local bus quadratic in its backlog — exactly when an operator needs it to catch up.
 */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Puts items back at the front, in the order given. */
  unshiftAll(items: readonly T[]): void {
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  /** Removes and returns, in queue order, every item `pred` accepts (one O(n) pass). */
  removeWhere(pred: (item: T) => boolean): T[] {
    const removed: T[] = [];
    const kept: T[] = [];
    for (let i = this.head; i < this.items.length; i += 1) {
      const item = this.items[i] as T;
      (pred(item) ? removed : kept).push(item);
    }
    if (removed.length > 0) {
      this.items = kept;
      this.head = 0;
    }
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i += 1) yield this.items[i] as T;
  }
}
