import { LightFMError, invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import { CooMatrix, CsrMatrix } from '../sparse.js';
import { type Id, describeId, iterableArg, showDatum } from './ids.js';
import type { SideMapping } from './side.js';
import { TripletBuffer } from './triplets.js';

/**
 * The features of one user or item: names (weight 1 each), a `Map` of name to weight, or
 * a plain object of name to weight. Object keys are always strings, so use a `Map` when
 * feature names are numbers.
 */
export type FeatureList = readonly Id[] | ReadonlyMap<Id, number> | Readonly<Record<string, number>>;

/** `[id, features]`: the features of one user or item. */
export type FeatureRow = readonly [id: Id, features: FeatureList];

function pushWeighted(out: TripletBuffer, side: SideMapping, row: number, name: Id, weight: unknown, where: string): void {
  if (typeof weight !== 'number') {
    throw invalidArg(`${where}: the weight of feature ${describeId(name)} must be a number, got ${describe(weight)}`);
  }
  out.push(row, side.column(name), weight);
}

function pushFeatures(out: TripletBuffer, side: SideMapping, row: number, features: unknown, where: string): void {
  if (Array.isArray(features)) {
    for (const name of features) out.push(row, side.column(name), 1);
  } else if (features instanceof Map) {
    for (const [name, weight] of features) pushWeighted(out, side, row, name as Id, weight, where);
  } else if (features !== null && typeof features === 'object') {
    for (const name of Object.keys(features)) pushWeighted(out, side, row, name, (features as Record<string, unknown>)[name], where);
  } else {
    throw invalidArg(`${where}: features must be an array of names, a Map or an object of name -> weight, got ${describe(features)}`);
  }
}

/**
 * Divides every row by the sum of its absolute values (LightFM's l1 normalisation), in
 * place. A row whose sum is zero cannot be normalised and is an error.
 */
function normalizeRows(m: CsrMatrix, side: SideMapping, where: string): void {
  const { indptr, data } = m;
  for (let r = 0; r < m.shape[0]; r++) {
    const start = indptr[r] as number;
    const end = indptr[r + 1] as number;
    let sum = 0;
    for (let k = start; k < end; k++) sum += Math.abs(data[k] as number);
    if (sum === 0) {
      throw new LightFMError(
        'ERR_INVALID_ARG',
        `${where}: cannot normalize: ${side.side} ${describeId(side.ids.keyAt(r))} (row ${r}) has no features ` +
          `or only zero weights. Give every ${side.side} a feature, keep ${side.side}IdentityFeatures on, or pass normalize = false.`,
      );
    }
    for (let k = start; k < end; k++) data[k] = (data[k] as number) / sum;
  }
}

/** Feature entries of a side: rows, columns and weights, in parallel arrays. */
export interface FeatureEntries {
  row: Int32Array;
  col: Int32Array;
  value: Float32Array;
}

/**
 * The `rows x columns` feature matrix of one side from `entries`: the identity entry of every
 * mapped id (when on) comes first, repeated `(id, feature)` pairs are summed, and rows are
 * l1-normalised with `normalize`. The one place of this rule: `buildFeatures` and
 * `readFeatures` both end here.
 */
export function featureMatrix(side: SideMapping, entries: FeatureEntries, normalize: boolean, where: string): CsrMatrix {
  const identity = side.identityColumns() ?? new Int32Array(0);
  const k = identity.length;
  const n = k + entries.row.length;
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  const value = new Float32Array(n);
  for (let r = 0; r < k; r++) row[r] = r;
  row.set(entries.row, k);
  col.set(identity);
  col.set(entries.col, k);
  value.fill(1, 0, k);
  value.set(entries.value, k);
  const m = new CooMatrix(row, col, value, [side.rows, side.columns]).toCsr();
  if (normalize) normalizeRows(m, side, where);
  return m;
}

/**
 * Builds the `rows x columns` feature matrix of one side: the identity entry of every
 * mapped id (when on), plus the listed features. Repeated `(id, feature)` pairs are summed.
 */
export function buildFeatures(side: SideMapping, data: unknown, normalize: unknown, where: string): CsrMatrix {
  if (typeof normalize !== 'boolean') throw invalidArg(`${where}: normalize must be a boolean, got ${describe(normalize)}`);
  const rows = iterableArg<unknown>(`${where}: data`, data);
  const out = new TripletBuffer(Array.isArray(rows) ? rows.length * 4 : undefined);
  for (const datum of rows) {
    if (!Array.isArray(datum) || datum.length !== 2) {
      throw invalidArg(`${where}: expected [${side.side}Id, features], got ${showDatum(datum)}`);
    }
    pushFeatures(out, side, side.row(datum[0]), datum[1], where);
  }
  return featureMatrix(side, out.finish(), normalize, where);
}
