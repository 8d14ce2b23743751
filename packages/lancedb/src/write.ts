// `writeItems`: a model's item vectors, the caller's ids and metadata into a LanceDB table,
// then the index the table's size calls for.
import type { Table as LanceTable } from '@lancedb/lancedb';
import { type LightFM, LightFMError } from '@lightfm-ts/core';
import { type KnownKeys, readOptions } from '@lightfm-ts/core/internal';
import type { Schema } from 'apache-arrow';
import { lanceArrow } from './arrow-module.js';
import { type ArrowTableOptions, ID_COLUMN, type TableRequest, VECTOR_COLUMN, chunkColumns, requestChunks, tableRequest } from './arrow.js';
import type { ExportedChunk } from './export.js';
import { augmentItems, maxSquaredNorm, tableSquaredNorm } from './mips.js';
import { type IndexChoice, idIndex, ivfIndex, wantsIndex } from './index-config.js';
import { LOCATION_KEYS, type TableLocation, openLocation } from './location.js';
import { UNIT_COLUMN, unitColumn } from './unit.js';

/** Options of {@link writeItems}. */
export interface WriteItemsOptions extends TableLocation, Omit<ArrowTableOptions, 'side' | 'userFeatures'> {
  /** `'overwrite'` replaces the table (or creates it); `'append'` adds rows to it (or creates it). @default 'overwrite' */
  mode?: 'overwrite' | 'append';
  /**
   * `'auto'`: an IVF index by dot product once the table has 20,000 rows or more, flat
   * (exact) search below; `'flat'`: no index; `'ivf'`: always an index. @default 'auto'
   */
  index?: IndexChoice;
  /** Stops the write between chunks (rows already written stay written). */
  signal?: AbortSignal;
}

/** What {@link writeItems} left in the store. */
export interface WrittenItems {
  /** The table's name. */
  table: string;
  /** Rows in the table after the write. */
  rows: number;
  /** Whether the table now has its vector indices (else it is searched flat). */
  indexed: boolean;
}

const WRITE_KEYS: KnownKeys<WriteItemsOptions> = {
  ...LOCATION_KEYS,
  ids: true,
  rows: true,
  metadata: true,
  itemFeatures: true,
  numThreads: true,
  mode: true,
  index: true,
  signal: true,
};

/** Rows exported and written at a time: bounds the extra memory of a large catalogue. */
const CHUNK_ROWS = 65_536;

/**
 * Writes a model's item vectors into a LanceDB table: one row per item with `id` (your id),
 * `row` (the model's item index), your metadata columns, `vector` (the folded vector, whose dot
 * product with a user's is the `predict` score, plus one coordinate that makes every stored
 * vector equally long, so an L2 index finds the largest dot products) and `unit` (the unit
 * embedding, for `similarItems`). Then builds the index `options.index` calls for.
 *
 * @example
 * ```ts
 * await writeItems(model, { uri: './vectors', ids: dataset, metadata: { title: titlesByItemRow } });
 * await writeItems(model, { uri: 's3://bucket/recs', storageOptions: { region: 'eu-west-1' }, ids: dataset });
 * ```
 * @throws LightFMError `ERR_INVALID_ARG` for bad options; `ERR_SHAPE` when appending vectors or ids
 *   of another kind than the table's, or for short metadata; `ERR_ABORTED` when `signal` aborts;
 *   the model's `exportEmbeddings` errors
 */
export async function writeItems(model: LightFM, options: WriteItemsOptions): Promise<WrittenItems> {
  const where = 'writeItems()';
  const o = readOptions(where, options, WRITE_KEYS);
  const mode = o.string('mode', 'overwrite');
  if (mode !== 'overwrite' && mode !== 'append') throw o.invalid('mode', "must be 'overwrite' or 'append'");
  const index = o.string('index', 'auto');
  if (index !== 'auto' && index !== 'flat' && index !== 'ivf') throw o.invalid('index', "must be 'auto', 'flat' or 'ivf'");
  const signal = o.signal('signal');
  const request = tableRequest(where, o, 'items');
  const { db, name } = await openLocation(where, o);
  try {
    let table = mode === 'append' && (await db.tableNames()).includes(name) ? await db.openTable(name) : undefined;
    const appending = table !== undefined;
    const stored = table && (await storedVector(table));
    const chunks = exportTwice(model, request);
    const m2 = stored ? tableSquaredNorm(stored) : chunks.maxSquaredNorm();
    for (const chunk of chunks.again()) {
      if (signal?.aborted) throw new LightFMError('ERR_ABORTED', `${where}: aborted after ${table ? await table.countRows() : 0} rows`, { cause: signal.reason });
      const augmented = { rows: chunk.rows, vectors: augmentItems(where, chunk.vectors, chunk.dim, m2), dim: chunk.dim + 1 };
      const data = new lanceArrow.Table(chunkColumns(lanceArrow, where, request, augmented, { [UNIT_COLUMN]: unitColumn(lanceArrow, chunk.vectors, chunk.dim) }));
      if (table === undefined) table = await db.createTable(name, data, { mode: 'overwrite' });
      else {
        if (appending) checkAppendable(where, name, await table.schema(), data.schema);
        await table.add(data);
      }
    }
    const written = table as LanceTable;
    const rows = await written.countRows();
    const indexed = wantsIndex(index, rows);
    if (indexed) {
      for (const column of [VECTOR_COLUMN, UNIT_COLUMN]) await written.createIndex(column, { config: ivfIndex(rows), replace: true });
      await written.createIndex(ID_COLUMN, { config: idIndex(), replace: true });
    }
    written.close();
    return { table: name, rows, indexed };
  } finally {
    db.close();
  }
}

/**
 * The request's chunks for two passes: the first finds the longest vector (the MIPS transform
 * needs it before anything is written), the second writes. A single chunk is kept, not
 * exported twice; more are exported again rather than all held at once.
 */
function exportTwice(model: LightFM, request: TableRequest): { maxSquaredNorm(): number; again(): Iterable<ExportedChunk> } {
  let only: ExportedChunk | undefined;
  let count = 0;
  return {
    maxSquaredNorm() {
      let max = 0;
      for (const chunk of requestChunks(model, request, CHUNK_ROWS)) {
        max = Math.max(max, maxSquaredNorm(chunk.vectors, chunk.dim));
        only = count++ === 0 ? chunk : undefined;
      }
      return max;
    },
    again: () => (only ? [only] : requestChunks(model, request, CHUNK_ROWS)),
  };
}

/** One stored vector (they all have the table's norm), or undefined for an empty table. */
async function storedVector(table: LanceTable): Promise<Float32Array | undefined> {
  const found = await table.query().select([VECTOR_COLUMN]).limit(1).toArrow();
  const v = found.getChild(VECTOR_COLUMN)?.get(0) as { toArray(): Float32Array } | null | undefined;
  return v ? v.toArray() : undefined;
}

/** Appended rows must have the table's vector width and id type. */
function checkAppendable(where: string, name: string, existing: Schema, adding: Schema): void {
  for (const column of [ID_COLUMN, VECTOR_COLUMN]) {
    const had = existing.fields.find((f) => f.name === column)?.type;
    const has = adding.fields.find((f) => f.name === column)?.type;
    const same = had !== undefined && has !== undefined && had.typeId === has.typeId && (had.typeId !== lanceArrow.Type.FixedSizeList || (had as { listSize: number }).listSize === (has as { listSize: number }).listSize);
    if (!same) {
      throw new LightFMError('ERR_SHAPE', `${where}: table '${name}' has ${column} ${String(had)}, these rows have ${String(has)}; write them with mode 'overwrite' or into another table`);
    }
  }
}
