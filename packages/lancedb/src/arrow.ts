// `toArrowTable`: a model's exported embeddings as an Apache Arrow table, for any store or
// file format that ingests Arrow.
import type { Id, LightFM, NumericArray } from '@lightfm-ts/core';
import { type KnownKeys, type OptionsReader, readOptions } from '@lightfm-ts/core/internal';
import type { Table, Vector } from 'apache-arrow';
import { type Arrow, callerArrow } from './arrow-module.js';
import { type Metadata, metadataColumns, rowColumn, vectorColumn } from './columns.js';
import { type ExportSource, type ExportedChunk, type Side, exportChunks, rowsToExport } from './export.js';
import { type IdSource, idVector, idsOfRows, rowIds } from './ids.js';

/** Options of {@link toArrowTable}. */
export interface ArrowTableOptions extends ExportSource {
  /** Which side to export. @default 'items' */
  side?: Side;
  /** The caller's id of every model row (a `Dataset`, or an array indexed by row). @default the row index */
  ids?: IdSource;
  /** The model rows to export, in this order. @default every row */
  rows?: NumericArray;
  /** Extra columns, one value per model row (`metadata.title[row]`). */
  metadata?: Metadata;
}

/** The columns every embeddings table has: the caller's id, the model row and the folded vector. */
export const ID_COLUMN = 'id';
export const ROW_COLUMN = 'row';
export const VECTOR_COLUMN = 'vector';

export const TABLE_KEYS: KnownKeys<ArrowTableOptions> = {
  side: true,
  ids: true,
  rows: true,
  metadata: true,
  userFeatures: true,
  itemFeatures: true,
  numThreads: true,
};

/** A checked table request, ready to export chunk by chunk. */
export interface TableRequest {
  side: Side;
  source: ExportSource;
  ids: readonly Id[] | undefined;
  rows: Int32Array | undefined;
  metadata: Metadata | undefined;
}

/** Reads the table options shared by `toArrowTable` and `writeItems`. */
export function tableRequest<T extends ArrowTableOptions>(where: string, o: OptionsReader<T>, side: Side): TableRequest {
  const opts = o as unknown as OptionsReader<ArrowTableOptions>;
  const ids = rowIds(where, 'ids', side, opts.get('ids'));
  const features = side === 'items' ? opts.get('itemFeatures') : opts.get('userFeatures');
  const known = features?.shape[0] ?? ids?.length;
  return {
    side,
    ids,
    rows: rowsToExport(where, opts.get('rows'), known),
    metadata: opts.get('metadata'),
    source: { userFeatures: opts.get('userFeatures'), itemFeatures: opts.get('itemFeatures'), numThreads: opts.int('numThreads', 1) },
  };
}

/** The columns of one exported chunk, in table order: id, row, metadata, vector (then `extra`). */
export function chunkColumns(arrow: Arrow, where: string, request: TableRequest, chunk: ExportedChunk, extra: Record<string, Vector> = {}): Record<string, Vector> {
  const reserved = [ID_COLUMN, ROW_COLUMN, VECTOR_COLUMN, ...Object.keys(extra)];
  return {
    [ID_COLUMN]: idVector(arrow, idsOfRows(where, 'ids', request.ids, chunk.rows)),
    [ROW_COLUMN]: rowColumn(arrow, chunk.rows),
    ...metadataColumns(arrow, where, request.metadata, chunk.rows, reserved),
    [VECTOR_COLUMN]: vectorColumn(arrow, chunk.vectors, chunk.dim),
    ...extra,
  };
}

/** Exports the request's rows in chunks of `chunk` rows. */
export function requestChunks(model: LightFM, request: TableRequest, chunk: number): Generator<ExportedChunk> {
  return exportChunks(model, request.side, request.rows, request.source, chunk);
}

/**
 * A model's users or items as an Apache Arrow table: `id` (the caller's id: Utf8 for strings,
 * Float64 for numbers), `row` (the model row, Int32), the metadata columns, and `vector`
 * (`FixedSizeList<Float32>` of `noComponents + 2`, biases folded in, so the dot product of a
 * user's and an item's vector is their `predict` score).
 *
 * @example
 * ```ts
 * const table = toArrowTable(model, { ids: dataset, metadata: { title: titlesByItemRow } });
 * const bytes = tableToIPC(table); // apache-arrow
 * ```
 * @throws LightFMError `ERR_INVALID_ARG` for bad options, ids of mixed types or missing ids;
 *   `ERR_SHAPE` for a metadata column shorter than the rows; the model's `exportEmbeddings`
 *   errors (`ERR_NOT_FITTED`, `ERR_INDEX_RANGE`, `ERR_SHAPE`)
 */
export function toArrowTable(model: LightFM, options?: ArrowTableOptions): Table {
  const where = 'toArrowTable()';
  const o = readOptions(where, options, TABLE_KEYS);
  const side = o.string('side', 'items');
  if (side !== 'items' && side !== 'users') throw o.invalid('side', "must be 'items' or 'users'");
  const request = tableRequest(where, o, side);
  // One chunk: the table holds every row anyway.
  const chunk = requestChunks(model, request, Number.MAX_SAFE_INTEGER).next().value as ExportedChunk;
  return new callerArrow.Table(chunkColumns(callerArrow, where, request, chunk));
}
