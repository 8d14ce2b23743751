// A prepared benchmark data set on disk: `meta.json` plus raw little-endian arrays that both
// sides load without parsing (numpy.fromfile on the Python side), so LightFM and lightfm-ts
// train and evaluate on byte-identical inputs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CooMatrix, CsrMatrix } from '@lightfm-ts/core';

/** Bumped whenever the layout or a generator changes, so stale caches are rebuilt. */
export const FORMAT = 3;

/** What `meta.json` holds. */
export interface DatasetMeta {
  format: number;
  /** Short id used on the command line (`ml100k`, `ml1m`, `synthetic10m`). */
  name: string;
  /** One line for the results table. */
  description: string;
  users: number;
  items: number;
  /** Stored entries of the train and test matrices (every value is 1). */
  train: number;
  test: number;
  /** Item feature matrix (`items x cols`), or null for identity features. */
  itemFeatures: { cols: number; nnz: number } | null;
  /** Users whose top-10 is computed (`rec_users.i32`). */
  recommendUsers: number;
  /** Which users' test entries are evaluated, in words. */
  evaluated: string;
  /** Training epochs of a full run. */
  epochs: number;
}

/** The arrays of a prepared set. */
export interface DatasetArrays {
  trainRow: Int32Array;
  trainCol: Int32Array;
  testRow: Int32Array;
  testCol: Int32Array;
  recommendUsers: Int32Array;
  itemFeatures?: { indptr: Int32Array; indices: Int32Array; data: Float32Array };
}

/** A prepared set as core matrices. */
export interface LoadedDataset {
  meta: DatasetMeta;
  train: CooMatrix;
  test: CsrMatrix;
  itemFeatures?: CsrMatrix;
  recommendUsers: Int32Array;
}

function write(dir: string, file: string, a: Int32Array | Float32Array): void {
  writeFileSync(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Writes a prepared set (little-endian hosts only, which is every platform Node supports). */
export function saveDataset(dir: string, meta: DatasetMeta, a: DatasetArrays): void {
  mkdirSync(dir, { recursive: true });
  write(dir, 'train_row.i32', a.trainRow);
  write(dir, 'train_col.i32', a.trainCol);
  write(dir, 'test_row.i32', a.testRow);
  write(dir, 'test_col.i32', a.testCol);
  write(dir, 'rec_users.i32', a.recommendUsers);
  if (a.itemFeatures) {
    write(dir, 'item_indptr.i32', a.itemFeatures.indptr);
    write(dir, 'item_indices.i32', a.itemFeatures.indices);
    write(dir, 'item_data.f32', a.itemFeatures.data);
  }
  // meta.json last: its presence marks a complete set.
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

/** The meta of a complete set in the current format, or undefined. */
export function readMeta(dir: string): DatasetMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as DatasetMeta;
    return meta.format === FORMAT ? meta : undefined;
  } catch {
    return undefined;
  }
}

function read<T extends Int32Array | Float32Array>(dir: string, file: string, make: (b: ArrayBuffer) => T, length: number): T {
  const bytes = readFileSync(join(dir, file));
  // Large files come back in a buffer of their own; small ones may be a pooled, unaligned
  // slice, which is copied (a copy of a large file would inflate the peak RSS measured).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const out = make(own ? bytes.buffer : new Uint8Array(bytes).buffer);
  if (out.length !== length) throw new Error(`${join(dir, file)}: expected ${length} values, found ${out.length}; delete the folder to rebuild it`);
  return out;
}

const ints = (b: ArrayBuffer) => new Int32Array(b);
const floats = (b: ArrayBuffer) => new Float32Array(b);

/**
 * The train entries of the users who are evaluated or served, as CSR (other rows empty): what
 * every side excludes when ranking. On the strided sets it is a few thousand entries, where
 * all of the 100M set's train rows as CSR would add 800 MB to the peak memory measured. When
 * every user is wanted it is the whole train matrix, converted directly (no filtered copy).
 */
export function exclusionMatrix(d: LoadedDataset): CsrMatrix {
  const wanted = new Uint8Array(d.meta.users);
  for (const u of d.recommendUsers) wanted[u] = 1;
  for (let u = 0; u < d.meta.users; u++) if ((d.test.indptr[u + 1] as number) > (d.test.indptr[u] as number)) wanted[u] = 1;
  if (wanted.every((w) => w === 1)) return d.train.toCsr();
  const { row, col } = d.train;
  let n = 0;
  for (let k = 0; k < row.length; k++) n += wanted[row[k] as number] as number;
  const [r, c] = [new Int32Array(n), new Int32Array(n)];
  for (let k = 0, j = 0; k < row.length; k++) {
    if (!wanted[row[k] as number]) continue;
    r[j] = row[k] as number;
    c[j++] = col[k] as number;
  }
  return new CooMatrix(r, c, new Float32Array(n).fill(1), d.train.shape).toCsr();
}

/** Loads a prepared set as core matrices (all interaction values 1). */
export function loadDataset(dir: string): LoadedDataset {
  const meta = readMeta(dir);
  if (!meta) throw new Error(`${dir}: no prepared data set in format ${FORMAT}; run the benchmark driver to prepare it`);
  const shape: [number, number] = [meta.users, meta.items];
  const train = new CooMatrix(read(dir, 'train_row.i32', ints, meta.train), read(dir, 'train_col.i32', ints, meta.train), new Float32Array(meta.train).fill(1), shape);
  const test = new CooMatrix(read(dir, 'test_row.i32', ints, meta.test), read(dir, 'test_col.i32', ints, meta.test), new Float32Array(meta.test).fill(1), shape).toCsr();
  const loaded: LoadedDataset = { meta, train, test, recommendUsers: read(dir, 'rec_users.i32', ints, meta.recommendUsers) };
  if (meta.itemFeatures) {
    const { cols, nnz } = meta.itemFeatures;
    loaded.itemFeatures = new CsrMatrix(read(dir, 'item_indptr.i32', ints, meta.items + 1), read(dir, 'item_indices.i32', ints, nnz), read(dir, 'item_data.f32', floats, nnz), [meta.items, cols]);
  }
  return loaded;
}
