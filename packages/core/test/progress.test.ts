import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { recordingStream } from '@lightfm-ts/test-utils/streams';
import { LightFM, type FitProgress } from '../src/index.js';
import { reading } from '../src/progress/counter.js';
import { fitProgressSink } from '../src/progress/fit-progress.js';
import { clustered } from './helpers.js';

const train = clustered(300, 400, 20, 5);

describe('fit progress option', () => {
  it.each([['yes'], [1], [{}], [null]])('rejects progress: %j', async (progress) => {
    const model = new LightFM();
    await expect(model.fit(train, { progress: progress as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringContaining('progress must be true, false or a function') });
    expect(() => model.fitSync(train, { progress: progress as never })).toThrow(/progress must be/);
  });

  it('reports every epoch once, in order, and readings that only move forward', async () => {
    const big = clustered(3000, 2000, 40, 10);
    const seen: FitProgress[] = [];
    await new LightFM({ loss: 'warp', noComponents: 32 }).fit(big, { epochs: 6, numThreads: 2, progress: (p) => seen.push(p) });
    const ended = seen.filter((p) => p.epochEnded);
    expect(ended.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ended.every((p) => p.examplesDone === big.nnz && p.examplesTotal === big.nnz && p.epochs === 6)).toBe(true);
    expect(ended.at(-1)?.etaSeconds).toBe(0);
    const live = seen.filter((p) => !p.epochEnded);
    expect(live.length).toBeGreaterThan(0);
    const position = (p: FitProgress) => (p.epoch - 1) * p.examplesTotal + p.examplesDone;
    expect(live.every((p, i) => i === 0 || position(p) >= position(live[i - 1] as FitProgress))).toBe(true);
    expect(live.every((p) => p.examplesDone <= p.examplesTotal && p.samplesPerSecond >= 0)).toBe(true);
  });

  it('includes the validation metric after each epoch', async () => {
    const seen: FitProgress[] = [];
    const valid = clustered(300, 400, 3, 5, 9);
    await new LightFM({ loss: 'warp' }).fit(train, { epochs: 3, progress: (p) => seen.push(p), validation: { interactions: valid, metric: 'ndcg', patience: 10 } });
    const ended = seen.filter((p) => p.epochEnded);
    expect(ended).toHaveLength(3);
    expect(ended.every((p) => p.metric === 'ndcg' && typeof p.validation === 'number' && typeof p.bestEpoch === 'number')).toBe(true);
  });

  it('fitSync reports after every epoch', () => {
    const seen: FitProgress[] = [];
    new LightFM().fitSync(train, { epochs: 3, progress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.epoch, p.epochEnded, p.examplesDone])).toEqual([
      [1, true, train.nnz],
      [2, true, train.nnz],
      [3, true, train.nnz],
    ]);
  });

  it('trains exactly the same model with progress on (one thread, same seed)', async () => {
    const plain = await new LightFM({ loss: 'warp', randomState: 5 }).fit(train, { epochs: 3 });
    const shown = await new LightFM({ loss: 'warp', randomState: 5 }).fit(train, { epochs: 3, progress: () => {} });
    const sync = new LightFM({ loss: 'warp', randomState: 5 }).fitSync(train, { epochs: 3, progress: () => {} });
    for (const side of ['user', 'item'] as const) {
      expect(shown.getState(side)).toEqual(plain.getState(side));
      expect(sync.getState(side)).toEqual(plain.getState(side));
    }
  });

  it('a throwing progress callback stops training, rejects with its error and leaves the model as it was', async () => {
    const boom = new Error('boom');
    const model = new LightFM();
    const err = await model
      .fit(train, {
        epochs: 50,
        progress: () => {
          throw boom;
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(model.isFitted).toBe(false);
  });
});

describe('counter readings', () => {
  it('place the count in its epoch, with the rate and the time left', () => {
    expect(reading({ steps: 0, perStep: 0, done: 0, seconds: 0 })).toBeUndefined();
    expect(reading({ steps: 3, perStep: 100, done: 150, seconds: 1.5 })).toEqual({
      step: 2,
      steps: 3,
      done: 50,
      perStep: 100,
      seconds: 1.5,
      perSecond: 100,
      etaSeconds: 1.5,
    });
    // An epoch just finished stays current (at 100%) until the next one has examples done.
    expect(reading({ steps: 3, perStep: 100, done: 200, seconds: 2 })).toMatchObject({ step: 2, done: 100 });
    // The rate within an epoch is measured from its first reading.
    expect(reading({ steps: 3, perStep: 100, done: 250, seconds: 4 }, { step: 3, done: 210, seconds: 3, perSecond: 7 })?.perSecond).toBe(40);
  });
});

describe('the built-in fit display', () => {
  const guard = (f: (p: FitProgress) => void) => f;
  const report = (epoch: number, validation?: number) => ({ epoch, epochs: 2, seconds: 0.5, validation, bestEpoch: validation && 1 });
  const counter = { steps: 2, perStep: 1000, done: 1000, seconds: 0.5 };

  it('on a terminal draws a bar that moves within the epoch, with rate, ETA and metric', async () => {
    const stream = recordingStream(true);
    const sink = fitProgressSink(true, { epochs: 2, metric: 'auc', live: true, guard, stream });
    sink?.reporter.reading({ step: 1, steps: 2, done: 400, perStep: 1000, seconds: 0.2, perSecond: 2000, etaSeconds: 0.8 });
    await vi.waitFor(() => expect(stream.text()).toContain('epoch 1/2 400/1000 2000 samples/s ETA 0.80 s'));
    expect(stream.text()).toMatch(/fit \[█+░+\]/);
    sink?.reporter.epochEnded(report(1, 0.75), counter);
    sink?.stop();
    expect(stream.text()).toContain('epoch 1/2 1000/1000 2000 samples/s ETA 0.50 s auc 0.7500');
    expect(stream.text()).not.toContain('lightfm-ts fit:');
    expect(stream.text().endsWith('\n')).toBe(true);
  });

  it('elsewhere writes one line per epoch and nothing in between', () => {
    const stream = recordingStream(false);
    const sink = fitProgressSink(true, { epochs: 2, metric: 'auc', live: true, guard, stream });
    sink?.reporter.reading({ step: 1, steps: 2, done: 400, perStep: 1000, seconds: 0.2, perSecond: 2000, etaSeconds: 0.8 });
    expect(stream.chunks).toEqual([]);
    sink?.reporter.epochEnded(report(1, 0.75), counter);
    sink?.reporter.epochEnded(report(2, 0.5), { ...counter, done: 2000 });
    sink?.stop();
    expect(stream.chunks).toEqual([
      'lightfm-ts fit: epoch 1/2: 1,000 examples in 0.50 s (2000 samples/s), auc 0.7500 (best epoch 1), ETA 0.50 s\n',
      'lightfm-ts fit: epoch 2/2: 1,000 examples in 0.50 s (2000 samples/s), auc 0.5000 (best epoch 1)\n',
    ]);
  });

  it('is off for false and undefined', () => {
    for (const option of [false, undefined]) expect(fitProgressSink(option, { epochs: 1, metric: undefined, live: true, guard, stream: recordingStream(true) })).toBeUndefined();
  });
});

describe('progress: true in a process whose stderr is not a terminal', () => {
  const script = fileURLToPath(new URL('./fixtures/progress-fit.mjs', import.meta.url));
  it.each([
    ['async', ''],
    ['sync', ''],
    ['async', 'validation'],
  ])('fit (%s, %s) prints one line per epoch', (how, validation) => {
    const r = spawnSync(process.execPath, [script, how, validation], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^lightfm-ts fit: epoch ${i + 1}/3: 20,000 examples in [\\d.]+ s \\([\\d.]+[kM]? samples/s\\)`));
      if (validation) expect(line).toMatch(/auc \d\.\d{4} \(best epoch \d\)/);
    });
  });
});
