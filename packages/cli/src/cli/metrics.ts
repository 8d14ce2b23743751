// Ranking metrics of a model on held-out interactions, labelled for output (`precision@10`).
import type { CsrMatrix, LightFM, SparseMatrix } from '@lightfm-ts/core';
import { type PerUserMetric, evaluate } from '@lightfm-ts/evaluation';

/** The metrics that have a cut-off, labelled `<name>@<k>`. */
const AT_K: ReadonlySet<PerUserMetric> = new Set(['precision', 'recall', 'ndcg', 'map', 'hitRate']);

export interface MetricsInput {
  metrics: readonly PerUserMetric[];
  k: number;
  /** Left out of each user's ranking (the training interactions). */
  train?: SparseMatrix;
  itemFeatures?: CsrMatrix;
  userFeatures?: CsrMatrix;
  threads: number;
}

/**
 * Means over the users with test entries, from one pass of `@lightfm-ts/evaluation`.
 * @returns `{ users, 'precision@10': ..., auc: ... }`: `users` is how many were evaluated.
 */
export async function rankingMetrics(model: LightFM, test: SparseMatrix, input: MetricsInput): Promise<Record<string, number>> {
  const { metrics, k, train, itemFeatures, userFeatures, threads } = input;
  const result = await evaluate(model, test, { metrics, k, trainInteractions: train, itemFeatures, userFeatures, numThreads: threads });
  const out: Record<string, number> = { users: result.evaluatedUsers };
  for (const m of metrics) out[AT_K.has(m) ? `${m}@${k}` : m] = result.mean[m];
  return out;
}
