// The demo's pipeline: load, train a hybrid WARP model, evaluate, recommend.
import { availableParallelism } from 'node:os';
import { type EpochInfo, type FitOptions, LightFM } from '@lightfm-ts/core';
import { evaluate } from '@lightfm-ts/evaluation';
import type { DemoData } from './data.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Training epochs. @default 10 */
  epochs?: number;
  /** Training and evaluation threads. @default the number of CPUs, at most 4 */
  numThreads?: number;
  /** Users to recommend for. @default [0, 1, 2] */
  users?: readonly number[];
  /** Items shown per user, liked and recommended. @default 5 */
  k?: number;
  /** Called after every epoch. */
  onEpoch?: (info: EpochInfo) => void;
  /** `fit`'s progress display (`true`: a bar on a terminal, a line per epoch otherwise). @default false */
  progress?: FitOptions['progress'];
}

/** Mean precision@10, AUC and NDCG@10 over the users with entries. */
export interface Scores {
  precision: number;
  auc: number;
  ndcg: number;
}

/** One user's best-liked training items next to the model's recommendations. */
export interface UserReport {
  user: string;
  /** The user's highest-rated training items (all ratings are 1 in synthetic data). */
  liked: string[];
  /** The top `k` items the user has not interacted with in training. */
  recommended: string[];
}

/** What {@link runDemo} measured. */
export interface DemoResult {
  /** Wall time of training. */
  fitSeconds: number;
  /** Train metrics rank every item; test metrics leave out each user's training items. */
  metrics: { train: Scores; test: Scores };
  users: UserReport[];
}

/**
 * Trains a hybrid WARP model (identity + metadata item features) on the data from
 * `loadData`, then evaluates it and recommends for a few users.
 *
 * @param data - MovieLens or synthetic data, from `loadData`.
 * @param options - Epochs, threads, users, an epoch callback and the progress display.
 * @returns The metrics and the recommendations.
 * @throws {LightFMError} As `fit`, `evaluate` and `recommend`: `ERR_INDEX_RANGE` for a user
 *   id outside the data, `ERR_INVALID_ARG` for bad options.
 * @example
 * ```ts
 * const result = await runDemo(await loadData({}, console.log), { epochs: 10 });
 * console.log(result.metrics.test.auc);
 * ```
 */
export async function runDemo(data: DemoData, options: DemoOptions = {}): Promise<DemoResult> {
  const { epochs = 10, users = [0, 1, 2], k = 5, onEpoch, progress = false } = options;
  const numThreads = options.numThreads ?? Math.min(4, availableParallelism());
  const { train, test, itemFeatures } = data;

  const model = new LightFM({ loss: 'warp', noComponents: 30, learningRate: 0.05, randomState: 42 });
  const started = performance.now();
  await model.fit(train, { itemFeatures, epochs, numThreads, progress, ...(onEpoch && { onEpoch }) });
  const fitSeconds = (performance.now() - started) / 1000;

  const metrics = ['precision', 'auc', 'ndcg'] as const;
  const onTrain = await evaluate(model, train, { metrics, k: 10, itemFeatures, numThreads });
  const onTest = await evaluate(model, test, { metrics, k: 10, itemFeatures, numThreads, trainInteractions: train });

  const top = model.recommend(users, { k, exclude: train, itemFeatures, numThreads });
  const trainRows = train.toCsr();
  const name = (item: number) => data.itemLabels[item] ?? `item ${item}`;
  const reports = users.map((user, r) => ({
    user: data.userLabels[user] ?? `user ${user}`,
    liked: bestRated(trainRows.row(user), k).map(name),
    recommended: Array.from(top.items.subarray(r * top.k, (r + 1) * top.k)).filter((item) => item >= 0).map(name),
  }));

  return {
    fitSeconds,
    metrics: { train: onTrain.mean, test: onTest.mean },
    users: reports,
  };
}

/** The `k` items of a row with the highest values, best first (ties keep item order). */
function bestRated(row: { indices: Int32Array; data: Float32Array }, k: number): number[] {
  const order = Array.from(row.indices.keys()).sort((a, b) => (row.data[b] ?? 0) - (row.data[a] ?? 0));
  return order.slice(0, k).map((i) => row.indices[i] ?? -1);
}
