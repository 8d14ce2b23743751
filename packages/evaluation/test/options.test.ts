// The evaluation functions read their options by core's one rule: an unknown key (LightFM's
// snake_case names included) is ERR_INVALID_ARG naming it and the intended key. The table must
// cover every exported function the compiler sees taking an options object.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optionTakers } from '@lightfm-ts/test-utils/api-surface';
import { CooMatrix, LightFM } from '@lightfm-ts/core';
import { METRICS as CORE_METRICS } from '@lightfm-ts/core/internal';
import * as evaluation from '../src/index.js';

const triplets = (n: number, seed: number): CooMatrix => {
  const r: number[] = [];
  const c: number[] = [];
  for (let k = 0; k < n; k++) {
    r.push(k % 10);
    c.push((k * 7 + seed) % 20);
  }
  return CooMatrix.fromTriplets(r, c, new Array<number>(n).fill(1), [10, 20]);
};
const train = triplets(40, 0).toCsr();
const test = triplets(10, 3).toCsr();
const model = new LightFM({ randomState: 1 }).fitSync(train);

/** What `call` throws or rejects with (sync and async functions alike). */
const refusal = (call: () => unknown) => expect(Promise.resolve().then(call)).rejects;

const { aucScore, evaluate, mae, precisionAtK, reciprocalRank, rmse } = evaluation;

type Call = (options: never) => unknown;

/** Each function: a call with the options, and a foreign key with the key it means. */
const CALLS: Record<string, [call: Call, wrong: string, meant: string]> = {
  evaluate: [(o) => evaluate(model, test, { metrics: ['auc'], ...(o as object) }), 'metric', 'metrics'],
  evaluateSync: [(o) => evaluation.evaluateSync(model, test, { metrics: ['auc'], ...(o as object) }), 'num_threads', 'numThreads'],
  precisionAtK: [(o) => precisionAtK(model, test, o), 'train_interactions', 'trainInteractions'],
  recallAtK: [(o) => evaluation.recallAtK(model, test, o), 'top_k', 'k'],
  aucScore: [(o) => aucScore(model, test, o), 'preserve_rows', 'preserveRows'],
  reciprocalRank: [(o) => reciprocalRank(model, test, o), 'check_intersections', 'checkIntersections'],
  ndcgAtK: [(o) => evaluation.ndcgAtK(model, test, o), 'item_features', 'itemFeatures'],
  mapAtK: [(o) => evaluation.mapAtK(model, test, o), 'user_features', 'userFeatures'],
  hitRateAtK: [(o) => evaluation.hitRateAtK(model, test, o), 'trainInteraction', 'trainInteractions'],
  catalogCoverage: [(o) => evaluation.catalogCoverage(model, test, o), 'K', 'k'],
  rmse: [(o) => rmse(model, test, o), 'numthreads', 'numThreads'],
  mae: [(o) => mae(model, test, o), 'preserve-rows', 'preserveRows'],
};

describe('unknown option keys', () => {
  it('the table covers every exported function that takes an options object', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    expect(Object.keys(CALLS).sort()).toEqual(optionTakers(entry));
  });

  it.each(Object.entries(CALLS))('%s refuses an unknown key, naming it', async (_name, [call]) => {
    await refusal(() => call({ bogus: 1 } as never)).toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/unknown option 'bogus' \(/) });
  });

  it.each(Object.entries(CALLS))('%s names the intended key of a foreign one', async (_name, [call, wrong, meant]) => {
    const message = expect.stringContaining(`unknown option '${wrong}'; did you mean '${meant}'?`);
    await refusal(() => call({ [wrong]: 1 } as never)).toMatchObject({ code: 'ERR_INVALID_ARG', message });
  });

  it("refuses the issue's example instead of ranking train items as misses", () => {
    expect(() => precisionAtK(model, test, { k: 10, train_interactions: train } as never)).toThrow(
      "precisionAtK(): unknown option 'train_interactions'; did you mean 'trainInteractions'? (the options are trainInteractions, userFeatures, itemFeatures, preserveRows, numThreads, checkIntersections, k)",
    );
  });

  it('metrics without a cut-off refuse k; the ranking ones take it', () => {
    for (const f of [aucScore, reciprocalRank, rmse, mae]) {
      expect(() => f(model, test, { k: 5 } as never)).toThrow(/unknown option 'k' \(the options are trainInteractions, /);
    }
    expect(precisionAtK(model, test, { k: 5, trainInteractions: undefined })).toEqual(precisionAtK(model, test, { k: 5 }));
  });

  it('metric names come from the core; the core refuses an unknown one', async () => {
    expect(evaluation.METRICS).toBe(CORE_METRICS);
    const message = expect.stringMatching(/unknown metric 'precison'; metrics are 'precision', 'recall'/);
    await refusal(() => evaluate(model, test, { metrics: ['precison' as 'precision'] })).toMatchObject({ code: 'ERR_INVALID_ARG', message });
  });
});
