import { join } from 'node:path';
import { CooMatrix, CsrMatrix, LightFMError } from '@lightfm-ts/core';
import { type KnownKeys, describe, readOptions } from '@lightfm-ts/core/internal';
import { getDataHome } from './cache.js';
import { readOrDownload } from './download.js';
import { type NpyArray, indexValues, numberValues, parseNpy } from './npy.js';
import { type CacheOptions, CACHE_OPTION_KEYS, cacheOptions } from './options.js';
import { binaryCoo, hstackCsr } from './sparse-build.js';
import { readZipMembers } from './zip.js';

const ORIGIN = 'https://github.com/maciejkula/lightfm_datasets/releases/download/v0.1.0/';

/** The StackExchange sites LightFM publishes. */
export type StackexchangeDataset = 'crossvalidated' | 'stackoverflow';
const DATASETS: readonly StackexchangeDataset[] = ['crossvalidated', 'stackoverflow'];

/** Options of {@link fetchStackexchange}. */
export interface StackexchangeOptions extends CacheOptions {
  /**
   * Fraction of answers, the latest by time, that go to the test set; in (0, 1).
   * @default 0.2
   */
  testSetFraction?: number;
  /**
   * Keep only users with strictly more than this many training answers (LightFM's rule);
   * 0 keeps every user, including those without training answers.
   * @default 1
   */
  minTrainingInteractions?: number;
  /** One identity feature per question. @default true */
  indicatorFeatures?: boolean;
  /** The question tags as item features. @default false */
  tagFeatures?: boolean;
}

/** What {@link fetchStackexchange} returns. */
export interface StackexchangeData {
  /** `users x questions`, value 1 where the user answered before the cutoff time. */
  train: CooMatrix;
  /** `users x questions`, value 1 where the user answered at or after the cutoff time. */
  test: CooMatrix;
  /** `questions x F`: identity, tags, or `[identity | tags]`. */
  itemFeatures: CsrMatrix;
  /** `question_id:<i>` for indicator columns, the tag name for tag columns. */
  itemFeatureLabels: string[];
}

const KEYS: KnownKeys<StackexchangeOptions> = { ...CACHE_OPTION_KEYS, testSetFraction: true, minTrainingInteractions: true, indicatorFeatures: true, tagFeatures: true };
const NPZ_KEYS = [
  'interactions_shape',
  'interactions_row',
  'interactions_col',
  'interactions_data',
  'features_shape',
  'features_row',
  'features_col',
  'features_data',
  'labels',
] as const;
type NpzKey = (typeof NPZ_KEYS)[number];

/** The arrays of a LightFM StackExchange `.npz`, checked for consistency. */
interface RawStackexchange {
  shape: [number, number];
  row: Int32Array;
  col: Int32Array;
  /** Answer times, exactly as stored (float32 in LightFM's files). */
  time: Float64Array;
  tags: CsrMatrix;
  tagLabels: string[];
}

/**
 * Loads a StackExchange answers dataset (users x questions) from LightFM's release files,
 * split by time as LightFM's `fetch_stackexchange` does.
 *
 * The answers at or after the `(1 - testSetFraction)` quantile of answer times form the test
 * set; users with `minTrainingInteractions` or fewer training answers are dropped from both
 * (renumbering users). Repeat answers by a user to one question are not merged before the
 * split (LightFM 1.17 sums their timestamps, which sends them to the test set); each answer
 * is split by its own time and counts toward the user's training answers, which reproduces
 * LightFM's published counts. Each matrix then holds one entry of value 1 per
 * (user, question) pair. A pair answered both before and after the cutoff is in both
 * matrices (5 pairs for CrossValidated with `testSetFraction: 0.1`), so rank the test set
 * with `checkIntersections: false`.
 *
 * The file is read from `<dataHome>/stackexchange/stackexchange_<dataset>.npz`, downloaded
 * from LightFM's dataset release when missing. There is no pinned checksum for it: it is
 * accepted after every archive entry's CRC-32 and every array's structure check out.
 *
 * @param dataset - `'crossvalidated'` (9.4k users, 72k questions) or `'stackoverflow'`
 *   (1.3M users, 11M questions, several GB of memory).
 * @param options - Split, user filter, feature choice and cache options.
 * @returns Train and test interactions, item features and their labels.
 * @throws LightFMError `ERR_INVALID_ARG` for bad options, `ERR_DOWNLOAD` when the file is
 *   missing and cannot be downloaded, `ERR_CORRUPT_FILE` for a damaged or unexpected file,
 *   `ERR_ABORTED` when `signal` fires.
 * @example
 * ```ts
 * const { train, test, itemFeatures } = await fetchStackexchange('crossvalidated', {
 *   testSetFraction: 0.1, indicatorFeatures: false, tagFeatures: true,
 * });
 * const model = await new LightFM({ loss: 'warp', itemAlpha: 1e-6, noComponents: 30 })
 *   .fit(train, { itemFeatures, epochs: 3 });
 * ```
 */
export async function fetchStackexchange(dataset: StackexchangeDataset, options?: StackexchangeOptions): Promise<StackexchangeData> {
  const where = 'fetchStackexchange()';
  if (!DATASETS.includes(dataset)) {
    throw new LightFMError('ERR_INVALID_ARG', `${where}: unknown dataset ${describe(dataset)}; use 'crossvalidated' or 'stackoverflow'`);
  }
  const o = readOptions(where, options, KEYS);
  const fraction = o.number('testSetFraction', 0.2);
  if (!(fraction > 0 && fraction < 1)) throw o.invalid('testSetFraction', 'must be between 0 and 1 (exclusive), as in LightFM');
  const minTraining = o.int('minTrainingInteractions', 1, 0, Number.MAX_SAFE_INTEGER);
  const indicator = o.flag('indicatorFeatures', true);
  const tags = o.flag('tagFeatures', false);
  if (!indicator && !tags) {
    throw new LightFMError('ERR_INVALID_ARG', `${where}: at least one of indicatorFeatures or tagFeatures must be true`);
  }
  const cache = cacheOptions(where, o);
  const fileName = `stackexchange_${dataset}.npz`;
  const path = join(getDataHome(cache.dataHome), 'stackexchange', fileName);
  const raw = await readOrDownload({
    path,
    fileName,
    origin: ORIGIN,
    cache,
    missing: `the StackExchange ${dataset} dataset is not in the cache: expected ${path}`,
    read: readNpz,
  });
  return split(raw, { fraction, minTraining, indicator, tags });
}

function corrupt(source: string, why: string): LightFMError {
  return new LightFMError('ERR_CORRUPT_FILE', `${source} is not a LightFM StackExchange file: ${why}`);
}

/** Reads and checks every array of the `.npz`. */
async function readNpz(path: string, source: string): Promise<RawStackexchange> {
  const members = await readZipMembers(path, NPZ_KEYS.map((k) => `${k}.npy`));
  const arr = (k: NpzKey): NpyArray => parseNpy(members.get(`${k}.npy`) as Buffer, `${source}:${k}.npy`);
  const shapeOf = (k: 'interactions_shape' | 'features_shape'): [number, number] => {
    const s = numberValues(arr(k), `${source}:${k}.npy`);
    if (s.length !== 2 || !s.every((v) => Number.isInteger(v) && v >= 0 && v <= 0x7fffffff)) {
      throw corrupt(source, `${k} must hold two non-negative integers, found [${[...s].join(', ')}]`);
    }
    return [s[0] as number, s[1] as number];
  };
  const shape = shapeOf('interactions_shape');
  const featureShape = shapeOf('features_shape');
  if (featureShape[0] !== shape[1]) {
    throw corrupt(source, `features have ${featureShape[0]} rows but there are ${shape[1]} questions`);
  }
  const name = (k: NpzKey) => `${source}:${k}.npy`;
  const row = indexValues(arr('interactions_row'), shape[0], name('interactions_row'));
  const col = indexValues(arr('interactions_col'), shape[1], name('interactions_col'));
  const time = numberValues(arr('interactions_data'), name('interactions_data'));
  const fRow = indexValues(arr('features_row'), featureShape[0], name('features_row'));
  const fCol = indexValues(arr('features_col'), featureShape[1], name('features_col'));
  const fData = Float32Array.from(numberValues(arr('features_data'), name('features_data')));
  const labels = arr('labels');
  if (row.length !== col.length || row.length !== time.length) throw corrupt(source, 'interactions_row, _col and _data differ in length');
  if (fRow.length !== fCol.length || fRow.length !== fData.length) throw corrupt(source, 'features_row, _col and _data differ in length');
  if (labels.kind !== 'string' || labels.values.length !== featureShape[1]) {
    throw corrupt(source, `labels must be ${featureShape[1]} strings, found ${labels.values.length} values of dtype '${labels.descr}'`);
  }
  // The dimensions decide what is allocated (CSR row pointers, identity features, labels,
  // per-user counts), so they are checked against the entries present first: LightFM's files
  // have far fewer users and questions than answers plus tag entries, and a huge claimed
  // shape would otherwise abort the process on allocation.
  const present = row.length + fRow.length + labels.values.length;
  for (const [k, dims] of [['interactions_shape', shape], ['features_shape', featureShape]] as const) {
    if (dims[0] > present || dims[1] > present) {
      throw corrupt(source, `${k} (${dims.join(', ')}) is larger than the ${present} entries the file holds`);
    }
  }
  const tags = new CooMatrix(fRow, fCol, fData, featureShape).toCsr();
  return { shape, row, col, time, tags, tagLabels: labels.values };
}

/** LightFM's time split, user filter and feature assembly. */
function split(raw: RawStackexchange, o: { fraction: number; minTraining: number; indicator: boolean; tags: boolean }): StackexchangeData {
  const { row, col, time } = raw;
  const n = time.length;
  // cutoff = sort(times)[int(n * (1 - fraction))]; train = strictly earlier answers. For a
  // fraction below 2^-53, 1 - fraction rounds to 1 and the index to n, past the last time
  // (LightFM raises an IndexError there): no time is the earliest test time then, so every
  // answer is in train, as a test share of n * fraction < 1 answer says.
  const cutoffIndex = Math.trunc(n * (1 - o.fraction));
  const cutoff = cutoffIndex >= n ? Infinity : (Float64Array.from(time).sort()[cutoffIndex] as number);
  const inTrain = new Uint8Array(n);
  const trainAnswers = new Int32Array(raw.shape[0]);
  for (let k = 0; k < n; k++) {
    if ((time[k] as number) < cutoff) {
      inTrain[k] = 1;
      trainAnswers[row[k] as number]!++;
    }
  }
  // Users kept, renumbered in order; -1 for dropped ones.
  const newId = new Int32Array(raw.shape[0]).fill(-1);
  let users = 0;
  for (let u = 0; u < raw.shape[0]; u++) {
    if (o.minTraining === 0 || (trainAnswers[u] as number) > o.minTraining) newId[u] = users++;
  }
  const pick = (wantTrain: number) => {
    let count = 0;
    for (let k = 0; k < n; k++) if (inTrain[k] === wantTrain && (newId[row[k] as number] as number) >= 0) count++;
    const r = new Int32Array(count);
    const c = new Int32Array(count);
    for (let k = 0, j = 0; k < n; k++) {
      const u = newId[row[k] as number] as number;
      if (inTrain[k] !== wantTrain || u < 0) continue;
      r[j] = u;
      c[j++] = col[k] as number;
    }
    return binaryCoo(r, c, [users, raw.shape[1]]);
  };
  const nItems = raw.shape[1];
  const idLabels = () => Array.from({ length: nItems }, (_, i) => `question_id:${i}`);
  let itemFeatures: CsrMatrix;
  let itemFeatureLabels: string[];
  if (o.indicator && !o.tags) {
    itemFeatures = CsrMatrix.identity(nItems);
    itemFeatureLabels = idLabels();
  } else if (o.tags && !o.indicator) {
    itemFeatures = raw.tags;
    itemFeatureLabels = raw.tagLabels;
  } else {
    itemFeatures = hstackCsr(CsrMatrix.identity(nItems), raw.tags);
    itemFeatureLabels = idLabels().concat(raw.tagLabels);
  }
  return { train: pick(1), test: pick(0), itemFeatures, itemFeatureLabels };
}
