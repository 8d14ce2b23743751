/**
 * Growable `(row, col, value)` columns in typed arrays: one entry costs 12 bytes and no
 * object, which keeps a 10-million-interaction build near the size of its output.
 */
export class TripletBuffer {
  #row: Int32Array;
  #col: Int32Array;
  #value: Float32Array;
  #length = 0;

  /** @param capacity entries to reserve; pass the exact count when it is known. */
  constructor(capacity = 1024) {
    const n = Math.max(1, capacity);
    this.#row = new Int32Array(n);
    this.#col = new Int32Array(n);
    this.#value = new Float32Array(n);
  }

  get length(): number {
    return this.#length;
  }

  push(row: number, col: number, value: number): void {
    const k = this.#length;
    if (k === this.#row.length) this.#grow();
    this.#row[k] = row;
    this.#col[k] = col;
    this.#value[k] = value;
    this.#length = k + 1;
  }

  /** The entries as exact-length arrays (copied once if over-allocated). Use the buffer no more. */
  finish(): { row: Int32Array; col: Int32Array; value: Float32Array } {
    const n = this.#length;
    const exact = n === this.#row.length;
    return {
      row: exact ? this.#row : this.#row.slice(0, n),
      col: exact ? this.#col : this.#col.slice(0, n),
      value: exact ? this.#value : this.#value.slice(0, n),
    };
  }

  #grow(): void {
    // Doubling keeps pushes amortised O(1); the slack is dropped by finish().
    const n = this.#row.length * 2;
    const row = new Int32Array(n);
    row.set(this.#row);
    const col = new Int32Array(n);
    col.set(this.#col);
    const value = new Float32Array(n);
    value.set(this.#value);
    this.#row = row;
    this.#col = col;
    this.#value = value;
  }
}
