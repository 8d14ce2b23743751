// WARP vs BPR, as in LightFM's example: per-epoch test AUC (training items excluded) and
// per-epoch training time.
import { type CooMatrix, LightFM } from '@lightfm-ts/core';
import { aucScore } from '@lightfm-ts/evaluation';

/** The losses compared. */
export type ComparedLoss = 'warp' | 'bpr';

/** Options of {@link compareLosses}. */
export interface LossOptions {
  /** Epochs per loss (LightFM's example runs 70). @default 30 */
  epochs?: number;
  /** WARP's most negatives drawn per positive (LightFM's example: 100; try 3 for speed). @default 100 */
  maxSampled?: number;
  /** Training threads; 1 keeps the per-epoch times comparable. @default 1 */
  numThreads?: number;
  /** @default 1 */
  randomState?: number;
  /** Called after each epoch of each loss. */
  onEpoch?: (loss: ComparedLoss, epoch: number, auc: number, seconds: number) => void;
}

/** Per epoch (index 0 is epoch 1): the mean test AUC and the training wall time. */
export interface LossCurve {
  auc: number[];
  seconds: number[];
}

/**
 * Trains a WARP and a BPR model (32 components, L2 1e-5, adagrad) one epoch at a time and
 * records the test AUC, with each user's training items left out of the ranking, and the
 * seconds each epoch of training took.
 *
 * @param data - `train` and `test` interactions, e.g. from `fetchMovielens()`.
 * @param options - Epochs, WARP's `maxSampled`, threads, seed and a progress callback.
 * @returns One curve per loss.
 * @throws {LightFMError} As `fitPartial` and `aucScore`.
 * @example
 * ```ts
 * const curves = await compareLosses(await fetchMovielens(), { epochs: 10 });
 * console.log(curves.warp.auc.at(-1), curves.bpr.auc.at(-1));
 * ```
 */
export async function compareLosses(data: { train: CooMatrix; test: CooMatrix }, options: LossOptions = {}): Promise<Record<ComparedLoss, LossCurve>> {
  const { epochs = 30, maxSampled = 100, numThreads = 1, randomState = 1, onEpoch } = options;
  const curves: Record<ComparedLoss, LossCurve> = { warp: { auc: [], seconds: [] }, bpr: { auc: [], seconds: [] } };
  for (const loss of ['warp', 'bpr'] as const) {
    const model = new LightFM({ noComponents: 32, loss, maxSampled, userAlpha: 1e-5, itemAlpha: 1e-5, randomState });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let seconds = 0;
      await model.fitPartial(data.train, { epochs: 1, numThreads, onEpoch: (info) => (seconds = info.seconds) });
      const auc = mean(aucScore(model, data.test, { trainInteractions: data.train, numThreads }));
      curves[loss].auc.push(auc);
      curves[loss].seconds.push(seconds);
      onEpoch?.(loss, epoch, auc, seconds);
    }
  }
  return curves;
}

function mean(values: Float32Array): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
