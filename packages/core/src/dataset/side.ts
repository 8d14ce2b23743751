import { LightFMError, invalidArg } from '../errors.js';
import { type Id, describeId, isId, iterableArg, otherTyped } from './ids.js';
import { KeyIndex } from './key-index.js';

/** `'user'` or `'item'`: which side of the model a mapping belongs to. */
export type SideName = 'user' | 'item';

/** Sizes of a mapping at one moment, to undo what came after. */
interface Checkpoint {
  rows: number;
  names: number;
  columns: number;
}

/**
 * One side's mappings: external ids to rows, feature names to columns, and each id's
 * identity column.
 *
 * Identity columns and named features share one column space, numbered in order of first
 * appearance like LightFM's, but they are keyed separately: a user id never collides with
 * a feature name of the same spelling (LightFM merges them into one column).
 */
export class SideMapping {
  readonly side: SideName;
  /** External id -> row. */
  readonly ids = new KeyIndex();
  /** Feature name -> column. */
  readonly names = new KeyIndex();
  /** Row -> its identity column, or `null` when identity features are off. */
  #identity: Int32Array | null;
  #columns = 0;

  constructor(side: SideName, identityFeatures: boolean) {
    this.side = side;
    this.#identity = identityFeatures ? new Int32Array(16) : null;
  }

  /** Number of mapped ids (rows of the interactions or feature matrix). */
  get rows(): number {
    return this.ids.size;
  }

  /** Number of feature columns: identity columns plus named features. */
  get columns(): number {
    return this.#columns;
  }

  get hasIdentity(): boolean {
    return this.#identity !== null;
  }

  /** Row -> identity column, as a view of the first `rows` entries (`null` when off). */
  identityColumns(): Int32Array | null {
    return this.#identity?.subarray(0, this.rows) ?? null;
  }

  /**
   * Maps every new id to the next row (and, with identity features, the next column).
   * @param where the argument's name in error messages
   */
  addIds(where: string, ids: unknown): void {
    for (const id of iterableArg<unknown>(where, ids)) {
      if (!isId(id)) throw invalidArg(`${where}: ${this.side} ids must be strings or numbers, got ${describeId(id)}`);
      const row = this.ids.size;
      if (!this.ids.add(id, row) || this.#identity === null) continue;
      this.#identity = roomFor(this.#identity, row + 1);
      this.#identity[row] = this.#columns++;
    }
  }

  /**
   * Maps ids a file reader found (distinct, none mapped yet, checked there) to the next rows
   * and identity columns, without hashing them now (see `KeyIndex.appendPositions`).
   */
  appendNewIds(ids: readonly Id[]): void {
    const first = this.ids.size;
    this.ids.appendPositions(ids);
    if (this.#identity === null) return;
    const identity = roomFor(this.#identity, this.rows);
    for (let row = first; row < this.rows; row++) identity[row] = this.#columns++;
    this.#identity = identity;
  }

  /** Maps every new feature name to the next column. */
  addFeatureNames(where: string, names: unknown): void {
    for (const name of iterableArg<unknown>(where, names)) {
      if (!isId(name)) throw invalidArg(`${where}: feature names must be strings or numbers, got ${describeId(name)}`);
      if (this.names.add(name, this.#columns)) this.#columns++;
    }
  }

  /** The row of `id`. @throws LightFMError `ERR_INVALID_ARG` naming the id when it is not mapped. */
  row(id: unknown): number {
    // No type check on this hot path: a non-id is simply never found.
    const row = this.ids.get(id as Id);
    if (row === undefined) throw this.#unknown(`${this.side} id`, id, this.ids, this.#fitHint());
    return row;
  }

  /** The column of feature `name`. @throws LightFMError `ERR_INVALID_ARG` when it is not mapped. */
  column(name: unknown): number {
    const column = this.names.get(name as Id);
    if (column === undefined) {
      const option = this.side === 'user' ? 'userFeatures' : 'itemFeatures';
      throw this.#unknown(`${this.side} feature`, name, this.names, `dataset.fitPartial(null, null, { ${option}: [...] })`);
    }
    return column;
  }

  checkpoint(): Checkpoint {
    return { rows: this.ids.size, names: this.names.size, columns: this.#columns };
  }

  /** Undoes every addition made after `cp`. */
  rollback(cp: Checkpoint): void {
    this.ids.truncate(cp.rows);
    this.names.truncate(cp.names);
    this.#columns = cp.columns;
  }

  #fitHint(): string {
    return this.side === 'user' ? 'dataset.fitPartial([...users])' : 'dataset.fitPartial(null, [...items])';
  }

  #unknown(what: string, key: unknown, index: KeyIndex, hint: string): LightFMError {
    if (!isId(key)) return invalidArg(`${what}s must be strings or numbers, got ${describeId(key)}`);
    const other = otherTyped(key);
    const typo =
      other !== undefined && index.get(other) !== undefined
        ? ` (${describeId(other)} is mapped: strings and numbers are different ids)`
        : '';
    return invalidArg(`${what} ${describeId(key)} is not in the dataset's mapping${typo}. Add it first with dataset.fit(...) or ${hint}.`);
  }
}

/** `table`, or a copy at least twice as long when it has fewer than `length` slots (appends stay amortised). */
function roomFor(table: Int32Array, length: number): Int32Array {
  if (length <= table.length) return table;
  const grown = new Int32Array(Math.max(length, table.length * 2));
  grown.set(table);
  return grown;
}
