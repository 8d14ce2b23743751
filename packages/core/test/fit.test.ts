import { describe, expect, it } from 'vitest';
import { CooMatrix, LightFM, LightFMError, type EpochInfo, type Loss } from '../src/index.js';
import { clustered } from './helpers.js';

const train = clustered(300, 400, 20, 5);

describe('fit', () => {
  it('reports every epoch in order through onEpoch', async () => {
    const seen: EpochInfo[] = [];
    await new LightFM({ loss: 'warp' }).fit(train, { epochs: 4, numThreads: 2, onEpoch: (e) => seen.push(e) });
    expect(seen.map((e) => [e.epoch, e.epochs])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(seen.every((e) => e.seconds >= 0)).toBe(true);
  });

  it('does not block the event loop while training', async () => {
    const big = clustered(3000, 2000, 40, 10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await new LightFM({ loss: 'warp', noComponents: 64 }).fit(big, { epochs: 5 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });

  it('aborts with an AbortError when the signal fires, before or during training', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const before = await new LightFM().fit(train, { signal: controller.signal }).catch((e: unknown) => e);
    expect(before).toMatchObject({ code: 'ERR_ABORTED', name: 'AbortError' });

    const big = clustered(3000, 2000, 40, 10);
    const during = new AbortController();
    const model = new LightFM({ loss: 'warp', noComponents: 64 });
    const run = model.fit(big, { epochs: 1000, signal: during.signal, onEpoch: (e) => e.epoch === 2 && during.abort() });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LightFMError);
    expect(err).toMatchObject({ code: 'ERR_ABORTED', name: 'AbortError' });
    expect(model.isTraining).toBe(false);
    // All or nothing: the aborted fit leaves the model as it was (here, never fitted).
    expect(model.isFitted).toBe(false);
    await model.fit(train); // usable afterwards
    model.predict(0, [0, 1]);
  });

  it('a throwing onEpoch stops training and rejects with that error, without crashing', async () => {
    const boom = new Error('boom');
    const err = await new LightFM()
      .fit(train, {
        epochs: 50,
        onEpoch: () => {
          throw boom;
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBe(boom);
  });

  it('throws ERR_BUSY from synchronous methods while training, and rejects a second fit', async () => {
    const model = new LightFM({ loss: 'warp' });
    await model.fit(train);
    const run = model.fitPartial(train, { epochs: 3 });
    expect(model.isTraining).toBe(true);
    expect(() => model.predict(0, [1])).toThrow(expect.objectContaining({ code: 'ERR_BUSY' }));
    await expect(model.fitPartial(train)).rejects.toMatchObject({ code: 'ERR_BUSY' });
    await run;
    expect(model.isTraining).toBe(false);
    model.predict(0, [1]);
  });

  it('is bit-identical with one thread and a seed, sync or async, in one call or epoch by epoch', async () => {
    for (const loss of ['logistic', 'bpr', 'warp', 'warp-kos', 'regression'] as Loss[]) {
      const a = await new LightFM({ loss, randomState: 10 }).fit(train, { epochs: 3 });
      const b = new LightFM({ loss, randomState: 10 }).fitSync(train, { epochs: 3 });
      const c = new LightFM({ loss, randomState: 10 }).fitSync(train, { epochs: 3, onEpoch: () => {} });
      const d = await new LightFM({ loss, randomState: 10 }).fit(train, { epochs: 1 });
      await d.fitPartial(train, { epochs: 2 });
      const ref = a.getState('item').embeddings;
      for (const m of [b, c, d]) expect(m.getState('item').embeddings).toEqual(ref);
    }
  });

  it('test_random_state_fixing / advanced: same seed same model, epochs move the state', async () => {
    const a = await new LightFM({ loss: 'warp', randomState: 10 }).fit(train, { epochs: 2 });
    const b = await new LightFM({ loss: 'warp', randomState: 10 }).fit(train, { epochs: 2 });
    expect(a.getState('user').embeddings).toEqual(b.getState('user').embeddings);
    const before = a.getState('user').embeddings;
    await a.fitPartial(train);
    expect(a.getState('user').embeddings).not.toEqual(before);
  });

  it('test_state_reset: fit with 0 epochs re-initialises', async () => {
    const model = new LightFM({ randomState: 1 });
    await model.fit(train, { epochs: 1 });
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(model.getState('item').embeddingGradients)).toBeGreaterThan(1);
    await model.fit(train, { epochs: 0 });
    expect(model.getState('item').embeddingGradients.every((v) => v === 1)).toBe(true);
  });

  it('test_training_schedules: adagrad and adadelta accumulators', async () => {
    for (const schedule of ['adagrad', 'adadelta'] as const) {
      const model = new LightFM({ learningSchedule: schedule, randomState: 2 });
      await model.fitPartial(train, { epochs: 0 });
      for (const side of ['user', 'item'] as const) {
        const s = model.getState(side);
        const init = schedule === 'adagrad' ? 1 : 0;
        expect(s.embeddingGradients.every((v) => v === init) && s.biasGradients.every((v) => v === init)).toBe(true);
        expect(s.embeddingMomentum.every((v) => v === 0) && s.biasMomentum.every((v) => v === 0)).toBe(true);
      }
      await model.fitPartial(train, { epochs: 1 });
      for (const side of ['user', 'item'] as const) {
        const s = model.getState(side);
        const init = schedule === 'adagrad' ? 1 : 0;
        expect(s.embeddingGradients.some((v) => v > init) && s.biasGradients.some((v) => v > init)).toBe(true);
        const moved = s.embeddingMomentum.some((v) => v > 0) && s.biasMomentum.some((v) => v > 0);
        expect(moved).toBe(schedule === 'adadelta');
      }
    }
  });

  it('pairwise losses leave user biases at zero (LightFM lets them drift)', async () => {
    for (const loss of ['bpr', 'warp', 'warp-kos'] as Loss[]) {
      const model = await new LightFM({ loss }).fit(train, { epochs: 3 });
      expect(model.getState('user').biases.every((b) => b === 0)).toBe(true);
    }
  });

  it('sample weights of zero leave a user untouched (grad accumulation test)', async () => {
    const weights = Float32Array.from(train.row, (u) => (u % 2 === 0 ? 1 : 0));
    for (const loss of ['logistic', 'bpr', 'warp'] as Loss[]) {
      const model = await new LightFM({ loss, noComponents: 4 }).fit(train, { sampleWeight: weights });
      const s = model.getState('user');
      for (let u = 0; u < 300; u++) {
        const g = s.embeddingGradients.subarray(u * 4, u * 4 + 4);
        const untouched = g.every((v) => v === 1) && s.biasGradients[u] === 1;
        if (u % 2 === 1) expect(untouched, `${loss} user ${u}`).toBe(true);
      }
    }
  });

  it('does not mutate its inputs', async () => {
    const m = clustered(20, 30, 5, 2);
    const copy = { row: m.row.slice(), col: m.col.slice(), data: m.data.slice() };
    await new LightFM().fit(m, { sampleWeight: m.data });
    expect(m.row).toEqual(copy.row);
    expect(m.col).toEqual(copy.col);
    expect(m.data).toEqual(copy.data);
  });

  it('validates fit options with named paths', async () => {
    const model = new LightFM();
    await expect(model.fit(train, { epochs: -1 })).rejects.toThrow(/epochs/);
    await expect(model.fit(train, { numThreads: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(model.fit({} as CooMatrix)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(model.fit(train, { onEpoch: 3 as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });

  it('gives representations that reproduce predict', async () => {
    const model = await new LightFM({ randomState: 3 }).fit(train, { epochs: 2 });
    const u = model.getUserRepresentations();
    const i = model.getItemRepresentations();
    const p = model.predict([5, 6], [7, 8]);
    [
      [5, 7],
      [6, 8],
    ].forEach(([uu, ii], k) => {
      let s = (u.biases[uu!] as number) + (i.biases[ii!] as number);
      for (let c = 0; c < u.cols; c++) s += (u.embeddings[uu! * u.cols + c] as number) * (i.embeddings[ii! * i.cols + c] as number);
      expect(p[k]).toBeCloseTo(s, 5);
    });
  });
});
