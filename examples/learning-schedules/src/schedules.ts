// adagrad vs adadelta, as in LightFM's learning-schedules example: the same model trained one
// epoch at a time with `fitPartial`, measuring the test AUC after each epoch.
import { type CooMatrix, LightFM, type LearningSchedule } from '@lightfm-ts/core';
import { aucScore } from '@lightfm-ts/evaluation';

/** Options of {@link compareSchedules}. */
export interface ScheduleOptions {
  /** Epochs per schedule (LightFM's example runs 70). @default 30 */
  epochs?: number;
  /** `'warp'` or `'warp-kos'`, the two losses LightFM's example compares. @default 'warp' */
  loss?: 'warp' | 'warp-kos';
  /** @default 2 */
  numThreads?: number;
  /** @default 1 */
  randomState?: number;
  /** Called after each epoch of each schedule. */
  onEpoch?: (schedule: LearningSchedule, epoch: number, auc: number) => void;
}

/** Test AUC after each epoch (index 0 is epoch 1), per schedule. */
export type ScheduleCurves = Record<LearningSchedule, number[]>;

/**
 * Trains one model per learning schedule (30 components, L2 1e-3 on both sides, LightFM's
 * settings) and records the mean test AUC after every epoch. Like LightFM's example, the test
 * ranking includes the training items.
 *
 * @param data - `train` and `test` interactions, e.g. from `fetchMovielens()`.
 * @param options - Epochs, loss, threads, seed and a progress callback.
 * @returns One AUC curve per schedule.
 * @throws {LightFMError} As `fitPartial` and `aucScore`.
 * @example
 * ```ts
 * const curves = await compareSchedules(await fetchMovielens(), { epochs: 10 });
 * console.log(curves.adagrad.at(-1), curves.adadelta.at(-1));
 * ```
 */
export async function compareSchedules(data: { train: CooMatrix; test: CooMatrix }, options: ScheduleOptions = {}): Promise<ScheduleCurves> {
  const { epochs = 30, loss = 'warp', numThreads = 2, randomState = 1, onEpoch } = options;
  const curves: ScheduleCurves = { adagrad: [], adadelta: [] };
  for (const learningSchedule of ['adagrad', 'adadelta'] as const) {
    const model = new LightFM({ noComponents: 30, loss, learningSchedule, userAlpha: 1e-3, itemAlpha: 1e-3, randomState });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      await model.fitPartial(data.train, { epochs: 1, numThreads });
      const auc = mean(aucScore(model, data.test, { numThreads }));
      curves[learningSchedule].push(auc);
      onEpoch?.(learningSchedule, epoch, auc);
    }
  }
  return curves;
}

function mean(values: Float32Array): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
