// Early stopping (`fit(..., { validation })`, implemented in lightfm-core) checked with the
// evaluation functions on MovieLens 100k: it stops after `patience` epochs without
// improvement, reports every epoch, and restores the best epoch exactly.
import { describe, expect, it } from 'vitest';
import { CooMatrix, LightFM, type EpochInfo } from '@lightfm-ts/core';
import { evaluateSync } from '../src/index.js';
import { binarize, hasMovielens, positives, readRatings } from './movielens-data.js';

describe.skipIf(!hasMovielens)('early stopping on MovieLens 100k', () => {
  const train = hasMovielens ? readRatings('ua.base', binarize) : (undefined as never);
  const trainPos = hasMovielens ? positives(train) : (undefined as never);
  const valid = hasMovielens ? positives(readRatings('ua.test', binarize)) : (undefined as never);
  const options = { loss: 'warp', learningRate: 0.05, noComponents: 32, randomState: 7 } as const;
  const validation = { interactions: valid, trainInteractions: trainPos, metric: 'precision', k: 5, patience: 3 } as const;

  it('stops after `patience` epochs without improvement and restores the best epoch', async () => {
    const seen: EpochInfo[] = [];
    const model = await new LightFM(options).fit(train, { epochs: 200, validation, onEpoch: (e) => seen.push(e) });
    const v = model.lastValidation!;
    console.log(`early stopping (WARP d=32, P@5 on ua.test): best epoch ${v.bestEpoch} of ${v.values.length}, P@5 ${v.bestValue.toFixed(4)}; values ${v.values.map((x) => x.toFixed(4)).join(' ')}`);
    expect(v.stoppedEarly).toBe(true);
    expect(v.values.length).toBe(v.bestEpoch + 3);
    expect(Math.max(...v.values)).toBe(v.bestValue);
    expect(v.values.indexOf(v.bestValue) + 1).toBe(v.bestEpoch);
    expect(seen.map((e) => e.validation)).toEqual(v.values);
    expect(seen.at(-1)?.bestEpoch).toBe(v.bestEpoch);
    // The restored model scores exactly the best value, and equals a plain fit of bestEpoch epochs.
    const now = evaluateSync(model, valid, { metrics: ['precision'], k: 5, trainInteractions: trainPos });
    expect(now.mean.precision).toBe(v.bestValue);
    const plain = await new LightFM(options).fit(train, { epochs: v.bestEpoch });
    expect(model.getState('item').embeddings).toEqual(plain.getState('item').embeddings);
    expect(plain.lastValidation).toBeUndefined();
  });

  it('keeps the last epoch without restoreBest; fitSync validates too', async () => {
    const last = await new LightFM(options).fit(train, { epochs: 200, validation: { ...validation, restoreBest: false } });
    const v = last.lastValidation!;
    const now = evaluateSync(last, valid, { metrics: ['precision'], k: 5, trainInteractions: trainPos });
    expect(now.mean.precision).toBe(v.values.at(-1));
    const synced: number[] = [];
    const sync = new LightFM(options).fitSync(train, { epochs: 200, validation, onEpoch: (e) => synced.push(e.validation!) });
    expect(sync.lastValidation?.values).toEqual(v.values);
    expect(synced).toEqual(v.values);
  });

  it('rejects bad validation options with stable codes', async () => {
    const model = new LightFM(options);
    const wrong = CooMatrix.fromTriplets([0], [0], [1], [943, 1000]);
    await expect(model.fit(train, { epochs: 1, validation: { interactions: wrong } })).rejects.toMatchObject({ code: 'ERR_SHAPE' });
    await expect(model.fit(train, { epochs: 1, validation: { interactions: valid, patience: 0 } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(model.fit(train, { epochs: 1, validation: { interactions: valid, metric: 'coverage' as 'auc' } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(model.fit(train, { epochs: 1, validation: { interactions: valid, trainInteractions: valid } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });
});
