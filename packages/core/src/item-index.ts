// The approximate item index: an HNSW graph built in the core (crates/lightfm-core/src/ann)
// over a model's items, answering `recommend` and `similarItems` in the exact calls' shapes.
// This module reads options and moves bytes; the index and its rules are the core's.
import type { Binding } from './native.js';
import { native } from './native.js';
import { LightFMError, call, fromNative, invalidArg } from './errors.js';
import { type NumericArray, describe, ownedView, toIndexArray } from './arrays.js';
import type { SparseMatrix } from './sparse.js';
import { type KnownKeys, readOptions } from './option-reader.js';
import { DEFAULT_K, INDEX_DEFAULTS } from './defaults.js';
import { type LightFM, nativeModel } from './model.js';
import type { TopItems } from './serving.js';
import { type FilePath, readModelFile, writeFileAtomic } from './model-file.js';
import { whileRunning } from './running-fits.js';
import { brand } from './brand.js';

/** Options of `model.buildIndex`. */
export interface BuildIndexOptions {
  /**
   * Neighbours per node of the graph (twice as many on its bottom layer), 2 to 256: more
   * costs memory and build time and gives recall.
   * @default 16
   */
  m?: number;
  /** Candidates weighed when a node is linked: more costs build time and gives recall. @default 128 */
  efConstruction?: number;
  /**
   * The queries' default search breadth (a query may pass its own `ef`): more costs time
   * and gives recall. Raised to `k` when smaller.
   * @default 96
   */
  ef?: number;
  /**
   * `items x itemFeatures`: the item feature matrix the model was trained with (required
   * then), or one with rows for new items (cold start). The index holds one vector per row.
   * @default identity
   */
  itemFeatures?: SparseMatrix;
  /** Threads building the graph. @default 1 */
  numThreads?: number;
  /** Cancels the build; the promise rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
}

/** Options of `index.recommend`: those of the model's `recommend`, plus `ef`. */
export interface IndexRecommendOptions {
  /** Items per user (capped at the number of rankable items). @default 10 */
  k?: number;
  /** Search breadth for this call. @default the index's `ef` */
  ef?: number;
  /**
   * Items stored in row `u` are never recommended to user `u` (typically the training
   * interactions). The search goes on past them, so they cost time, not recall.
   */
  exclude?: SparseMatrix;
  /** Only these item ids are ranked (an allow-list; a small one is scanned exactly). */
  items?: NumericArray;
  /** `users x userFeatures`, as in `recommend`. */
  userFeatures?: SparseMatrix;
  /** Threads answering users in parallel. @default 1 */
  numThreads?: number;
}

/** Options of `index.similarItems`. */
export interface IndexSimilarItemsOptions {
  /** Similar items per query (capped at the number of other items). @default 10 */
  k?: number;
  /** Search breadth for this call. @default the index's `ef` */
  ef?: number;
  /** @default 1 */
  numThreads?: number;
}

const BUILD_KEYS: KnownKeys<BuildIndexOptions> = { m: true, efConstruction: true, ef: true, itemFeatures: true, numThreads: true, signal: true };
const RECOMMEND_KEYS: KnownKeys<IndexRecommendOptions> = { k: true, ef: true, exclude: true, items: true, userFeatures: true, numThreads: true };
const SIMILAR_KEYS: KnownKeys<IndexSimilarItemsOptions> = { k: true, ef: true, numThreads: true };

/** Wraps a native index; assigned by the static block of `ItemIndex`. */
let wrap: (index: Binding.NativeItemIndex, model: LightFM) => ItemIndex;

/**
 * An approximate top-k index over a model's items (HNSW on the bias-folded vectors, turned
 * from inner product into a distance), for catalogues where the exact `recommend` is too
 * slow. Its answers have the exact calls' shapes and scores (`predict`'s, re-computed for the
 * items found); only which items are found is approximate. Build it with
 * {@link LightFM.buildIndex}; it answers with the model it was built from, and refuses
 * (`ERR_INVALID_ARG`) once that model changed (refit, `fitPartial`, `resize`).
 *
 * @example
 * ```ts
 * const index = await model.buildIndex({ numThreads: 4 });
 * const top = index.recommend([0, 1], { k: 10, exclude: train });
 * await index.save('items.index');
 * const again = await ItemIndex.load('items.index', model);
 * ```
 */
export class ItemIndex {
  readonly #native: Binding.NativeItemIndex;
  readonly #model: LightFM;

  private constructor(index: Binding.NativeItemIndex, model: LightFM) {
    this.#native = index;
    this.#model = model;
  }

  /** The model the index answers with (the one it was built from). */
  get model(): LightFM {
    return this.#model;
  }

  /** Items indexed. */
  get items(): number {
    return this.#native.items;
  }

  /** Floats per item vector: the model's `noComponents + 2`. */
  get dim(): number {
    return this.#native.dim;
  }

  /** Neighbours per node, as built. */
  get m(): number {
    return this.#native.m;
  }

  /** The default search breadth. */
  get ef(): number {
    return this.#native.ef;
  }

  /** The build's search breadth. */
  get efConstruction(): number {
    return this.#native.efConstruction;
  }

  /** Bytes of memory the index holds (vectors and graph). */
  get bytes(): number {
    return this.#native.bytes;
  }

  /**
   * The `k` best items for each user, as the model's `recommend` ranks them, found on the
   * index. Excluded items are never returned; a row is short (item `-1`, score `-Infinity`)
   * only when fewer than `k` items may be returned.
   *
   * @param userIds one user id or an array of them
   * @param options `k`, `ef`, `exclude`, `items`, `userFeatures`, `numThreads` (as `recommend`)
   * @returns `{ items, scores, k }`, row-major, best first, ties to the lower id
   * @throws {LightFMError} `ERR_INVALID_ARG` when the model changed since the index was built,
   *   or for bad options; `ERR_INDEX_RANGE`, `ERR_SHAPE` as `recommend`; `ERR_BUSY` while the model trains
   */
  recommend(userIds: number | NumericArray, options?: IndexRecommendOptions): TopItems {
    const where = 'recommend()';
    const users = toIndexArray(`${where}: userIds`, userIds);
    const o = readOptions(where, options, RECOMMEND_KEYS);
    const items = o.get('items');
    const args: Binding.IndexQueryArgs = {
      k: o.int('k', DEFAULT_K),
      ef: o.int('ef', undefined),
      exclude: o.csr('exclude'),
      items: items === undefined ? undefined : toIndexArray(`${where}: options.items`, items),
      userFeatures: o.csr('userFeatures'),
      numThreads: o.int('numThreads', 1),
    };
    const model = nativeModel(this.#model);
    const top = call(() => this.#native.recommend(model, users, args));
    return { items: top.ids, scores: top.scores, k: top.k };
  }

  /**
   * The `k` items most similar to each given item (cosine of the embeddings, as the model's
   * `similarItems`), found on the index. The item itself is never in its own list.
   *
   * @param itemIds one item id (a row of the index) or an array of them
   * @param options `k`, `ef`, `numThreads`
   * @returns `{ items, scores, k }`, row-major, best first, ties to the lower id
   * @throws {LightFMError} as {@link ItemIndex.recommend}
   */
  similarItems(itemIds: number | NumericArray, options?: IndexSimilarItemsOptions): TopItems {
    const where = 'similarItems()';
    const ids = toIndexArray(`${where}: itemIds`, itemIds);
    const o = readOptions(where, options, SIMILAR_KEYS);
    const [k, ef, threads] = [o.int('k', DEFAULT_K), o.int('ef', undefined), o.int('numThreads', 1)];
    const model = nativeModel(this.#model);
    const top = call(() => this.#native.similarItems(model, ids, k, ef, threads));
    return { items: top.ids, scores: top.scores, k: top.k };
  }

  /** The index as an index file (docs/serving.md): versioned, checksummed, tied to its model. */
  toBuffer(): Buffer {
    return call(() => this.#native.toBuffer());
  }

  /**
   * Saves the index to `path` (a temporary file renamed over it, as `model.save`).
   *
   * @param path file path or `file:` URL
   */
  async save(path: FilePath): Promise<void> {
    await writeFileAtomic('save()', path, this.toBuffer());
  }

  /**
   * Loads an index saved with `save`, for use with `model`, which must be the model it was
   * built from (saved and loaded models are: loading keeps every parameter). Decoded off
   * the event loop; every length and id is checked before use.
   *
   * @param path file path or `file:` URL
   * @param model the model the index was built from
   * @throws {LightFMError} `ERR_CORRUPT_FILE` (not an index file, truncated, newer format),
   *   `ERR_CHECKSUM` (damaged bytes), `ERR_INVALID_ARG` (built from another model),
   *   `ERR_FILE_NOT_FOUND`, `ERR_BUSY` while the model trains
   */
  static async load(path: FilePath, model: LightFM): Promise<ItemIndex> {
    const where = 'ItemIndex.load()';
    const handle = nativeModel(model);
    const bytes = await readModelFile(where, path, 'an index file');
    try {
      return wrap(await native.indexFromBufferAsync(bytes, handle), model);
    } catch (err) {
      throw fromNative(err);
    }
  }

  /** Decodes an index file held in memory, on the calling thread (see {@link ItemIndex.load}). */
  static fromBuffer(bytes: Uint8Array, model: LightFM): ItemIndex {
    if (!(bytes instanceof Uint8Array)) {
      throw invalidArg(`ItemIndex.fromBuffer(): bytes must be a Buffer or Uint8Array, got ${describe(bytes)}`);
    }
    const handle = nativeModel(model);
    const owned = ownedView('ItemIndex.fromBuffer() bytes', bytes);
    return wrap(call(() => native.indexFromBuffer(owned, handle)), model);
  }

  static {
    wrap = (index, model) => new ItemIndex(index, model);
  }
}

brand(ItemIndex, 'ItemIndex');

/** `model.buildIndex`: the options read here, the vectors copied now, the graph built on a thread of its own. */
export async function buildItemIndex(model: LightFM, options: BuildIndexOptions | undefined): Promise<ItemIndex> {
  const where = 'buildIndex()';
  const o = readOptions(where, options, BUILD_KEYS);
  const args: Binding.IndexArgs = {
    m: o.int('m', INDEX_DEFAULTS.m),
    efConstruction: o.int('efConstruction', INDEX_DEFAULTS.efConstruction),
    ef: o.int('ef', INDEX_DEFAULTS.ef),
    itemFeatures: o.csr('itemFeatures'),
    numThreads: o.int('numThreads', 1),
  };
  const signal = o.signal('signal');
  if (signal?.aborted) throw aborted(signal);
  const token = new native.CancelToken();
  const onAbort = () => token.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const handle = nativeModel(model);
    return wrap(await whileRunning(token, () => call(() => handle.buildIndex(args, token))), model);
  } catch (err) {
    const e = fromNative(err);
    if (e instanceof LightFMError && e.code === 'ERR_ABORTED') throw aborted(signal);
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function aborted(signal: AbortSignal | undefined): LightFMError {
  return new LightFMError('ERR_ABORTED', 'buildIndex() was aborted', { cause: signal?.reason });
}
