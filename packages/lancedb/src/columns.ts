// Arrow columns of an embeddings table: vectors, model rows and the caller's metadata.
import { LightFMError } from '@lightfm-ts/core';
import { describe, invalidArg } from '@lightfm-ts/core/internal';
import type { DataType, Vector } from 'apache-arrow';
import type { Arrow } from './arrow-module.js';

/**
 * Extra columns: `metadata[name][r]` describes model row `r` (as ids do), so any subset of
 * rows can be written. Strings, numbers and booleans (one type per column), or `null`.
 */
export type Metadata = Readonly<Record<string, ArrayLike<string | number | boolean | null>>>;

/** `rows x dim` floats as a `FixedSizeList<Float32>` column (no copy). */
export function vectorColumn(arrow: Arrow, values: Float32Array, dim: number): Vector {
  const type = new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true));
  const child = arrow.makeData({ type: new arrow.Float32(), length: values.length, data: values });
  return arrow.makeVector(arrow.makeData({ type, length: values.length / dim, nullCount: 0, child }));
}

/** Model rows as an `Int32` column. */
export function rowColumn(arrow: Arrow, rows: Int32Array): Vector {
  return arrow.makeVector(rows);
}

const TYPES: Record<string, (arrow: Arrow) => DataType> = { string: (a) => new a.Utf8(), number: (a) => new a.Float64(), boolean: (a) => new a.Bool() };

/** The metadata columns for `rows`, each checked for length and one value type. */
export function metadataColumns(arrow: Arrow, where: string, metadata: Metadata | undefined, rows: Int32Array, reserved: readonly string[]): Record<string, Vector> {
  const out: Record<string, Vector> = {};
  if (metadata === undefined) return out;
  if (metadata === null || typeof metadata !== 'object') throw invalidArg(`${where}: options.metadata must be an object of columns, got ${describe(metadata)}`);
  for (const [name, column] of Object.entries(metadata)) {
    if (reserved.includes(name)) throw invalidArg(`${where}: options.metadata.${name} clashes with the column the package writes (${reserved.join(', ')}); rename it`);
    if (column === null || typeof column !== 'object' || typeof column.length !== 'number') {
      throw invalidArg(`${where}: options.metadata.${name} must be an array with one value per model row, got ${describe(column)}`);
    }
    const values = new Array<string | number | boolean | null>(rows.length);
    let kind: string | undefined;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as number;
      if (row >= column.length) {
        throw new LightFMError('ERR_SHAPE', `${where}: options.metadata.${name} has ${column.length} values, so model row ${row} has none; give one value per model row`);
      }
      const v = column[row] ?? null;
      if (v !== null) {
        if (!(typeof v in TYPES) || (kind !== undefined && typeof v !== kind)) {
          throw invalidArg(`${where}: options.metadata.${name} must hold strings, numbers or booleans of one type (or null), got ${describe(v)} at row ${row}`);
        }
        kind = typeof v;
      }
      values[r] = v;
    }
    out[name] = arrow.vectorFromArray(values, (TYPES[kind ?? 'string'] as (a: Arrow) => DataType)(arrow));
  }
  return out;
}
