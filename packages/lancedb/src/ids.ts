// The caller's ids: which id names each model row, and ids as an Arrow column and in filters.
import type { Dataset, Id } from '@lightfm-ts/core';
import { describe, invalidArg } from '@lightfm-ts/core/internal';
import type { Vector } from 'apache-arrow';
import type { Arrow } from './arrow-module.js';

/**
 * The caller's id of every model row: a `Dataset` (its user or item ids) or an array whose
 * element `r` is the id of model row `r` (as `dataset.itemIds()` gives).
 */
export type IdSource = Dataset | readonly Id[];

/** The id of each model row, from a `Dataset`, an array, or (when omitted) the row itself. */
export function rowIds(where: string, key: string, side: 'users' | 'items', source: IdSource | undefined): readonly Id[] | undefined {
  if (source === undefined) return undefined;
  // By shape, not `instanceof`: a Dataset of another installed copy of core works as well.
  if (isDataset(source)) return side === 'users' ? source.userIds() : source.itemIds();
  if (!Array.isArray(source)) throw invalidArg(`${where}: options.${key} must be a Dataset or an array of ids (strings or numbers), got ${describe(source)}`);
  return source as readonly Id[];
}

function isDataset(v: unknown): v is Dataset {
  return typeof v === 'object' && v !== null && typeof (v as Dataset).userIds === 'function' && typeof (v as Dataset).itemIds === 'function';
}

/** The ids of `rows`, checked to be all strings or all numbers (one column type). */
export function idsOfRows(where: string, key: string, byRow: readonly Id[] | undefined, rows: Int32Array): Id[] {
  if (byRow === undefined) return Array.from(rows);
  const ids = new Array<Id>(rows.length);
  const kind = typeof byRow[rows[0] ?? 0];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as number;
    if (row >= byRow.length) throw invalidArg(`${where}: options.${key} has ${byRow.length} ids, so model row ${row} has none; pass an id for every row`);
    const id = byRow[row] as Id;
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof id !== kind) {
      throw invalidArg(`${where}: options.${key} must hold only strings or only numbers (one column type), got ${describe(id)} at row ${row}`);
    }
    ids[r] = id;
  }
  return ids;
}

/** An id column: Utf8 for string ids, Float64 for numbers (every JS number round-trips). */
export function idVector(arrow: Arrow, ids: readonly Id[]): Vector {
  return typeof ids[0] === 'string' ? arrow.vectorFromArray(ids as string[], new arrow.Utf8()) : arrow.vectorFromArray(ids as number[], new arrow.Float64());
}

/** An id as a literal of LanceDB's SQL filter (`'it''s'`, `42`). */
export function sqlLiteral(where: string, id: Id): string {
  if (typeof id === 'string') return `'${id.replaceAll("'", "''")}'`;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  throw invalidArg(`${where}: ids must be strings or finite numbers, got ${describe(id)}`);
}
