// The lightfm-ts calls the worker times, in one place: evaluation and top-k recommendation.
import { createRequire } from 'node:module';
import type { CsrMatrix, LightFM } from '@lightfm-ts/core';

const require = createRequire(import.meta.url);

/** The version of `@lightfm-ts/core` in use. */
export function coreVersion(): string {
  return (require('@lightfm-ts/core/package.json') as { version: string }).version;
}

export interface ScoringOptions {
  itemFeatures: CsrMatrix | undefined;
  numThreads: number;
  k: number;
}

/**
 * Mean test AUC and precision@k over users with test entries, train items excluded, with
 * LightFM's definitions (lightfm-behaviour.md §8): computed from `predictRank`, LightFM's own
 * building block, as `auc_score` and `precision_at_k` do.
 */
export async function evaluateTop(
  model: LightFM,
  test: CsrMatrix,
  o: ScoringOptions & { trainInteractions: CsrMatrix },
): Promise<{ auc: number; precisionAt10: number }> {
  const train = o.trainInteractions;
  const ranks = model.predictRank(test, { trainInteractions: train, itemFeatures: o.itemFeatures, numThreads: o.numThreads });
  const items = test.shape[1];
  let [auc, precision, users] = [0, 0, 0];
  for (let u = 0; u < test.shape[0]; u++) {
    const [lo, hi] = [ranks.indptr[u] as number, ranks.indptr[u + 1] as number];
    if (hi === lo) continue;
    const row = ranks.data.slice(lo, hi).sort();
    const negatives = items - (hi - lo) - ((train.indptr[u + 1] as number) - (train.indptr[u] as number));
    let sum = 0;
    row.forEach((r, i) => {
      sum += 1 - Math.max(0, r - i) / negatives;
      if (r < o.k) precision += 1 / o.k;
    });
    auc += sum / row.length;
    users++;
  }
  return { auc: auc / users, precisionAt10: precision / users };
}

/** Top-k unseen items for every user in `users` (the timed serving call). */
export function recommendTop(model: LightFM, users: Int32Array, o: ScoringOptions & { exclude: CsrMatrix }): void {
  model.recommend(users, { k: o.k, exclude: o.exclude, itemFeatures: o.itemFeatures, numThreads: o.numThreads });
}
