import type { Binding } from './native.js';
import { native } from './native.js';
import { LightFMError, call, fromNative, invalidArg } from './errors.js';
import { type NumericArray, describe, toIndexArray } from './arrays.js';
import { CooMatrix, CsrMatrix, type SparseMatrix, asCoo, asCsr } from './sparse.js';
import { type LightFMOptions, type LightFMParams, checkOptions } from './options.js';

/** Reported after every epoch. */
export interface EpochInfo {
  /** 1-based epoch number within this call. */
  epoch: number;
  /** Epochs requested in this call. */
  epochs: number;
  /** Wall time of this epoch. */
  seconds: number;
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
  /** Cancels training between chunks of examples; the promise rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
  /** Called after each epoch. If it throws, training stops and `fit` rejects with that error. */
  onEpoch?: (info: EpochInfo) => void;
}

/** Options shared by the scoring methods. */
export interface PredictOptions {
  userFeatures?: SparseMatrix;
  itemFeatures?: SparseMatrix;
  /** @default 1 */
  numThreads?: number;
}

export interface PredictRankOptions extends PredictOptions {
  /** Items stored here for a user are excluded from that user's ranking. */
  trainInteractions?: SparseMatrix;
  /** Throw `ERR_INVALID_ARG` when test and train share entries. @default true */
  checkIntersections?: boolean;
}

/** Dense representations: `rows x cols` embeddings (row-major) and one bias per row. */
export interface Representations {
  rows: number;
  cols: number;
  biases: Float32Array;
  embeddings: Float32Array;
}

/** One side's parameters and optimiser state (LightFM's twelve arrays, split by side). */
export type SideState = Binding.NativeSideState;

function positiveInt(where: string, name: string, v: unknown, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > 0xffffffff) {
    throw invalidArg(`${where}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  }
  return v as number;
}

function optionalCsr(where: string, name: string, m: SparseMatrix | undefined): Binding.CsrArg | undefined {
  return m === undefined ? undefined : asCsr(`${where}: ${name}`, m).toNative();
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sampleWeights(where: string, w: FitOptions['sampleWeight'], interactions: CooMatrix): Float32Array | undefined {
  if (w === undefined) return undefined;
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
  return w instanceof Float32Array ? w : Float32Array.from(w);
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

  constructor(options?: LightFMOptions) {
    const o = { ...checkOptions('new LightFM()', options) };
    o.randomState ??= Math.floor(Math.random() * 2 ** 32);
    this.#native = call(() => new native.NativeModel(o));
  }

  /** Whether `fit` has run (the model has parameters). */
  get isFitted(): boolean {
    return call(() => this.#native.isFitted());
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
  fitSync(interactions: SparseMatrix, options?: Omit<FitOptions, 'signal'>): this {
    return this.#fitSync('fitSync()', interactions, options, true);
  }

  /** `fitPartial`, blocking the event loop; for scripts. */
  fitPartialSync(interactions: SparseMatrix, options?: Omit<FitOptions, 'signal'>): this {
    return this.#fitSync('fitPartialSync()', interactions, options, false);
  }

  #args(where: string, interactions: SparseMatrix, o: FitOptions, reset: boolean, epochs: number): Binding.FitArgs {
    if (o === null || typeof o !== 'object') throw invalidArg(`${where}: options must be an object, got ${describe(o)}`);
    const coo = asCoo(`${where}: interactions`, interactions);
    return {
      interactions: coo.toNative(),
      userFeatures: optionalCsr(where, 'userFeatures', o.userFeatures),
      itemFeatures: optionalCsr(where, 'itemFeatures', o.itemFeatures),
      sampleWeight: sampleWeights(where, o.sampleWeight, coo),
      epochs,
      numThreads: positiveInt(where, 'numThreads', o.numThreads, 1),
      reset,
    };
  }

  async #fit(where: string, interactions: SparseMatrix, options: FitOptions = {}, reset: boolean): Promise<this> {
    const epochs = positiveInt(where, 'epochs', options.epochs, 1, 0);
    const args = this.#args(where, interactions, options, reset, epochs);
    const { signal, onEpoch } = options;
    if (onEpoch !== undefined && typeof onEpoch !== 'function') throw invalidArg(`${where}: onEpoch must be a function`);
    if (signal?.aborted) throw abortError(signal);
    const token = new native.CancelToken();
    const onAbort = () => token.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let reported = 0;
    let callbackError: { error: unknown } | undefined;
    const report = (e: EpochInfo) => {
      if (callbackError || e.epoch <= reported) return;
      reported = e.epoch;
      try {
        onEpoch?.({ epoch: e.epoch, epochs: e.epochs, seconds: e.seconds });
      } catch (error) {
        callbackError = { error };
        token.cancel();
      }
    };
    try {
      const history = await this.#native.fit(args, token, onEpoch ? report : undefined);
      // Live reports can arrive after the promise settles; deliver any missing ones now.
      history.forEach(report);
      if (callbackError) throw callbackError.error;
      return this;
    } catch (err) {
      if (callbackError) throw callbackError.error;
      const e = fromNative(err);
      if (e instanceof LightFMError && e.code === 'ERR_ABORTED' && signal?.aborted) {
        throw new LightFMError('ERR_ABORTED', e.message, { cause: signal.reason });
      }
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reported = Number.POSITIVE_INFINITY;
    }
  }

  #fitSync(where: string, interactions: SparseMatrix, options: Omit<FitOptions, 'signal'> = {}, reset: boolean): this {
    const epochs = positiveInt(where, 'epochs', options.epochs, 1, 0);
    const { onEpoch } = options;
    if (!onEpoch) {
      call(() => this.#native.fitSync(this.#args(where, interactions, options, reset, epochs)));
      return this;
    }
    // One epoch per call so progress is live; `fit(a + b)` equals `fit(a)` then `fitPartial(b)`.
    const args = this.#args(where, interactions, options, reset, epochs === 0 ? 0 : 1);
    if (epochs === 0) call(() => this.#native.fitSync(args));
    for (let e = 1; e <= epochs; e++) {
      const [info] = call(() => this.#native.fitSync({ ...args, reset: reset && e === 1 }));
      onEpoch({ epoch: e, epochs, seconds: info?.seconds ?? 0 });
    }
    return this;
  }

  /**
   * Scores `dot(user, item) + userBias + itemBias` of the pairs `(userIds[k], itemIds[k])`.
   * A single number for `userIds` scores that user against every item id.
   *
   * Users or items beyond those seen in training (cold start) are scored from their feature
   * rows when `userFeatures` / `itemFeatures` have rows for them.
   */
  predict(userIds: number | NumericArray, itemIds: NumericArray, options: PredictOptions = {}): Float32Array {
    const items = toIndexArray('itemIds', itemIds);
    const users = typeof userIds === 'number' ? new Int32Array(items.length).fill(toIndexArray('userIds', userIds)[0] as number) : toIndexArray('userIds', userIds);
    return call(() =>
      this.#native.predict(
        users,
        items,
        optionalCsr('predict()', 'userFeatures', options.userFeatures),
        optionalCsr('predict()', 'itemFeatures', options.itemFeatures),
        positiveInt('predict()', 'numThreads', options.numThreads, 1),
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
    const test = asCsr(`${where}: testInteractions`, testInteractions);
    return CsrMatrix.fromNative(
      call(() =>
        this.#native.predictRank(
          test.toNative(),
          optionalCsr(where, 'trainInteractions', options.trainInteractions),
          optionalCsr(where, 'userFeatures', options.userFeatures),
          optionalCsr(where, 'itemFeatures', options.itemFeatures),
          positiveInt(where, 'numThreads', options.numThreads, 1),
          options.checkIntersections ?? true,
        ),
      ),
    );
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
}

function abortError(signal: AbortSignal): LightFMError {
  return new LightFMError('ERR_ABORTED', 'training was aborted before it started', { cause: signal.reason });
}
