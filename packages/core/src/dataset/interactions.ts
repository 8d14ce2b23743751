import { invalidArg } from '../errors.js';
import { describe, ownedView } from '../arrays.js';
import { CooMatrix } from '../sparse.js';
import { type Id, iterableArg, showDatum } from './ids.js';
import type { SideMapping } from './side.js';
import { TripletBuffer } from './triplets.js';
import { type KnownKeys, readOptions } from '../option-reader.js';

/** One interaction: `[user, item]` (weight 1) or `[user, item, weight]`. */
export type Interaction = readonly [user: Id, item: Id] | readonly [user: Id, item: Id, weight: number];

/**
 * Interactions as parallel columns: entry `k` is `(users[k], items[k], weights?.[k] ?? 1)`.
 * The fastest input for large data (no tuple per interaction).
 */
export interface InteractionColumns {
  /** The user id of each interaction (ids passed to `Dataset.fit`). */
  users: ArrayLike<Id>;
  /** The item id of each interaction, as long as `users`. */
  items: ArrayLike<Id>;
  /** One weight per interaction. @default 1 for every interaction */
  weights?: ArrayLike<number>;
}

/** What `Dataset.buildInteractions` returns. */
export interface BuiltInteractions {
  /** `users x items`, value 1 per stored interaction. */
  interactions: CooMatrix;
  /** The same coordinates in the same order, with each interaction's weight: pass it as `sampleWeight`. */
  weights: CooMatrix;
}

const WHERE = 'buildInteractions';
const COLUMN_KEYS: KnownKeys<InteractionColumns> = { users: true, items: true, weights: true };

function badTuple(datum: unknown): Error {
  const shown = showDatum(datum);
  return invalidArg(`${WHERE}: expected [userId, itemId] or [userId, itemId, weight], got ${shown}`);
}

function badWeight(position: string, weight: unknown): Error {
  return invalidArg(`${WHERE}: the weight of ${position} must be a number, got ${describe(weight)}`);
}

function fromTuples(users: SideMapping, items: SideMapping, data: Iterable<unknown>): TripletBuffer {
  const out = new TripletBuffer(Array.isArray(data) ? data.length : undefined);
  // Data is often grouped by user: reuse the last user's row instead of looking it up again.
  let lastUser: unknown;
  let u = -1;
  for (const datum of data) {
    if (!Array.isArray(datum) || (datum.length !== 2 && datum.length !== 3)) throw badTuple(datum);
    if (u < 0 || datum[0] !== lastUser) {
      lastUser = datum[0];
      u = users.row(lastUser);
    }
    const i = items.row(datum[1]);
    let w: unknown = 1;
    if (datum.length === 3) {
      w = datum[2];
      if (typeof w !== 'number') throw badWeight(showDatum(datum), w);
    }
    out.push(u, i, w as number);
  }
  return out;
}

/**
 * A column checked to be an array (or array-like) whose length is real, before the buffers are
 * sized from it: a typed array as every array input (`ownedView`), anything else with an
 * integer length whose last element exists (an object claiming a huge length is refused
 * before it is allocated for).
 */
function column<T>(name: string, col: unknown): ArrayLike<T> {
  const what = `${WHERE}: columns.${name}`;
  if (ArrayBuffer.isView(col)) return ownedView(what, col) as unknown as ArrayLike<T>;
  const length = (col as { length?: unknown } | null)?.length;
  if (col === null || typeof col !== 'object' || !Number.isSafeInteger(length) || (length as number) < 0) {
    throw invalidArg(`${what} must be an array, got ${describe(col)}`);
  }
  if ((length as number) > 0 && !((length as number) - 1 in col)) {
    throw invalidArg(`${what} has length ${length as number} but no element at index ${(length as number) - 1}; pass a dense array`);
  }
  return col as ArrayLike<T>;
}

function fromColumns(users: SideMapping, items: SideMapping, data: InteractionColumns): TripletBuffer {
  // Other columns (timestamps, ...) may come along; a misspelt `weights` may not.
  readOptions(WHERE, data, COLUMN_KEYS, { name: 'columns', otherKeys: true });
  const us = column<Id>('users', data.users);
  const is = column<Id>('items', data.items);
  const ws = data.weights === undefined ? undefined : column<unknown>('weights', data.weights);
  const n = us.length;
  if (is.length !== n || (ws !== undefined && ws.length !== n)) {
    throw invalidArg(`${WHERE}: columns must have equal lengths, got users ${n}, items ${is.length}, weights ${ws?.length ?? '-'}`);
  }
  const out = new TripletBuffer(n);
  let lastUser: unknown;
  let u = -1;
  for (let k = 0; k < n; k++) {
    const w = ws === undefined ? 1 : ws[k];
    if (typeof w !== 'number') throw badWeight(`entry ${k}`, w);
    if (u < 0 || us[k] !== lastUser) {
      lastUser = us[k];
      u = users.row(lastUser);
    }
    out.push(u, items.row(is[k]), w);
  }
  return out;
}

/**
 * Maps interactions to rows and columns in one pass. Duplicates stay separate entries, in
 * input order, in both matrices (LightFM's rule: each is its own training example).
 */
export function buildInteractions(
  users: SideMapping,
  items: SideMapping,
  data: Iterable<Interaction> | InteractionColumns,
): BuiltInteractions {
  let buffer: TripletBuffer;
  if (data !== null && typeof data === 'object' && Symbol.iterator in data) {
    buffer = fromTuples(users, items, iterableArg(`${WHERE}: data`, data));
  } else if (data !== null && typeof data === 'object' && 'users' in data && 'items' in data) {
    buffer = fromColumns(users, items, data);
  } else {
    throw invalidArg(`${WHERE}: data must be an iterable of [userId, itemId, weight?] or { users, items, weights? }, got ${describe(data)}`);
  }
  const { row, col, value } = buffer.finish();
  const shape: [number, number] = [users.rows, items.rows];
  // Validated once (finite weights); both matrices share the coordinate arrays, which are
  // the same by construction.
  const weights = new CooMatrix(row, col, value, shape);
  const ones = new Float32Array(row.length).fill(1);
  const interactions = CooMatrix.fromNative({ rows: shape[0], cols: shape[1], row, col, data: ones });
  return { interactions, weights };
}
