import { join } from 'node:path';
import { CooMatrix, CsrMatrix, LightFMError } from '@lightfm-ts/core';
import { type KnownKeys, readOptions } from '@lightfm-ts/core/internal';
import { exists, getDataHome, readCacheFile } from './cache.js';
import { verifySha256 } from './checksum.js';
import { readOrDownload } from './download.js';
import { withAdvice } from './errors.js';
import { type CacheOptions, CACHE_OPTION_KEYS, type ResolvedCacheOptions, cacheOptions } from './options.js';
import { hstackCsr } from './sparse-build.js';
import { readZipMembers } from './zip.js';

const ORIGIN = 'https://files.grouplens.org/datasets/movielens/';
const ZIP_NAME = 'ml-100k.zip';
const FOLDER_NAME = 'ml-100k';

/** sha256 of the official ml-100k members that are read (shared/data/README.md). */
const MEMBER_SHA256 = {
  'ua.base': '67b5bcdb380c29f85d56a012ecd88612ae020f30a6730d117a334ee8203b91f2',
  'ua.test': 'd0497e202417720f57a184ec8c66be2d1afa4ff41bb53787c57b28d6bf79bc42',
  'u.item': '553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701',
  'u.genre': '9757e0d3e6b298159a80dd48eaf938114690e911e39af97a76949ef1663610bb',
} as const;
type Member = keyof typeof MEMBER_SHA256;
const MEMBERS = Object.keys(MEMBER_SHA256) as Member[];

/** Options of {@link fetchMovielens}. */
export interface MovielensOptions extends CacheOptions {
  /** One identity feature per item (the item's own embedding). @default true */
  indicatorFeatures?: boolean;
  /** The 19 genre flags of `u.item` as item features. @default false */
  genreFeatures?: boolean;
  /** Keep only ratings `>= minRating`. @default 0 */
  minRating?: number;
}

/** What {@link fetchMovielens} returns. */
export interface MovielensData {
  /** `943 x 1682` ratings of `ua.base` (values 1–5), row-major. */
  train: CooMatrix;
  /** `943 x 1682` ratings of `ua.test` (10 per user), row-major. */
  test: CooMatrix;
  /** `1682 x F`: identity, genres, or `[identity | genres]` depending on the options. */
  itemFeatures: CsrMatrix;
  /** One label per feature column: titles for indicator columns, `genre:<name>` for genres. */
  itemFeatureLabels: string[];
  /** Full title of every item (`itemLabels[i]` for item `i`). */
  itemLabels: string[];
}

const KEYS: KnownKeys<MovielensOptions> = { ...CACHE_OPTION_KEYS, indicatorFeatures: true, genreFeatures: true, minRating: true };

/**
 * Loads MovieLens 100k as LightFM's `fetch_movielens` does: the `ua.base` / `ua.test` split,
 * 0-based ids, raw ratings as values, and identity and/or genre item features.
 *
 * The data is read from `<dataHome>/movielens100k/ml-100k/` (the extracted folder) or
 * `<dataHome>/movielens100k/ml-100k.zip`, and downloaded from GroupLens into the latter when
 * neither exists. Every member file read is checked against its pinned sha256 first.
 * Unlike LightFM 1.17, titles are complete (it truncates them to one character) and are
 * decoded as Latin-1 (it drops the accented characters).
 *
 * @param options - Feature choice, rating filter and cache options.
 * @returns Train and test interactions, item features with labels, and item titles. For
 *   indicator-only features, `itemFeatureLabels` is the same array as `itemLabels`.
 * @throws LightFMError `ERR_INVALID_ARG` for bad options (including both feature flags
 *   false), `ERR_DOWNLOAD` when the data is missing and cannot be downloaded,
 *   `ERR_CHECKSUM` when a member file differs from the official one, `ERR_CORRUPT_FILE`
 *   for a damaged archive, `ERR_ABORTED` when `signal` fires.
 * @example
 * ```ts
 * import { LightFM } from '@lightfm-ts/core';
 * import { fetchMovielens } from '@lightfm-ts/datasets';
 *
 * const { train, test, itemLabels } = await fetchMovielens({ minRating: 4 });
 * const model = await new LightFM({ loss: 'warp' }).fit(train, { epochs: 10 });
 * ```
 */
export async function fetchMovielens(options?: MovielensOptions): Promise<MovielensData> {
  const where = 'fetchMovielens()';
  const o = readOptions(where, options, KEYS);
  const indicator = o.flag('indicatorFeatures', true);
  const genres = o.flag('genreFeatures', false);
  const minRating = o.number('minRating', 0);
  if (!indicator && !genres) {
    throw new LightFMError('ERR_INVALID_ARG', `${where}: at least one of indicatorFeatures or genreFeatures must be true`);
  }
  const files = await loadMembers(cacheOptions(where, o));
  return buildDataset(files, { indicator, genres, minRating });
}

/** The four member files, verified, from the folder, the zip, or a fresh download. */
async function loadMembers(cache: ResolvedCacheOptions): Promise<Map<Member, Buffer>> {
  const dir = join(getDataHome(cache.dataHome), 'movielens100k');
  const folder = join(dir, FOLDER_NAME);
  const zipPath = join(dir, ZIP_NAME);
  const folderFiles = MEMBERS.map((m) => join(folder, m));
  if ((await Promise.all(folderFiles.map(exists))).every(Boolean)) {
    const files = new Map<Member, Buffer>();
    for (const [k, m] of MEMBERS.entries()) files.set(m, await readCacheFile(folderFiles[k] as string));
    try {
      return verified(files, folder);
    } catch (err) {
      throw withAdvice(err, `Replace ${folder} with the official files, or delete it to download them again`);
    }
  }
  return readOrDownload({
    path: zipPath,
    fileName: ZIP_NAME,
    origin: ORIGIN,
    cache,
    missing: `MovieLens 100k is not in the cache: expected ${zipPath} or the extracted folder ${folder}/`,
    read: readZip,
  });
}

async function readZip(path: string, label: string): Promise<Map<Member, Buffer>> {
  const entries = await readZipMembers(path, MEMBERS.map((m) => `${FOLDER_NAME}/${m}`));
  const files = new Map<Member, Buffer>();
  for (const m of MEMBERS) files.set(m, entries.get(`${FOLDER_NAME}/${m}`) as Buffer);
  return verified(files, label);
}

function verified(files: Map<Member, Buffer>, source: string): Map<Member, Buffer> {
  for (const m of MEMBERS) {
    verifySha256(`${source}: ${m} is not the official MovieLens 100k file`, files.get(m) as Buffer, MEMBER_SHA256[m]);
  }
  return files;
}

interface Ratings {
  user: Int32Array;
  item: Int32Array;
  rating: Float32Array;
}

/** `user \t item \t rating \t timestamp` lines, ids shifted to 0-based. */
function parseRatings(text: string, name: string): Ratings {
  const lines = text.split('\n').filter((l) => l !== '');
  const out = { user: new Int32Array(lines.length), item: new Int32Array(lines.length), rating: new Float32Array(lines.length) };
  lines.forEach((line, k) => {
    const [u, i, r] = line.split('\t').map(Number) as [number, number, number];
    if (!(Number.isInteger(u) && u >= 1 && Number.isInteger(i) && i >= 1 && Number.isFinite(r))) {
      throw new LightFMError('ERR_CORRUPT_FILE', `${name}: line ${k + 1} is not 'user<TAB>item<TAB>rating<TAB>timestamp': ${JSON.stringify(line)}`);
    }
    out.user[k] = u - 1;
    out.item[k] = i - 1;
    out.rating[k] = r;
  });
  return out;
}

/** Ratings `>= minRating` as a row-major COO (LightFM builds a lil_matrix, then `tocoo()`). */
function interactions(r: Ratings, minRating: number, shape: [number, number]): CooMatrix {
  const n = r.rating.length;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const rating = new Float32Array(n);
  let kept = 0;
  for (let k = 0; k < n; k++) {
    if ((r.rating[k] as number) < minRating) continue;
    user[kept] = r.user[k] as number;
    item[kept] = r.item[k] as number;
    rating[kept] = r.rating[k] as number;
    kept++;
  }
  return new CooMatrix(user.slice(0, kept), item.slice(0, kept), rating.slice(0, kept), shape).toCsr().toCoo();
}

interface ItemMetadata {
  titles: string[];
  genreLabels: string[];
  genres: CsrMatrix;
}

function parseItems(itemText: string, genreText: string, nItems: number): ItemMetadata {
  const genreLabels = genreText
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `genre:${l.split('|')[0]}`);
  const titles = new Array<string>(nItems).fill('');
  const flags: number[][] = Array.from({ length: nItems }, () => []);
  for (const line of itemText.split('\n')) {
    if (line === '') continue;
    const fields = line.split('|');
    const iid = Number(fields[0]) - 1;
    if (!(Number.isInteger(iid) && iid >= 0 && iid < nItems) || fields.length < 5 + genreLabels.length) {
      throw new LightFMError('ERR_CORRUPT_FILE', `u.item: malformed line ${JSON.stringify(line.slice(0, 80))}`);
    }
    titles[iid] = fields[1] as string;
    fields.slice(5).forEach((v, g) => {
      if (Number(v) > 0) (flags[iid] as number[]).push(g);
    });
  }
  const indptr = new Int32Array(nItems + 1);
  flags.forEach((f, i) => (indptr[i + 1] = (indptr[i] as number) + f.length));
  const indices = Int32Array.from(flags.flat());
  const genres = new CsrMatrix(indptr, indices, new Float32Array(indices.length).fill(1), [nItems, genreLabels.length]);
  return { titles, genreLabels, genres };
}

function buildDataset(files: Map<Member, Buffer>, o: { indicator: boolean; genres: boolean; minRating: number }): MovielensData {
  const text = (m: Member) => (files.get(m) as Buffer).toString('latin1');
  const train = parseRatings(text('ua.base'), 'ua.base');
  const test = parseRatings(text('ua.test'), 'ua.test');
  // Dimensions come from all ratings of both files, before the rating filter (as LightFM).
  const max = (a: Int32Array, b: Int32Array) => Math.max(a.reduce((x, y) => Math.max(x, y), -1), b.reduce((x, y) => Math.max(x, y), -1));
  const shape: [number, number] = [max(train.user, test.user) + 1, max(train.item, test.item) + 1];
  const items = parseItems(text('u.item'), text('u.genre'), shape[1]);
  let itemFeatures: CsrMatrix;
  let itemFeatureLabels: string[];
  if (o.indicator && !o.genres) {
    itemFeatures = CsrMatrix.identity(shape[1]);
    itemFeatureLabels = items.titles;
  } else if (o.genres && !o.indicator) {
    itemFeatures = items.genres;
    itemFeatureLabels = items.genreLabels;
  } else {
    itemFeatures = hstackCsr(CsrMatrix.identity(shape[1]), items.genres);
    itemFeatureLabels = [...items.titles, ...items.genreLabels];
  }
  return {
    train: interactions(train, o.minRating, shape),
    test: interactions(test, o.minRating, shape),
    itemFeatures,
    itemFeatureLabels,
    itemLabels: items.titles,
  };
}
