// `LanceItems`: recommend and similarItems answered from a LanceDB table written by
// `writeItems`, with core's result layout and the caller's ids.
import type { Table as LanceTable, VectorQuery } from '@lancedb/lancedb';
import { type Id, type LightFM, LightFMError, type SparseMatrix } from '@lightfm-ts/core';
import { type KnownKeys, asCsr, describe, invalidArg, readOptions } from '@lightfm-ts/core/internal';
import type { Table as ArrowTable } from 'apache-arrow';
import { ID_COLUMN, ROW_COLUMN, VECTOR_COLUMN } from './arrow.js';
import { type IdSource, rowIds, sqlLiteral } from './ids.js';
import { defaultProbes, searchDistance } from './index-config.js';
import { augmentQuery } from './mips.js';
import { LOCATION_KEYS, type TableLocation, openLocation } from './location.js';
import { type Candidate, type TopIds, emptyTop, fillRow } from './results.js';
import { UNIT_COLUMN } from './unit.js';

/** Options of {@link LanceItems.open}. */
export interface OpenItemsOptions extends TableLocation {
  /**
   * Your user id of every model row (a `Dataset`, or an array indexed by row): `recommend`
   * then takes these ids. @default `recommend` takes model user rows
   */
  users?: IdSource;
  /**
   * Seconds between checks for other writers' commits (LanceDB's option): `0` checks on every
   * read, so a replica sees a new write at once; omitted, the table stays at the version it
   * opened. @default undefined
   */
  readConsistencyInterval?: number;
}

/** Options of {@link LanceItems.recommend}. */
export interface LanceRecommendOptions {
  /** Items per user, capped at the table's rows. @default 10 */
  k?: number;
  /** As core's `recommend`: row `u` (a model user row) lists model item rows never returned to user `u`. */
  exclude?: SparseMatrix;
  /** `users x userFeatures`, as core's `recommend` (cold users from their feature rows). */
  userFeatures?: SparseMatrix;
  /** Threads computing the user vectors. @default 1 */
  numThreads?: number;
  /** IVF partitions probed per query (more: higher recall, slower); ignored by flat tables. @default a tenth of the partitions, at least 20 */
  nprobes?: number;
}

/** Options of {@link LanceItems.similarItems}. */
export interface LanceSimilarItemsOptions {
  /** Similar items per query, capped at the other rows. @default 10 */
  k?: number;
  /** As for `recommend`. */
  nprobes?: number;
}

const OPEN_KEYS: KnownKeys<OpenItemsOptions> = { ...LOCATION_KEYS, users: true, readConsistencyInterval: true };
const RECOMMEND_KEYS: KnownKeys<LanceRecommendOptions> = { k: true, exclude: true, userFeatures: true, numThreads: true, nprobes: true };
const SIMILAR_KEYS: KnownKeys<LanceSimilarItemsOptions> = { k: true, nprobes: true };

/** Queries sent to LanceDB in one request (one query vector each). */
const BATCH = 64;
/** Requests in flight at once: LanceDB runs each on its own threads. */
const IN_FLIGHT = 4;

/** Runs `f(start, end)` over `[0, n)` in batches of {@link BATCH}, {@link IN_FLIGHT} at a time. */
async function inBatches(n: number, f: (start: number, end: number) => Promise<void>): Promise<void> {
  for (let group = 0; group < n; group += BATCH * IN_FLIGHT) {
    const starts = Array.from({ length: IN_FLIGHT }, (_, j) => group + j * BATCH).filter((s) => s < n);
    await Promise.all(starts.map((s) => f(s, Math.min(n, s + BATCH))));
  }
}

/**
 * Item vectors in LanceDB, queried for a model's users. Open it with the model whose items
 * `writeItems` wrote; user vectors come from that model, items and ids from the table.
 *
 * @example
 * ```ts
 * const items = await LanceItems.open(model, { uri: './vectors', users: dataset });
 * const top = await items.recommend(['alice', 'bob'], { k: 10, exclude: train });
 * items.close();
 * ```
 */
export class LanceItems {
  readonly #model: LightFM;
  readonly #table: LanceTable;
  readonly #users: ((id: Id) => number) | undefined;
  readonly #indexed: boolean;
  /** Rows in the table when it was opened (`k` is capped at it). */
  readonly rows: number;

  private constructor(model: LightFM, table: LanceTable, users: ((id: Id) => number) | undefined, rows: number, indexed: boolean) {
    this.#model = model;
    this.#table = table;
    this.#users = users;
    this.rows = rows;
    this.#indexed = indexed;
  }

  /**
   * Opens a table written by `writeItems`.
   * @throws LightFMError `ERR_INVALID_ARG` for bad options; `ERR_FILE_NOT_FOUND` when the table does not exist
   */
  static async open(model: LightFM, options: OpenItemsOptions): Promise<LanceItems> {
    const where = 'LanceItems.open()';
    const o = readOptions(where, options, OPEN_KEYS);
    const users = userLookup(rowIds(where, 'users', 'users', o.get('users')));
    const { db, name } = await openLocation(where, o, o.number('readConsistencyInterval', undefined, 0));
    try {
      if (!(await db.tableNames()).includes(name)) {
        throw new LightFMError('ERR_FILE_NOT_FOUND', `${where}: no table '${name}' at ${String(o.get('uri'))}; write one with writeItems()`);
      }
      const table = await db.openTable(name);
      const indices = await table.listIndices();
      return new LanceItems(model, table, users, await table.countRows(), indices.some((i) => i.columns.includes(VECTOR_COLUMN)));
    } finally {
      db.close();
    }
  }

  /**
   * The top `k` items for each user by the model's score (dot product of the folded vectors),
   * one row per user in the order given, laid out as core's `recommend`. Flat tables answer
   * exactly; indexed ones approximately. Excluded items are never returned.
   *
   * @param userIds your user ids (with `users` at open) or model user rows
   * @throws LightFMError `ERR_INVALID_ARG` for bad options or unknown ids; `ERR_INDEX_RANGE` for a
   *   user without a row in `exclude`; the model's `exportEmbeddings` errors
   */
  async recommend(userIds: Id | readonly Id[], options?: LanceRecommendOptions): Promise<TopIds> {
    const where = 'LanceItems.recommend()';
    const o = readOptions(where, options, RECOMMEND_KEYS);
    const rows = this.#userRows(where, userIds);
    const k = Math.min(o.int('k', 10), this.rows);
    const nprobes = o.int('nprobes', defaultProbes(this.rows));
    const excluded = exclusions(where, o.get('exclude'), rows);
    const { dim, userVectors } = this.#model.exportEmbeddings({ userIds: rows, itemIds: [], userFeatures: o.get('userFeatures'), numThreads: o.int('numThreads', 1) });
    const top = emptyTop(rows.length, k);
    if (k === 0) return top;
    await inBatches(rows.length, async (start, end) => {
      const queries = Array.from({ length: end - start }, (_, q) => augmentQuery(userVectors.subarray((start + q) * dim, (start + q + 1) * dim)));
      // Over-fetch by the batch's largest exclusion list, so k remain after filtering.
      const extra = Math.max(0, ...excluded.slice(start, end).map((s) => s.size));
      const found = await this.#search(queries, VECTOR_COLUMN, k + extra, nprobes);
      for (let q = 0; q < queries.length; q++) {
        const skip = excluded[start + q] as Set<number>;
        fillRow(top, start + q, found[q] ?? [], (row) => skip.has(row));
      }
    });
    return top;
  }

  /**
   * The `k` items most similar to each given item: cosine of the embeddings (biases left out),
   * as core's `similarItems`, from the table's `unit` column. The item itself is never returned.
   *
   * @param itemIds ids as written (`id` column)
   * @throws LightFMError `ERR_INVALID_ARG` for bad options; `ERR_INDEX_RANGE` for an id not in the table
   */
  async similarItems(itemIds: Id | readonly Id[], options?: LanceSimilarItemsOptions): Promise<TopIds> {
    const where = 'LanceItems.similarItems()';
    const o = readOptions(where, options, SIMILAR_KEYS);
    const ids: readonly Id[] = Array.isArray(itemIds) ? itemIds : [itemIds as Id];
    const k = Math.min(o.int('k', 10), Math.max(0, this.rows - 1));
    const nprobes = o.int('nprobes', defaultProbes(this.rows));
    const byId = await this.#lookup(where, ids);
    const top = emptyTop(ids.length, k);
    if (k === 0) return top;
    await inBatches(ids.length, async (start, end) => {
      const batch = ids.slice(start, end).map((id) => byId.get(id) as { row: number; unit: Float32Array });
      const found = await this.#search(batch.map((b) => b.unit), UNIT_COLUMN, k + 1, nprobes);
      batch.forEach((b, q) => fillRow(top, start + q, found[q] ?? [], (row) => row === b.row));
    });
    return top;
  }

  /** Closes the table; the object cannot be queried afterwards. */
  close(): void {
    this.#table.close();
  }

  /**
   * One LanceDB request for several query vectors: the candidates of each, by query. Scores
   * are recomputed from the returned vectors: LanceDB's dot distance is `-dot` on some search
   * paths and `1 - dot` on others.
   */
  async #search(queries: Float32Array[], column: string, limit: number, nprobes: number): Promise<Candidate[][]> {
    let query: VectorQuery = this.#table.vectorSearch(queries[0] as Float32Array);
    for (const v of queries.slice(1)) query = query.addQueryVector(v);
    query = query.column(column).distanceType(searchDistance(this.#indexed)).limit(limit).select([ID_COLUMN, ROW_COLUMN, column, '_distance']);
    if (this.#indexed) query = query.nprobes(nprobes);
    return byQuery(await query.toArrow(), column, queries);
  }

  /** The row and unit vector of each id, from the table. */
  async #lookup(where: string, ids: readonly Id[]): Promise<Map<Id, { row: number; unit: Float32Array }>> {
    const out = new Map<Id, { row: number; unit: Float32Array }>();
    const distinct = [...new Set(ids)];
    for (let start = 0; start < distinct.length; start += 1000) {
      const list = distinct.slice(start, start + 1000).map((id) => sqlLiteral(where, id));
      const found = await this.#table.query().where(`${ID_COLUMN} IN (${list.join(', ')})`).select([ID_COLUMN, ROW_COLUMN, UNIT_COLUMN]).toArrow();
      const idCol = found.getChild(ID_COLUMN);
      const rowCol = found.getChild(ROW_COLUMN);
      const unitCol = found.getChild(UNIT_COLUMN);
      for (let i = 0; i < found.numRows; i++) {
        out.set(idCol?.get(i) as Id, { row: rowCol?.get(i) as number, unit: Float32Array.from(unitCol?.get(i) as Iterable<number>) });
      }
    }
    for (const id of distinct) {
      if (!out.has(id)) throw new LightFMError('ERR_INDEX_RANGE', `${where}: item id ${describe(id)} is not in the table; pass ids as written by writeItems()`);
    }
    return out;
  }

  /** Model user rows of the given ids. */
  #userRows(where: string, userIds: Id | readonly Id[]): Int32Array {
    const ids: readonly Id[] = Array.isArray(userIds) ? userIds : [userIds as Id];
    const rows = new Int32Array(ids.length);
    ids.forEach((id, i) => {
      if (this.#users) rows[i] = this.#users(id);
      else if (Number.isInteger(id) && (id as number) >= 0 && (id as number) <= 0x7fff_ffff) rows[i] = id as number;
      else throw invalidArg(`${where}: user ids are model rows (integers >= 0) unless LanceItems.open() got options.users, got ${describe(id)} at position ${i}`);
    });
    return rows;
  }
}

/** A lookup from the caller's user id to the model row. */
function userLookup(byRow: readonly Id[] | undefined): ((id: Id) => number) | undefined {
  if (byRow === undefined) return undefined;
  const map = new Map<Id, number>();
  byRow.forEach((id, row) => map.set(id, row));
  return (id) => {
    const row = map.get(id);
    if (row === undefined) throw invalidArg(`LanceItems.recommend(): unknown user id ${describe(id)} (not in options.users given to LanceItems.open())`);
    return row;
  };
}

/** Each user's excluded model item rows. */
function exclusions(where: string, exclude: SparseMatrix | undefined, rows: Int32Array): Set<number>[] {
  if (exclude === undefined) return Array.from(rows, () => new Set<number>());
  const csr = asCsr(`${where}: options.exclude`, exclude);
  return Array.from(rows, (row) => {
    if (row >= csr.shape[0]) throw new LightFMError('ERR_INDEX_RANGE', `${where}: user row ${row} has no row in options.exclude (${csr.shape[0]} rows); pass a matrix with a row for every requested user`);
    return new Set(csr.indices.subarray(csr.indptr[row], csr.indptr[row + 1]));
  });
}

/** LanceDB's answer to a multi-vector query, grouped by query, scored by dot product. */
function byQuery(table: ArrowTable, column: string, queries: Float32Array[]): Candidate[][] {
  const out = queries.map(() => [] as Candidate[]);
  const ids = table.getChild(ID_COLUMN);
  const rows = table.getChild(ROW_COLUMN);
  const vectors = table.getChild(column);
  const which = table.getChild('query_index');
  for (let i = 0; i < table.numRows; i++) {
    const q = which ? Number(which.get(i)) : 0;
    const vector = vectors?.get(i) as { toArray(): Float32Array };
    out[q]?.push({ id: ids?.get(i) as Id, row: rows?.get(i) as number, score: dot(queries[q] as Float32Array, vector.toArray()) });
  }
  return out;
}

/** The dot product, summed in double precision and rounded once (as core rescores). */
function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (b[j] as number);
  return Math.fround(sum);
}
