import { type InspectOptions, inspect } from 'node:util';
import type { Binding } from './native.js';
import { native } from './native.js';
import { LightFMError, call, fromNative, invalidArg } from './errors.js';
import { type NumericArray, describe, ownedView, toFloat32, toIndexArray } from './arrays.js';
import { CooMatrix, CsrMatrix, type SparseMatrix, asCoo, asCsr, ownMatrix } from './sparse.js';
import { brand, foreignBrand, twoCopies } from './brand.js';
import { type LightFMOptions, type LightFMParams, checkOptions } from './options.js';
import { optionalCsr } from './args.js';
import { type KnownKeys, type OptionsReader, readOptions } from './option-reader.js';
import { whileRunning } from './running-fits.js';
import { polling } from './progress/counter.js';
import { type FitProgressOption, type FitProgressSink, fitProgressSink } from './progress/fit-progress.js';
import {
  type RecommendOptions,
  type ResizeOptions,
  type SimilarItemsOptions,
  type SimilarUsersOptions,
  type TopItems,
  type TopUsers,
  recommendArgs,
  resizeArgs,
  similarItemsArgs,
  similarUsersArgs,
} from './serving.js';
import { type ExportEmbeddingsOptions, type ExportedEmbeddings, exportEmbeddingsArgs } from './embeddings.js';
import { type BuildIndexOptions, type ItemIndex, buildItemIndex } from './item-index.js';
import { type FilePath, mappingsJson, parseMappings, readModelFile, writeFileAtomic } from './model-file.js';
import { type ValidationOptions, type ValidationResult, validationArgs, validationResult } from './validation.js';

/** Reported after every epoch. */
export interface EpochInfo {
  /** 1-based epoch number within this call. */
  epoch: number;
  /** Epochs requested in this call. */
  epochs: number;
  /** Wall time of this epoch's training (validation, when asked for, not included). */
  seconds: number;
  /** Fits with `validation`: the metric after this epoch. */
  validation?: number;
  /** Fits with `validation`: the best epoch so far (1-based). */
  bestEpoch?: number;
}

/** Options of `fit` / `fitPartial`. */
export interface FitOptions {
  /** `users x userFeatures`; identity (one feature per user) when omitted. */
  userFeatures?: SparseMatrix;
  /** `items x itemFeatures`; identity when omitted. */
  itemFeatures?: SparseMatrix;
  /**
   * One non-negative weight per stored interaction: a `CooMatrix` with exactly the
   * interactions' coordinates in the same order (LightFM's rule), or an array of `nnz` values.
   */
  sampleWeight?: CooMatrix | ArrayLike<number>;
  /** @default 1 */
  epochs?: number;
  /** Threads for Hogwild SGD. @default 1 */
  numThreads?: number;
  /**
   * Cancels training between chunks of examples; the promise rejects with `ERR_ABORTED` and
   * the model is left exactly as it was before the call. (`fitSync` checks it before each
   * epoch.)
   */
  signal?: AbortSignal;
  /**
   * Called after each epoch. If it throws, training stops, `fit` rejects with that error and
   * the model is left exactly as it was before the call. It must not change the model
   * (`setParams`, `resize`, another fit: `ERR_BUSY`).
   */
  onEpoch?: (info: EpochInfo) => void;
  /**
   * Shows how training goes. `true`: on stderr, a bar that moves within each epoch (examples
   * done, samples/s, ETA, the validation metric) when stderr is a terminal, otherwise one line
   * per finished epoch. A function: called with a {@link FitProgress} about every 150 ms while
   * training and once after every epoch (`epochEnded: true`); like `onEpoch`, if it throws,
   * training stops and the call rejects with that error. The examples are counted in the
   * native core, so training is as fast and gives the same model either way. `fitSync` cannot
   * follow an epoch while it runs: it reports (and prints) after every epoch only.
   * @default false
   */
  progress?: FitProgressOption;
  /**
   * Early stopping: validate after every epoch and stop once the metric stops improving
   * (see {@link ValidationOptions}); the outcome is in {@link LightFM.lastValidation}.
   */
  validation?: ValidationOptions;
}

const FIT_KEYS: KnownKeys<FitOptions> = {
  userFeatures: true,
  itemFeatures: true,
  sampleWeight: true,
  epochs: true,
  numThreads: true,
  signal: true,
  onEpoch: true,
  validation: true,
  progress: true,
};

/** Options shared by the scoring methods. */
export interface PredictOptions {
  /** `users x userFeatures`: the user feature matrix the model was trained with (or one with rows for new users). @default identity */
  userFeatures?: SparseMatrix;
  /** `items x itemFeatures`: the item feature matrix the model was trained with (or one with rows for new items). @default identity */
  itemFeatures?: SparseMatrix;
  /** Threads that compute the scores. @default 1 */
  numThreads?: number;
}

export interface PredictRankOptions extends PredictOptions {
  /** Items stored here for a user are excluded from that user's ranking. */
  trainInteractions?: SparseMatrix;
  /** Throw `ERR_INVALID_ARG` when test and train share entries. @default true */
  checkIntersections?: boolean;
}

const PREDICT_KEYS: KnownKeys<PredictOptions> = { userFeatures: true, itemFeatures: true, numThreads: true };
const PREDICT_RANK_KEYS: KnownKeys<PredictRankOptions> = { ...PREDICT_KEYS, trainInteractions: true, checkIntersections: true };

/** Dense representations: `rows x cols` embeddings (row-major) and one bias per row. */
export interface Representations {
  /** Users or items: the rows of the feature matrix given (or of the identity). */
  rows: number;
  /** The model's `noComponents`. */
  cols: number;
  /** One bias per row: the sum of its features' biases, weighted by the feature values. */
  biases: Float32Array;
  /** `rows x cols`, row-major: the sum of its features' embeddings, weighted by the feature values. */
  embeddings: Float32Array;
}

/**
 * One side's parameters and optimiser state (LightFM's twelve arrays, split by side), copied.
 * Row `f` belongs to feature `f` of that side (with identity features, user or item `f`).
 */
export interface SideState {
  /** Feature embeddings on this side. */
  rows: number;
  /** `rows x noComponents`, row-major (LightFM's `user_embeddings` / `item_embeddings`). */
  embeddings: Float32Array;
  /** One per row (`user_biases` / `item_biases`). */
  biases: Float32Array;
  /**
   * Same shape as `embeddings`: adagrad's sums of squared gradients (starting at 1), or
   * adadelta's running averages of squared gradients (`*_embedding_gradients`).
   */
  embeddingGradients: Float32Array;
  /** The same for the biases (`*_bias_gradients`). */
  biasGradients: Float32Array;
  /** Same shape as `embeddings`: adadelta's running averages of squared updates; zeros under adagrad (`*_embedding_momentum`). */
  embeddingMomentum: Float32Array;
  /** The same for the biases (`*_bias_momentum`). */
  biasMomentum: Float32Array;
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sampleWeights(where: string, weights: FitOptions['sampleWeight'], interactions: CooMatrix): Float32Array | undefined {
  if (weights === undefined) return undefined;
  const w = ownMatrix(weights);
  if (w instanceof CooMatrix) {
    if (w.shape[0] !== interactions.shape[0] || w.shape[1] !== interactions.shape[1]) {
      throw new LightFMError('ERR_SHAPE', `${where}: sampleWeight shape [${w.shape}] differs from the interactions' [${interactions.shape}]`);
    }
    if (!sameArray(w.row, interactions.row) || !sameArray(w.col, interactions.col)) {
      throw invalidArg(`${where}: sampleWeight must have exactly the interactions' entries in the same order (build both with Dataset.buildInteractions)`);
    }
    return w.data;
  }
  if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
    throw invalidArg(`${where}: sampleWeight must be a CooMatrix or an array of numbers, got ${describe(w)}`);
  }
  return toFloat32(`${where}: sampleWeight`, w as NumericArray);
}

/** Reads a model's native handle; assigned by the static block at the end of `LightFM`. */
let nativeHandle: (model: LightFM) => Binding.NativeModel;

/**
 * The native model behind `model`, for the other `@lightfm-ts/*` packages (exported from
 * `@lightfm-ts/core/internal`). Not part of the public API.
 * @internal
 * @throws {LightFMError} `ERR_INVALID_ARG` when `model` is not a `LightFM`
 */
export function nativeModel(model: LightFM): Binding.NativeModel {
  if (model instanceof LightFM) return nativeHandle(model);
  const other = foreignBrand(model, 'LightFM');
  // Its parameters live behind the other copy's private native handle, in that copy's binary.
  if (other) throw invalidArg(`model is a LightFM of another copy of @lightfm-ts/core, which this copy cannot use: ${twoCopies(other)}`);
  throw invalidArg(`model must be a LightFM instance, got ${describe(model)}`);
}

/**
 * A LightFM hybrid matrix-factorisation model.
 *
 * @example
 * ```ts
 * const model = new LightFM({ loss: 'warp', randomState: 42 });
 * await model.fit(train, { epochs: 10, numThreads: 2 });
 * const scores = model.predict(0, [0, 1, 2]);
 * ```
 */
export class LightFM {
  #native: Binding.NativeModel;
  /** Set while a fit call runs, including its `onEpoch` callbacks. */
  #fitting = false;

  /**
   * JSON data saved with the model by `save` / `toBuffer` and restored by `load` /
   * `fromBuffer`, verbatim: typically `dataset.toJSON()`, the `Dataset` the model was
   * trained with, so a loaded model can be served by external ids
   * (`Dataset.fromJSON(loaded.mappings)`). Must be JSON-serialisable (plain objects, arrays,
   * strings, numbers, booleans, null; not Maps or Sets).
   * @default undefined
   */
  mappings: unknown = undefined;

  /**
   * What early stopping saw in the last successful `fit` / `fitPartial` (sync or not) given
   * `validation`; `undefined` after a successful fit without it.
   * @default undefined
   */
  lastValidation: ValidationResult | undefined = undefined;

  constructor(options?: LightFMOptions) {
    const o = { ...checkOptions('new LightFM()', options) };
    o.randomState ??= Math.floor(Math.random() * 2 ** 32);
    this.#native = call(() => new native.NativeModel(o));
  }

  /** Whether `fit` has run (the model has parameters). */
  get isFitted(): boolean {
    return call(() => this.#native.isFitted());
  }

  /**
   * What `console.log(model)` and `util.inspect` show: the main hyperparameters, the epochs
   * trained and, per side, the feature embeddings and what they were trained on.
   */
  [inspect.custom](_depth: number, options: InspectOptions, show: typeof inspect): string {
    return `LightFM ${show(this.#summary(), options)}`;
  }

  #summary(): Record<string, unknown> {
    if (this.#native.busy) return { training: true };
    const { loss, noComponents, learningSchedule } = this.getParams();
    const head = { loss, noComponents, learningSchedule };
    if (!this.isFitted) return { ...head, fitted: false };
    const n = this.#native;
    return {
      ...head,
      epochsDone: call(() => n.epochsDone()),
      userEmbeddings: call(() => n.nFeatures('user')),
      userFeatures: call(() => n.featureKind('user')),
      itemEmbeddings: call(() => n.nFeatures('item')),
      itemFeatures: call(() => n.featureKind('item')),
      ...(this.mappings === undefined ? {} : { mappings: typeof this.mappings }),
    };
  }

  /** Whether a `fit` is running; synchronous methods throw `ERR_BUSY` meanwhile. */
  get isTraining(): boolean {
    return this.#native.busy;
  }

  /** Every hyperparameter. */
  getParams(): LightFMParams {
    return call(() => this.#native.getParams()) as LightFMParams;
  }

  /**
   * Changes hyperparameters (validated). Changing `noComponents` or `learningSchedule`
   * discards the trained state. Returns `this`.
   */
  setParams(options: LightFMOptions): this {
    this.#notFitting('setParams()');
    const o = checkOptions('setParams()', options);
    call(() => this.#native.setParams(o));
    return this;
  }

  /** Re-initialises the model and trains it. Resolves to `this`. */
  fit(interactions: SparseMatrix, options?: FitOptions): Promise<this> {
    return this.#fit('fit()', interactions, options, true);
  }

  /** Continues training from the current state (initialising first if needed). */
  fitPartial(interactions: SparseMatrix, options?: FitOptions): Promise<this> {
    return this.#fit('fitPartial()', interactions, options, false);
  }

  /** `fit`, blocking the event loop; for scripts. */
  fitSync(interactions: SparseMatrix, options?: FitOptions): this {
    return this.#fitSync('fitSync()', interactions, options, true);
  }

  /** `fitPartial`, blocking the event loop; for scripts. */
  fitPartialSync(interactions: SparseMatrix, options?: FitOptions): this {
    return this.#fitSync('fitPartialSync()', interactions, options, false);
  }

  #args(where: string, interactions: SparseMatrix, o: OptionsReader<FitOptions>, reset: boolean, epochs: number): Binding.FitArgs {
    const coo = asCoo(`${where}: interactions`, interactions);
    return {
      interactions: coo.toNative(),
      userFeatures: o.csr('userFeatures'),
      itemFeatures: o.csr('itemFeatures'),
      sampleWeight: sampleWeights(where, o.get('sampleWeight'), coo),
      epochs,
      numThreads: o.int('numThreads', 1),
      reset,
      validation: validationArgs(o),
    };
  }

  /** Throws `ERR_BUSY` while a fit call runs (e.g. when called from its `onEpoch`). */
  #notFitting(action: string): void {
    if (this.#fitting) {
      throw new LightFMError('ERR_BUSY', `${action} cannot change the model while fit() runs (also not from its onEpoch); wait for fit() to settle`);
    }
  }

  /**
   * Runs one fit call. A call that can be cancelled (a `signal` or an `onEpoch`, which may
   * throw) keeps a copy of the model and puts it back if the call fails, so the model is
   * all or nothing; this holds a second copy of the parameters while it trains.
   */
  #atomically<T>(where: string, o: OptionsReader<FitOptions>, train: () => T): T {
    this.#notFitting(where);
    const mayThrow = o.get('onEpoch') !== undefined || typeof o.get('progress') === 'function';
    const before = o.get('signal') !== undefined || mayThrow ? call(() => this.#native.copy()) : undefined;
    this.#fitting = true;
    const failed = (err: unknown): never => {
      this.#fitting = false;
      if (before) this.#native = before;
      throw err;
    };
    let result: T;
    try {
      result = train();
    } catch (err) {
      return failed(err);
    }
    if (!(result instanceof Promise)) {
      this.#fitting = false;
      return result;
    }
    return result.then((value: unknown) => {
      this.#fitting = false;
      return value;
    }, failed) as T;
  }

  async #fit(where: string, interactions: SparseMatrix, options?: FitOptions, reset = false): Promise<this> {
    const o = readOptions(where, options, FIT_KEYS);
    const epochs = o.int('epochs', 1, 0);
    const args = this.#args(where, interactions, o, reset, epochs);
    const onEpoch = o.callback('onEpoch');
    const signal = o.signal('signal');
    const progress = o.progress('progress');
    if (signal?.aborted) throw abortError(signal);
    return this.#atomically(where, o, () => this.#fitAsync(args, epochs, signal, onEpoch, progress));
  }

  async #fitAsync(
    args: Binding.FitArgs,
    epochs: number,
    signal: AbortSignal | undefined,
    onEpoch: FitOptions['onEpoch'],
    progress: FitProgressOption | undefined,
  ): Promise<this> {
    const token = new native.CancelToken();
    const counter = new native.ProgressCounter();
    const onAbort = () => token.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let reported = 0;
    let callbackError: { error: unknown } | undefined;
    // A user callback that throws stops training; the call then rejects with its error.
    const guard =
      <A>(f: (a: A) => void) =>
      (a: A) => {
        if (callbackError) return;
        try {
          f(a);
        } catch (error) {
          callbackError = { error };
          token.cancel();
        }
      };
    const shown = fitProgressSink(progress, { epochs, metric: args.validation?.metric, live: true, guard });
    const userOnEpoch = onEpoch && guard(onEpoch);
    const report = (e: Binding.EpochProgress) => {
      if (callbackError || e.epoch <= reported) return;
      reported = e.epoch;
      const info = epochInfo(e);
      userOnEpoch?.(info);
      shown?.reporter.epochEnded(info, counter.read());
    };
    try {
      const fit = whileRunning(token, () => this.#native.fit(args, token, counter, onEpoch || shown ? report : undefined));
      const history = await (shown ? polling(counter, (r) => shown.reporter.reading(r), fit) : fit);
      // Live reports can arrive after the promise settles; deliver any missing ones now.
      history.forEach(report);
      this.lastValidation = args.validation && validationResult(args.validation, history, epochs);
      if (callbackError) throw callbackError.error;
      return this;
    } catch (err) {
      if (callbackError) throw callbackError.error;
      const e = fromNative(err);
      if (e instanceof LightFMError && e.code === 'ERR_ABORTED') {
        throw new LightFMError('ERR_ABORTED', 'training was aborted; the model is as it was before the call', { cause: signal?.reason });
      }
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reported = Number.POSITIVE_INFINITY;
      shown?.stop();
    }
  }

  #fitSync(where: string, interactions: SparseMatrix, options: FitOptions | undefined, reset: boolean): this {
    const o = readOptions(where, options, FIT_KEYS);
    const epochs = o.int('epochs', 1, 0);
    o.callback('onEpoch');
    const signal = o.signal('signal');
    const progress = o.progress('progress');
    const checkSignal = () => {
      if (signal?.aborted) throw abortError(signal);
    };
    checkSignal();
    this.#atomically(where, o, () => this.#fitSyncEpochs(where, interactions, o, reset, epochs, progress, checkSignal));
    return this;
  }

  #fitSyncEpochs(
    where: string,
    interactions: SparseMatrix,
    o: OptionsReader<FitOptions>,
    reset: boolean,
    epochs: number,
    progress: FitProgressOption | undefined,
    checkSignal: () => void,
  ): void {
    const onEpoch = o.get('onEpoch');
    const counter = new native.ProgressCounter();
    let shown: FitProgressSink | undefined;
    const ended = (info: EpochInfo) => {
      onEpoch?.(info);
      shown?.reporter.epochEnded(info, counter.read());
    };
    if ((!onEpoch && !progress) || o.get('validation')) {
      // Early stopping needs the whole fit in one call, so its progress is reported afterwards.
      const args = this.#args(where, interactions, o, reset, epochs);
      shown = fitProgressSink(progress, { epochs, metric: args.validation?.metric, live: false, guard: (f) => f });
      const history = call(() => this.#native.fitSync(args, counter));
      this.lastValidation = args.validation && validationResult(args.validation, history, epochs);
      history.forEach((e) => ended(epochInfo(e)));
      return;
    }
    // One epoch per call so progress is live; `fit(a + b)` equals `fit(a)` then `fitPartial(b)`.
    const args = this.#args(where, interactions, o, reset, epochs === 0 ? 0 : 1);
    shown = fitProgressSink(progress, { epochs, metric: undefined, live: false, guard: (f) => f });
    if (epochs === 0) call(() => this.#native.fitSync(args, counter));
    for (let e = 1; e <= epochs; e++) {
      checkSignal();
      const [info] = call(() => this.#native.fitSync({ ...args, reset: reset && e === 1 }, counter));
      ended({ epoch: e, epochs, seconds: info?.seconds ?? 0 });
    }
  }

  /**
   * Scores `dot(user, item) + userBias + itemBias` of the pairs `(userIds[k], itemIds[k])`.
   * A single number for `userIds` scores that user against every item id.
   *
   * Users or items beyond those seen in training (cold start) are scored from their feature
   * rows when `userFeatures` / `itemFeatures` have rows for them.
   */
  predict(userIds: number | NumericArray, itemIds: NumericArray, options: PredictOptions = {}): Float32Array {
    const o = readOptions('predict()', options, PREDICT_KEYS);
    const items = toIndexArray('predict(): itemIds', itemIds);
    const users = typeof userIds === 'number' ? new Int32Array(items.length).fill(toIndexArray('predict(): userIds', userIds)[0] as number) : toIndexArray('predict(): userIds', userIds);
    return call(() =>
      this.#native.predict(
        users,
        items,
        o.csr('userFeatures'),
        o.csr('itemFeatures'),
        o.int('numThreads', 1),
      ),
    );
  }

  /**
   * For every stored test entry `(u, i)`: how many other items (not stored in
   * `trainInteractions` for `u`) score at least as high as `i` (0-based, ties counted
   * against). Returns a matrix with the test pattern holding the ranks.
   */
  predictRank(testInteractions: SparseMatrix, options: PredictRankOptions = {}): CsrMatrix {
    const where = 'predictRank()';
    const o = readOptions(where, options, PREDICT_RANK_KEYS);
    const test = asCsr(`${where}: testInteractions`, testInteractions);
    return CsrMatrix.fromNative(
      call(() =>
        this.#native.predictRank(
          test.toNative(),
          o.csr('trainInteractions'),
          o.csr('userFeatures'),
          o.csr('itemFeatures'),
          o.int('numThreads', 1),
          o.flag('checkIntersections', true),
        ),
      ),
    );
  }

  /**
   * The `k` best items for each user: batched, exact top-k in the native core, with the
   * user's `exclude` row skipped and only `items` ranked when given. Synchronous like
   * `predict` (top-10 for 6,000 users x 3,700 items takes tens of milliseconds); for very
   * large batches in a server, split the users into chunks.
   *
   * Scores are exactly `predict`'s. Rows are ordered by score, ties to the lower item id;
   * a user with fewer than `k` candidates gets a row padded with item `-1` and score
   * `-Infinity`. New users or items (beyond the trained ones) are scored from their rows
   * of `userFeatures` / `itemFeatures` (cold start).
   *
   * @param userIds one user id or an array of them (one result row each, in order)
   * @param options `k` (default 10), `exclude`, `items`, feature matrices, `numThreads`
   * @returns `{ items, scores, k }`, row-major
   * @throws {LightFMError} `ERR_NOT_FITTED` before `fit`; `ERR_INDEX_RANGE` for an id without
   *   an embedding or feature row, or a user without a row in `exclude`; `ERR_SHAPE` when a
   *   matrix does not fit the model, or a side trained on a feature matrix is called without
   *   it (pass the `userFeatures` / `itemFeatures` it was trained with); `ERR_INVALID_ARG` for bad options; `ERR_BUSY` while training
   * @example
   * ```ts
   * const top = model.recommend([0, 1, 2], { k: 5, exclude: train });
   * const forUser1 = top.items.subarray(1 * top.k, 2 * top.k);
   * ```
   */
  recommend(userIds: number | NumericArray, options?: RecommendOptions): TopItems {
    const users = toIndexArray('recommend(): userIds', userIds);
    const args = recommendArgs(options);
    const top = call(() => this.#native.recommend(users, args));
    return { items: top.ids, scores: top.scores, k: top.k };
  }

  /**
   * The `k` items most similar to each given item: cosine similarity of the item
   * embeddings (biases are left out: they say how popular an item is, not what it is like).
   * The item itself is never in its own list; a zero embedding has similarity 0.
   *
   * @param itemIds one item id or an array of them
   * @param options `k` (default 10), `itemFeatures` (items are then their feature rows, so
   *   new items with features work), `numThreads`
   * @returns `{ items, scores, k }`, row-major, best first, ties to the lower id
   * @throws {LightFMError} `ERR_NOT_FITTED`, `ERR_INDEX_RANGE`, `ERR_SHAPE`, `ERR_INVALID_ARG`, `ERR_BUSY`
   * @example
   * ```ts
   * const { items, scores } = model.similarItems(42, { k: 10 });
   * ```
   */
  similarItems(itemIds: number | NumericArray, options?: SimilarItemsOptions): TopItems {
    const ids = toIndexArray('similarItems(): itemIds', itemIds);
    const [k, features, threads] = similarItemsArgs(options);
    const top = call(() => this.#native.similarItems(ids, k, features, threads));
    return { items: top.ids, scores: top.scores, k: top.k };
  }

  /**
   * The `k` users most similar to each given user (cosine of user embeddings, as
   * {@link LightFM.similarItems}).
   *
   * @param userIds one user id or an array of them
   * @param options `k` (default 10), `userFeatures`, `numThreads`
   * @returns `{ users, scores, k }`, row-major, best first, ties to the lower id
   * @throws {LightFMError} `ERR_NOT_FITTED`, `ERR_INDEX_RANGE`, `ERR_SHAPE`, `ERR_INVALID_ARG`, `ERR_BUSY`
   * @example
   * ```ts
   * const { users } = model.similarUsers([3, 7], { k: 5 });
   * ```
   */
  similarUsers(userIds: number | NumericArray, options?: SimilarUsersOptions): TopUsers {
    const ids = toIndexArray('similarUsers(): userIds', userIds);
    const [k, features, threads] = similarUsersArgs(options);
    const top = call(() => this.#native.similarUsers(ids, k, features, threads));
    return { users: top.ids, scores: top.scores, k: top.k };
  }

  /**
   * The users and items as vectors for a vector store or an inner-product index: the dot
   * product of user `u`'s and item `i`'s vectors is `predict(u, i)` (up to float rounding:
   * at most a few 1e-7 of the size of the sum's terms), because the biases are folded in:
   * users are `[embedding, bias, 1]`, items `[embedding, 1, bias]`, `dim = noComponents + 2`
   * floats each. Rank items by dot product (maximum inner product, not cosine or L2) to get
   * `recommend`'s ranking.
   *
   * Built in the native core on `numThreads` threads. New users or items (beyond the trained
   * ones) are exported from their rows of `userFeatures` / `itemFeatures` (cold start);
   * `userIds` / `itemIds` export those rows only, in that order, and `[]` exports none of a
   * side (e.g. `{ userIds: [] }` for the item catalogue alone).
   *
   * @param options `userFeatures`, `itemFeatures` (as `predict`), `userIds`, `itemIds`, `numThreads`
   * @returns `{ dim, userVectors, itemVectors }`, row-major
   * @throws {LightFMError} `ERR_NOT_FITTED` before `fit`; `ERR_INDEX_RANGE` for an id without
   *   an embedding or feature row; `ERR_SHAPE` when a matrix does not fit the model, or a side
   *   trained on a feature matrix is exported without it (pass the `userFeatures` /
   *   `itemFeatures` it was trained with, or `[]` ids for that side); `ERR_OUT_OF_MEMORY` when
   *   the vectors cannot be allocated; `ERR_INVALID_ARG` for bad options; `ERR_BUSY` while training
   * @example
   * ```ts
   * // Every item, keyed by your ids, into a store that searches by inner product
   * // (`store` stands for your store's client; add itemFeatures if the model was trained on them).
   * const { dim, itemVectors } = model.exportEmbeddings({ userIds: [] });
   * const rows = dataset.itemIds().map((id, i) => ({ id, vector: itemVectors.subarray(i * dim, (i + 1) * dim) }));
   * await store.insert(rows);
   * // At request time the user's vector is the query; the store's dot product is predict's score.
   * const { userVectors } = model.exportEmbeddings({ userIds: [dataset.userIndex('alice')], itemIds: [] });
   * const top = await store.search(userVectors, { k: 10, distance: 'dot' });
   * ```
   */
  exportEmbeddings(options?: ExportEmbeddingsOptions): ExportedEmbeddings {
    const args = exportEmbeddingsArgs(options);
    return call(() => this.#native.exportEmbeddings(args));
  }

  /**
   * Builds an approximate top-k index of the items ({@link ItemIndex}) for catalogues where
   * the exact `recommend` is too slow: an HNSW graph over the bias-folded item vectors, its
   * answers in `recommend`'s and `similarItems`' shapes with `predict`'s scores. The vectors
   * are copied on the calling thread; the graph is built on a thread of its own on
   * `numThreads` threads, and the model stays usable meanwhile.
   *
   * @param options `m`, `efConstruction`, `ef` (the index's quality knobs), `itemFeatures`
   *   (as `predict`), `numThreads`, `signal`
   * @returns the index, tied to this model
   * @throws {LightFMError} `ERR_NOT_FITTED` before `fit`; `ERR_SHAPE` when `itemFeatures` does
   *   not fit the model; `ERR_INVALID_ARG` for bad options; `ERR_ABORTED` when `signal`
   *   fires; `ERR_OUT_OF_MEMORY`; `ERR_BUSY` while training
   * @example
   * ```ts
   * const index = await model.buildIndex({ numThreads: 4 });
   * const top = index.recommend(userIds, { k: 10, exclude: train }); // as model.recommend
   * ```
   */
  buildIndex(options?: BuildIndexOptions): Promise<ItemIndex> {
    return buildItemIndex(this, options);
  }

  /**
   * Grows a trained model to more feature embeddings, for new users, items or features:
   * appended rows are initialised like a fresh model (seeded by `randomState` and the
   * current size, so deterministic) and everything learned is kept bit for bit. Then
   * `fitPartial` trains on the bigger matrices. With identity features (no feature
   * matrices), one embedding is one user or item; with a `Dataset`, pass
   * `dataset.modelDimensions()`.
   *
   * @param sizes new numbers of user and item feature embeddings; an omitted side is unchanged
   * @returns this model
   * @throws {LightFMError} `ERR_INVALID_ARG` when a size is below the current one (a model
   *   never shrinks) or cannot be allocated; `ERR_NOT_FITTED` before `fit`; `ERR_BUSY` while training
   * @example
   * ```ts
   * dataset.fitPartial(['new-user'], ['new-item']);
   * const [userFeatures, itemFeatures] = dataset.modelDimensions();
   * model.resize({ userFeatures, itemFeatures });
   * await model.fitPartial(dataset.buildInteractions(newData).interactions);
   * ```
   */
  resize(sizes: ResizeOptions): this {
    this.#notFitting('resize()');
    const current = {
      user: call(() => this.#native.nFeatures('user')),
      item: call(() => this.#native.nFeatures('item')),
    };
    const [users, items] = resizeArgs(sizes, current);
    call(() => this.#native.resize(users, items));
    return this;
  }

  /**
   * The model as a model file (docs/model-format.md): hyperparameters, parameters,
   * optimiser state, epochs trained and {@link LightFM.mappings}. Encoding is a memory
   * copy done on the calling thread.
   *
   * @returns the file's bytes
   * @throws {LightFMError} `ERR_INVALID_ARG` when `mappings` is not JSON-serialisable; `ERR_BUSY` while training
   * @example
   * ```ts
   * const copy = LightFM.fromBuffer(model.toBuffer());
   * ```
   */
  toBuffer(): Buffer {
    const mappings = mappingsJson('toBuffer()', this.mappings);
    return call(() => this.#native.toBuffer(mappings));
  }

  /**
   * Saves the model to `path`: written to a temporary file in the same folder, flushed and
   * renamed over `path`, so a crash never leaves a partial file. A saved and loaded model
   * predicts bit-identically and continues training identically.
   *
   * @param path file path or `file:` URL
   * @throws {LightFMError} as {@link LightFM.toBuffer}; file system errors (e.g. `ENOENT`,
   *   `EACCES`) are Node's own
   * @example
   * ```ts
   * model.mappings = dataset.toJSON(); // restore with Dataset.fromJSON(loaded.mappings)
   * await model.save('model.lightfm');
   * ```
   */
  async save(path: FilePath): Promise<void> {
    await writeFileAtomic('save()', path, this.toBuffer());
  }

  /**
   * Loads a model saved with `save` (or written by `toBuffer`). The file is read and decoded
   * off the event loop; nothing in it is executed, and every length is checked before
   * memory is allocated.
   *
   * @param path file path or `file:` URL
   * @returns the model, with {@link LightFM.mappings} restored
   * @throws {LightFMError} `ERR_CORRUPT_FILE` for a file that is not a model file, is
   *   truncated or extended, has an inconsistent header or comes from a newer format
   *   version; `ERR_CHECKSUM` when its bytes are damaged; `ERR_FILE_NOT_FOUND` (naming the
   *   path) when there is no file there; `ERR_INVALID_ARG` when `path` is not a string or
   *   `file:` URL, or is not a regular file (a FIFO, device or directory);
   *   `ERR_OUT_OF_MEMORY` when its tables cannot be allocated; other file system errors (e.g.
   *   `EACCES`) are Node's own
   * @example
   * ```ts
   * const model = await LightFM.load('model.lightfm');
   * ```
   */
  static async load(path: FilePath): Promise<LightFM> {
    const bytes = await readModelFile('LightFM.load()', path);
    try {
      return LightFM.#wrap(await native.modelFromBufferAsync(bytes));
    } catch (err) {
      throw fromNative(err);
    }
  }

  /**
   * Decodes a model file held in memory, on the calling thread (see {@link LightFM.load}).
   *
   * @param bytes the file's bytes (a `Buffer` or `Uint8Array`)
   * @returns the model, with {@link LightFM.mappings} restored
   * @throws {LightFMError} `ERR_CORRUPT_FILE` or `ERR_CHECKSUM` as {@link LightFM.load};
   *   `ERR_INVALID_ARG` when `bytes` is not a `Uint8Array` or its buffer was transferred
   * @example
   * ```ts
   * const model = LightFM.fromBuffer(await fetchModelBytes());
   * ```
   */
  static fromBuffer(bytes: Uint8Array): LightFM {
    if (!(bytes instanceof Uint8Array)) {
      throw invalidArg(`LightFM.fromBuffer(): bytes must be a Buffer or Uint8Array, got ${describe(bytes)}`);
    }
    const owned = ownedView('LightFM.fromBuffer() bytes', bytes);
    return LightFM.#wrap(call(() => native.modelFromBuffer(owned)));
  }

  static #wrap(loaded: Binding.LoadedModel): LightFM {
    const model = new LightFM();
    model.#native = loaded.model;
    model.mappings = parseMappings(loaded.mappings);
    return model;
  }

  /** User representations: of the rows of `features`, or of every user feature embedding. */
  getUserRepresentations(features?: SparseMatrix): Representations {
    return call(() => this.#native.representations('user', optionalCsr('getUserRepresentations()', 'features', features)));
  }

  /** Item representations: of the rows of `features`, or of every item feature embedding. */
  getItemRepresentations(features?: SparseMatrix): Representations {
    return call(() => this.#native.representations('item', optionalCsr('getItemRepresentations()', 'features', features)));
  }

  /** Parameters and optimiser state of one side (copies). */
  getState(side: 'user' | 'item'): SideState {
    return call(() => this.#native.sideState(side));
  }

  static {
    nativeHandle = (model) => model.#native;
  }
}

brand(LightFM, 'LightFM');

/** The public view of a native epoch report (validation fields only when validating). */
function epochInfo(e: Binding.EpochProgress): EpochInfo {
  const info: EpochInfo = { epoch: e.epoch, epochs: e.epochs, seconds: e.seconds };
  if (e.validation != null) info.validation = e.validation;
  if (e.bestEpoch != null) info.bestEpoch = e.bestEpoch;
  return info;
}

function abortError(signal: AbortSignal): LightFMError {
  return new LightFMError('ERR_ABORTED', 'training was aborted before it started', { cause: signal.reason });
}
