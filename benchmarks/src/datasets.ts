// The benchmark data sets, prepared once into the cache as files every side reads.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CooMatrix, CsrMatrix } from '@lightfm-ts/core';
import { fetchMovielens, makeSynthetic } from '@lightfm-ts/datasets';
import { type DatasetArrays, type DatasetMeta, FORMAT, readMeta, saveDataset } from './data-files.js';

export const DATASET_NAMES = ['ml100k', 'ml1m', 'synthetic10m', 'synthetic100m', 'synthetic100m-hybrid'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** sha256 of `bench/ml1m-shaped-ratings.tsv`, as pinned in the shared data README. */
const ML1M_SHA256 = '6c579b7e29af2573e50e9c6fc91d6c8c87c8f6fdb7b15990e4be1730d2c375bb';

/** The 10M set: sizes from the issue; every `EVAL_STRIDE`-th user is evaluated and served. */
const SYNTHETIC = { users: 100_000, items: 50_000, interactions: 10_000_000, tags: 1000, tagsPerItem: 4, seed: 42 };
const EVAL_STRIDE = 100;

/**
 * The 100M sets: one draw of interactions, saved with identity features only and with item
 * metadata. Every `evalStride`-th user (1000 of them) is evaluated and served, and only those
 * users give up interactions to the test set: a `1 / testShare` of theirs.
 */
const SYNTHETIC_100M = { users: 5_000_000, items: 1_000_000, interactions: 100_000_000, tags: 1000, tagsPerItem: 4, seed: 42, evalStride: 5000, testShare: 5 };

type Prepared = [DatasetMeta, DatasetArrays];

/**
 * Repetitions of a full run. The host's slow phases often last a whole process, so a median
 * needs more processes than slow ones (docs/benchmarks.md): 5 on the MovieLens sets, whose
 * processes take seconds (one run had two of three 2-thread BPR processes slow); 3 on the 10M
 * set; 1 on the 100M sets, whose epochs take minutes each (long enough to average over those
 * phases) and whose runs would otherwise take most of a day.
 */
export function standardReps(name: string): number {
  if (name.startsWith('synthetic100m')) return 1;
  return name.startsWith('synthetic') ? 3 : 5;
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** splitmix64 of `i` (a well-mixed hash of an integer). */
function splitmix64(i: number): bigint {
  const mask = (1n << 64n) - 1n;
  let z = (BigInt(i) + 0x9e3779b97f4a7c15n) & mask;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return z ^ (z >> 31n);
}

/** The entries of `m` for which `keep(k)` holds. */
function filterEntries(m: CooMatrix, keep: (k: number) => boolean): { row: Int32Array; col: Int32Array } {
  const idx: number[] = [];
  for (let k = 0; k < m.nnz; k++) if (keep(k)) idx.push(k);
  return { row: Int32Array.from(idx, (k) => m.row[k] as number), col: Int32Array.from(idx, (k) => m.col[k] as number) };
}

/** Divides every row by its sum (LightFM's `Dataset` normalisation). */
function normalizeRows(m: CsrMatrix): Float32Array {
  const data = Float32Array.from(m.data);
  for (let r = 0; r < m.shape[0]; r++) {
    const [lo, hi] = [m.indptr[r] as number, m.indptr[r + 1] as number];
    let sum = 0;
    for (let k = lo; k < hi; k++) sum += data[k] as number;
    if (sum > 0) for (let k = lo; k < hi; k++) data[k] = (data[k] as number) / sum;
  }
  return data;
}

async function movielens100k(dataHome: string): Promise<Prepared> {
  const { train, test } = await fetchMovielens({ dataHome, downloadIfMissing: false });
  const [users, items] = train.shape;
  const meta: DatasetMeta = {
    format: FORMAT, name: 'ml100k', description: 'MovieLens 100k, ua.base / ua.test, every rating a positive',
    users, items, train: train.nnz, test: test.nnz, itemFeatures: null, recommendUsers: users, evaluated: 'all test users', epochs: 10,
  };
  return [meta, { trainRow: train.row, trainCol: train.col, testRow: test.row, testCol: test.col, recommendUsers: range(users) }];
}

function movielens1mShaped(dataHome: string): Prepared {
  const path = join(dataHome, 'bench', 'ml1m-shaped-ratings.tsv');
  const bytes = readFileSync(path);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== ML1M_SHA256) throw new Error(`${path}: sha256 ${sha} differs from the pinned ${ML1M_SHA256}`);
  const lines = bytes.toString('latin1').split('\n').filter((l) => l.length > 0);
  const [trainRow, trainCol, testRow, testCol]: [number[], number[], number[], number[]] = [[], [], [], []];
  let users = 0;
  let items = 0;
  lines.forEach((line, k) => {
    const [u, i] = line.split('\t').map((v) => Number(v) - 1) as [number, number];
    users = Math.max(users, u + 1);
    items = Math.max(items, i + 1);
    // The split of hogwild-prototype-results.md: row k is a test row when splitmix64(k) % 10 == 0.
    const test = splitmix64(k) % 10n === 0n;
    (test ? testRow : trainRow).push(u);
    (test ? testCol : trainCol).push(i);
  });
  const meta: DatasetMeta = {
    format: FORMAT, name: 'ml1m', description: 'MovieLens-1M-shaped table (1,000,209 ratings), every rating a positive, 90/10 split',
    users, items, train: trainRow.length, test: testRow.length, itemFeatures: null, recommendUsers: users, evaluated: 'all test users', epochs: 5,
  };
  return [meta, {
    trainRow: Int32Array.from(trainRow), trainCol: Int32Array.from(trainCol),
    testRow: Int32Array.from(testRow), testCol: Int32Array.from(testCol), recommendUsers: range(users),
  }];
}

function synthetic10m(): Prepared[] {
  const s = SYNTHETIC;
  const { train, test, itemFeatures } = makeSynthetic({
    users: s.users, items: s.items, interactions: s.interactions, features: s.tags, featuresPerItem: s.tagsPerItem, testFraction: 0.1, seed: s.seed,
  });
  const evaluated = filterEntries(test, (k) => (test.row[k] as number) % EVAL_STRIDE === 0);
  const recommendUsers = Int32Array.from({ length: Math.ceil(s.users / EVAL_STRIDE) }, (_, i) => i * EVAL_STRIDE);
  const meta: DatasetMeta = {
    format: FORMAT, name: 'synthetic10m',
    description: `synthetic (makeSynthetic, seed ${s.seed}): ${s.users / 1000}k users x ${s.items / 1000}k items, ${s.interactions / 1e6}M interactions (90% train), ${s.tagsPerItem + 1} active item features (identity + ${s.tagsPerItem} of ${s.tags} tags, rows normalised)`,
    users: s.users, items: s.items, train: train.nnz, test: evaluated.row.length,
    itemFeatures: { cols: itemFeatures.shape[1], nnz: itemFeatures.nnz }, recommendUsers: recommendUsers.length,
    evaluated: `every ${EVAL_STRIDE}th user (${recommendUsers.length} users)`, epochs: 1,
  };
  return [[meta, {
    trainRow: train.row, trainCol: train.col, testRow: evaluated.row, testCol: evaluated.col, recommendUsers,
    itemFeatures: { indptr: itemFeatures.indptr, indices: itemFeatures.indices, data: normalizeRows(itemFeatures) },
  }]];
}

/**
 * Moves a `1 / share` of the entries of every `stride`-th user (entry `k` when
 * `splitmix64(k) % share == 0`) into a test set, compacting the rest in place: at 100M
 * entries a second copy would be another 800 MB.
 */
export function holdOutStrided(row: Int32Array, col: Int32Array, stride: number, share: number): { train: { row: Int32Array; col: Int32Array }; test: { row: Int32Array; col: Int32Array } } {
  const [testRow, testCol]: [number[], number[]] = [[], []];
  let kept = 0;
  for (let k = 0; k < row.length; k++) {
    const [u, i] = [row[k] as number, col[k] as number];
    if (u % stride === 0 && splitmix64(k) % BigInt(share) === 0n) {
      testRow.push(u);
      testCol.push(i);
    } else {
      row[kept] = u;
      col[kept++] = i;
    }
  }
  return { train: { row: row.subarray(0, kept), col: col.subarray(0, kept) }, test: { row: Int32Array.from(testRow), col: Int32Array.from(testCol) } };
}

/** Both 100M sets from one draw (about 2 GB and a minute or two of `makeSynthetic`). */
function synthetic100m(): Prepared[] {
  const s = SYNTHETIC_100M;
  const { train: all, itemFeatures } = makeSynthetic({
    users: s.users, items: s.items, interactions: s.interactions, features: s.tags, featuresPerItem: s.tagsPerItem, testFraction: 0, seed: s.seed,
  });
  const { train, test } = holdOutStrided(all.row, all.col, s.evalStride, s.testShare);
  const recommendUsers = Int32Array.from({ length: Math.ceil(s.users / s.evalStride) }, (_, i) => i * s.evalStride);
  const shape = `${s.users / 1e6}M users x ${s.items / 1e6}M items, ${s.interactions / 1e6}M interactions (Zipf 0.8 item popularity), test: 1 in ${s.testShare} of the interactions of every ${s.evalStride}th user`;
  const base = {
    format: FORMAT, users: s.users, items: s.items, train: train.row.length, test: test.row.length, recommendUsers: recommendUsers.length,
    evaluated: `every ${s.evalStride}th user (${recommendUsers.length} users)`, epochs: 1,
  };
  const arrays: DatasetArrays = { trainRow: train.row, trainCol: train.col, testRow: test.row, testCol: test.col, recommendUsers };
  return [
    [{ ...base, name: 'synthetic100m', description: `synthetic (makeSynthetic, seed ${s.seed}): ${shape}, identity features`, itemFeatures: null }, arrays],
    [
      {
        ...base, name: 'synthetic100m-hybrid', itemFeatures: { cols: itemFeatures.shape[1], nnz: itemFeatures.nnz },
        description: `synthetic (makeSynthetic, seed ${s.seed}): ${shape}, ${s.tagsPerItem + 1} active item features (identity + ${s.tagsPerItem} of ${s.tags} tags, rows normalised)`,
      },
      { ...arrays, itemFeatures: { indptr: itemFeatures.indptr, indices: itemFeatures.indices, data: normalizeRows(itemFeatures) } },
    ],
  ];
}

/**
 * Where each set comes from: the file it needs under the data home (none for the synthetic
 * ones), and the generator, which may prepare several sets from one draw.
 */
const SOURCES: Record<DatasetName, { file?: (dataHome: string) => string; make: (dataHome: string) => Promise<Prepared[]> | Prepared[] }> = {
  ml100k: { file: (home) => join(home, 'movielens100k'), make: async (home) => [await movielens100k(home)] },
  ml1m: { file: (home) => join(home, 'bench', 'ml1m-shaped-ratings.tsv'), make: (home) => [movielens1mShaped(home)] },
  synthetic10m: { make: synthetic10m },
  synthetic100m: { make: synthetic100m },
  'synthetic100m-hybrid': { make: synthetic100m },
};

/** Why a data set cannot be prepared here, or undefined when it can. */
export function unavailable(name: DatasetName, dataHome: string | undefined): string | undefined {
  const { file } = SOURCES[name];
  if (!file) return undefined;
  if (!dataHome) return 'LIGHTFM_DATA_HOME is not set (and ../shared/data does not exist)';
  return existsSync(file(dataHome)) ? undefined : `${file(dataHome)} does not exist`;
}

/**
 * Prepares `name` under `cacheDir` unless a complete copy in the current format is there.
 * Sets drawn together (the two 100M sets) are all saved when one is prepared.
 * @returns The folder and its meta.
 */
export async function prepareDataset(name: DatasetName, cacheDir: string, dataHome: string | undefined): Promise<{ dir: string; meta: DatasetMeta }> {
  const dir = join(cacheDir, name);
  const cached = readMeta(dir);
  if (cached) return { dir, meta: cached };
  const reason = unavailable(name, dataHome);
  if (reason) throw new Error(`cannot prepare ${name}: ${reason}`);
  let prepared: DatasetMeta | undefined;
  for (const [meta, arrays] of await SOURCES[name].make(dataHome ?? '')) {
    const target = join(cacheDir, meta.name);
    if (meta.name === name || !readMeta(target)) saveDataset(target, meta, arrays);
    if (meta.name === name) prepared = meta;
  }
  if (!prepared) throw new Error(`the generator of ${name} did not produce it`);
  return { dir, meta: prepared };
}
