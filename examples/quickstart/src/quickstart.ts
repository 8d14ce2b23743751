// LightFM's quickstart (https://making.lyst.com/lightfm/docs/quickstart.html), line for line.
import { type CooMatrix, LightFM } from '@lightfm-ts/core';
import { precisionAtK } from '@lightfm-ts/evaluation';

/** Options of {@link quickstart}. */
export interface QuickstartOptions {
  /** @default 30 (LightFM's quickstart) */
  epochs?: number;
  /** @default 2 (LightFM's quickstart) */
  numThreads?: number;
  /** Seed, so runs are comparable. @default 42 */
  randomState?: number;
}

/** Mean precision@5 on the training and the test interactions, and the fit time. */
export interface QuickstartResult {
  trainPrecision: number;
  testPrecision: number;
  fitSeconds: number;
}

/**
 * Fits a WARP model and measures precision@5 on train and test, as LightFM's quickstart does
 * (its test precision ranks every item, the training items included).
 *
 * @param data - `train` and `test` interactions, e.g. `fetchMovielens({ minRating: 5 })`.
 * @param options - Epochs, threads and seed.
 * @returns The two precisions and the fit time.
 * @throws {LightFMError} As `fit` and `precisionAtK` (`ERR_SHAPE` for mismatched matrices).
 * @example
 * ```ts
 * const { trainPrecision, testPrecision } = await quickstart(await fetchMovielens({ minRating: 5 }));
 * ```
 */
export async function quickstart(data: { train: CooMatrix; test: CooMatrix }, options: QuickstartOptions = {}): Promise<QuickstartResult> {
  const { epochs = 30, numThreads = 2, randomState = 42 } = options;
  const model = new LightFM({ loss: 'warp', randomState });

  const started = performance.now();
  await model.fit(data.train, { epochs, numThreads });
  const fitSeconds = (performance.now() - started) / 1000;

  const mean = (values: Float32Array) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return {
    trainPrecision: mean(precisionAtK(model, data.train, { k: 5, numThreads })),
    testPrecision: mean(precisionAtK(model, data.test, { k: 5, numThreads })),
    fitSeconds,
  };
}
