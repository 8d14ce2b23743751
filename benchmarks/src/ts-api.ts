// The lightfm-ts calls the worker times, in one place: evaluation and top-k recommendation.
import { createRequire } from 'node:module';
import { type CsrMatrix, LightFM, type Loss } from '@lightfm-ts/core';
import { evaluateSync } from '@lightfm-ts/evaluation';

const require = createRequire(import.meta.url);

/** The version of `@lightfm-ts/core` in use. */
export function coreVersion(): string {
  return (require('@lightfm-ts/core/package.json') as { version: string }).version;
}

/** The command-line options every lightfm-ts worker takes (`parseArgs` form). */
export const WORKER_OPTIONS = {
  data: { type: 'string' },
  loss: { type: 'string' },
  threads: { type: 'string' },
  components: { type: 'string', default: '64' },
  seed: { type: 'string', default: '42' },
} as const;

/** The model of every lightfm-ts run: the settings of python/lightfm_worker.py. */
export function benchModel(loss: string, components: number, seed: number): LightFM {
  return new LightFM({ noComponents: components, loss: loss as Loss, learningRate: 0.05, randomState: seed });
}

export interface ScoringOptions {
  itemFeatures: CsrMatrix | undefined;
  numThreads: number;
  k: number;
}

/**
 * Mean test AUC and precision@k over users with test entries, train items excluded
 * (LightFM's `auc_score` and `precision_at_k`), from one pass. Like those two, it blocks:
 * `evaluateSync` reads the matrices in place, where the Promise form copies them first
 * (see docs/evaluation.md).
 */
export function evaluateTop(
  model: LightFM,
  test: CsrMatrix,
  o: ScoringOptions & { trainInteractions: CsrMatrix },
): { auc: number; precisionAt10: number } {
  const e = evaluateSync(model, test, {
    metrics: ['auc', 'precision'],
    k: o.k,
    trainInteractions: o.trainInteractions,
    itemFeatures: o.itemFeatures,
    numThreads: o.numThreads,
  });
  return { auc: e.mean.auc, precisionAt10: e.mean.precision };
}

/** Mean test precision@k over users with test entries, train items excluded (the curve runs' measure). */
export function precisionTop(model: LightFM, test: CsrMatrix, o: ScoringOptions & { trainInteractions: CsrMatrix }): number {
  const e = evaluateSync(model, test, { metrics: ['precision'], k: o.k, trainInteractions: o.trainInteractions, itemFeatures: o.itemFeatures, numThreads: o.numThreads });
  return e.mean.precision;
}

/** Top-k unseen items for every user in `users` (the timed serving call). */
export function recommendTop(model: LightFM, users: Int32Array, o: ScoringOptions & { exclude: CsrMatrix }): void {
  model.recommend(users, { k: o.k, exclude: o.exclude, itemFeatures: o.itemFeatures, numThreads: o.numThreads });
}
