// Pure collaborative filtering against the hybrid model, as in LightFM's hybrid example.
import { CsrMatrix, LightFM, type SparseMatrix } from '@lightfm-ts/core';
import { aucScore } from '@lightfm-ts/evaluation';
import type { ColdStartData } from './data.js';

/** Options of {@link compareModels}. */
export interface CompareOptions {
  /** @default 3 (LightFM's example) */
  epochs?: number;
  /** @default 2 */
  numThreads?: number;
  /** @default 1 */
  randomState?: number;
  /** Also measure the AUC on the training data (a full ranking pass per model). @default true */
  trainAuc?: boolean;
}

/** Mean AUC on train (NaN when not measured) and on test (test ranks leave each user's training items out). */
export interface AucPair {
  train: number;
  test: number;
}

/** Both models' scores, and the hybrid model (its tag embeddings are meaningful). */
export interface Comparison {
  pureCf: AucPair;
  hybrid: AucPair;
  hybridModel: LightFM;
}

/**
 * Trains a WARP model on the interactions alone (one embedding per question) and one on the
 * question tags, and measures both. New questions have untrained embeddings in the first
 * model, so only the second can rank them.
 *
 * @param data - From `loadColdStartData`.
 * @param options - Epochs, threads, seed.
 * @returns The AUCs of both models and the hybrid model.
 * @throws {LightFMError} As `fit` and `aucScore`.
 * @example
 * ```ts
 * const { pureCf, hybrid } = await compareModels(await loadColdStartData({}, console.log));
 * ```
 */
export async function compareModels(data: ColdStartData, options: CompareOptions = {}): Promise<Comparison> {
  const { epochs = 3, numThreads = 2, randomState = 1, trainAuc = true } = options;
  const hyperparameters = { loss: 'warp', itemAlpha: 1e-6, noComponents: 30, randomState } as const;

  const pureCfModel = await new LightFM(hyperparameters).fit(data.train, { epochs, numThreads });
  const hybridModel = await new LightFM(hyperparameters).fit(data.train, { itemFeatures: data.itemFeatures, epochs, numThreads });

  const aucs = (model: LightFM, itemFeatures?: SparseMatrix): AucPair => {
    const features = itemFeatures ? { itemFeatures } : {};
    return {
      train: trainAuc ? mean(aucScore(model, data.train, { ...features, numThreads })) : Number.NaN,
      // CrossValidated has 5 pairs in both sets, hence checkIntersections: false.
      test: mean(aucScore(model, data.test, { ...features, numThreads, trainInteractions: data.train, checkIntersections: false })),
    };
  };
  return { pureCf: aucs(pureCfModel), hybrid: aucs(hybridModel, data.itemFeatures), hybridModel };
}

/**
 * The tags whose embeddings are closest (cosine) to each given tag: every tag is treated as an
 * item whose only feature is that tag.
 *
 * @param model - A model trained with the tag features.
 * @param labels - The tag of each feature column.
 * @param tags - Tags to look up (unknown ones are skipped).
 * @param k - Neighbours per tag.
 * @returns Each found tag with its `k` neighbours.
 * @throws {LightFMError} `ERR_SHAPE` when `labels` has more tags than the model has feature embeddings.
 * @example
 * ```ts
 * similarTags(hybridModel, data.tagLabels, ['bayesian'], 3); // [['bayesian', ['prior', 'mcmc', ...]]]
 * ```
 */
export function similarTags(model: LightFM, labels: string[], tags: string[], k: number): [string, string[]][] {
  const found = tags.filter((tag) => labels.includes(tag));
  const ids = found.map((tag) => labels.indexOf(tag));
  const top = model.similarItems(ids, { k, itemFeatures: CsrMatrix.identity(labels.length) });
  return found.map((tag, r) => [tag, Array.from(top.items.subarray(r * top.k, (r + 1) * top.k), (id) => labels[id] ?? '?')]);
}

function mean(values: Float32Array): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
