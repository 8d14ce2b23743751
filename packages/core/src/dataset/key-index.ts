import type { Id } from './ids.js';

/** Dense tables may always grow to this many slots (256 KiB). */
const MIN_DENSE_SLOTS = 1 << 16;
/** Beyond that, to at most this many slots per key held, so sparse big ids stay in the map. */
const DENSE_SLOTS_PER_KEY = 8;

/**
 * A hash map from ids to integers that remembers insertion order, so that the id added
 * `i`-th can be found by position and the latest additions can be undone (an argument
 * that fails half-way through `fitPartial` leaves no trace).
 *
 * Lookups dominate building large matrices, so keys are stored by kind (measured on a
 * million keys, Node 20):
 * - small non-negative integers (the common database-id case) index a typed array, over
 *   ten times faster than a `Map`;
 * - strings live in a prototype-less object used as a dictionary: V8 interns its keys,
 *   which makes repeated lookups about 2.5 times faster than a `Map` of strings;
 * - other numbers live in a `Map`.
 *
 * Keys appended in bulk by {@link KeyIndex.appendPositions} (millions of ids from a file
 * reader, known to be new and distinct) enter those tables on the first lookup, as pandas
 * builds an index's hash table on first use: reading a file does not pay for hashing ids
 * nobody looks up.
 */
export class KeyIndex {
  readonly #strings: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly #map = new Map<number, number>();
  readonly #order: Id[] = [];
  /** `dense[key] = value + 1` for small integer keys; 0 means not there. */
  #dense = new Int32Array(0);
  /** Keys of `#order` before this position are in the lookup tables; later ones are pending. */
  #indexed = 0;

  /** Number of keys. */
  get size(): number {
    return this.#order.length;
  }

  get(key: Id): number | undefined {
    if (this.#indexed < this.#order.length) this.#indexPending();
    if (typeof key === 'string') return this.#strings[key];
    // Anything but a number (a symbol, an object) is never a key; comparing it below would throw.
    if (typeof key !== 'number') return undefined;
    // `(key | 0) === key` is a cheap integer test, valid since the table is < 2^31 long.
    if (key >= 0 && key < this.#dense.length && (key | 0) === key) {
      const slot = this.#dense[key] as number;
      if (slot !== 0) return slot - 1;
      if (this.#map.size === 0) return undefined;
    }
    return this.#map.get(key);
  }

  has(key: Id): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds `key -> value` unless `key` is already present; returns whether it was added. */
  add(key: Id, value: number): boolean {
    if (this.get(key) !== undefined) return false;
    this.#insert(key, value);
    this.#order.push(key);
    this.#indexed = this.#order.length;
    return true;
  }

  /**
   * Appends keys whose values are their positions (the next `keys.length` ones), indexed for
   * lookup on the first `get`. The caller guarantees they are distinct and not present.
   */
  appendPositions(keys: readonly Id[]): void {
    for (const key of keys) this.#order.push(key);
  }

  /** Puts the pending keys of `appendPositions` into the lookup tables. */
  #indexPending(): void {
    const order = this.#order;
    for (let i = this.#indexed; i < order.length; i++) this.#insert(order[i] as Id, i);
    this.#indexed = order.length;
  }

  #insert(key: Id, value: number): void {
    if (typeof key === 'string') this.#strings[key] = value;
    else if (this.#fitsDense(key)) this.#dense[key] = value + 1;
    else this.#map.set(key, value);
  }

  /** The key added `position`-th (0-based). */
  keyAt(position: number): Id {
    return this.#order[position] as Id;
  }

  /** A copy of the keys in insertion order. */
  keys(): Id[] {
    return this.#order.slice();
  }

  /** `[key, value]` pairs in insertion order. */
  *entries(): MapIterator<[Id, number]> {
    for (const key of this.#order) yield [key, this.get(key) as number];
  }

  /** Forgets every key added after the first `size`. */
  truncate(size: number): void {
    // Pending keys were never put in the tables: only indexed ones are deleted.
    for (let i = Math.min(this.#indexed, this.#order.length) - 1; i >= size; i--) {
      const key = this.#order[i] as Id;
      if (typeof key === 'string') delete this.#strings[key];
      else if (!this.#map.delete(key)) this.#dense[key] = 0;
    }
    this.#order.length = Math.min(this.#order.length, size);
    this.#indexed = Math.min(this.#indexed, this.#order.length);
  }

  /** Whether `key` goes to the dense table, growing it if needed and allowed. */
  #fitsDense(key: number): boolean {
    if (!Number.isInteger(key) || key < 0) return false;
    if (key < this.#dense.length) return true;
    const limit = Math.max(MIN_DENSE_SLOTS, DENSE_SLOTS_PER_KEY * (this.#order.length + 1));
    if (key >= limit) return false;
    let slots = Math.max(this.#dense.length * 2, 1024);
    while (slots <= key) slots *= 2;
    const grown = new Int32Array(slots);
    grown.set(this.#dense);
    this.#dense = grown;
    return true;
  }
}
