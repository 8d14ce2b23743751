/**
 * Read-only `Map` views. `Dataset.mapping()` hands these out instead of its own maps so
 * callers can look ids up without copying a million entries, and cannot corrupt the
 * dataset by writing to them.
 */
/** The part of a map that views read from. */
export interface Lookup<K, V> {
  readonly size: number;
  get(key: K): V | undefined;
  has(key: K): boolean;
  entries(): MapIterator<[K, V]>;
}

abstract class ReadonlyMapBase<K, V> implements ReadonlyMap<K, V> {
  abstract get size(): number;
  abstract get(key: K): V | undefined;
  abstract entries(): MapIterator<[K, V]>;

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'ReadonlyMap';
  }
}

/** A live read-only view of the map that `source()` returns at the time of each call. */
export class MapView<K, V> extends ReadonlyMapBase<K, V> {
  readonly #source: () => Lookup<K, V>;

  constructor(source: () => Lookup<K, V>) {
    super();
    this.#source = source;
  }

  get size(): number {
    return this.#source().size;
  }

  get(key: K): V | undefined {
    return this.#source().get(key);
  }

  override has(key: K): boolean {
    return this.#source().has(key);
  }

  entries(): MapIterator<[K, V]> {
    return this.#source().entries();
  }
}

/**
 * A live read-only view of `key -> inner.get(key) -> outer[index]`: maps each id to a value
 * stored by the id's dense index, without a second hash map.
 */
export class ComposedView<K> extends ReadonlyMapBase<K, number> {
  readonly #source: () => { inner: Lookup<K, number>; outer: ArrayLike<number> } | null;

  /** `source()` returns `null` when the view is empty (the feature is switched off). */
  constructor(source: () => { inner: Lookup<K, number>; outer: ArrayLike<number> } | null) {
    super();
    this.#source = source;
  }

  get size(): number {
    return this.#source()?.inner.size ?? 0;
  }

  get(key: K): number | undefined {
    const s = this.#source();
    const i = s?.inner.get(key);
    return s === null || i === undefined ? undefined : s.outer[i];
  }

  *entries(): MapIterator<[K, number]> {
    const s = this.#source();
    if (s === null) return;
    for (const [k, i] of s.inner.entries()) yield [k, s.outer[i] as number];
  }
}
