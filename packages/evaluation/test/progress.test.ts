import { describe, expect, it, vi } from 'vitest';
import { recordingStream } from '@lightfm-ts/test-utils/streams';
import { CooMatrix, LightFM } from '@lightfm-ts/core';
import { type EvaluationProgress, evaluate, evaluateSync } from '../src/index.js';
import { evaluationReporter } from '../src/progress.js';

/** `users x items`, each user with `perUser` items spread by a multiplicative hash. */
function interactions(users: number, items: number, perUser: number, salt: number): CooMatrix {
  const n = users * perUser;
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    row[k] = Math.floor(k / perUser);
    col[k] = (Math.imul(k + salt, 2654435761) >>> 0) % items;
  }
  return CooMatrix.fromTriplets(row, col, new Float32Array(n).fill(1), [users, items]);
}

const train = interactions(200, 300, 10, 0);
const test = interactions(200, 300, 2, 7);
const model = new LightFM({ loss: 'warp', randomState: 1 }).fitSync(train, { epochs: 2 });

describe('evaluate progress', () => {
  it.each([['yes'], [0], [{}]])('rejects progress: %j', async (progress) => {
    await expect(evaluate(model, test, { metrics: ['auc'], progress: progress as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    expect(() => evaluateSync(model, test, { metrics: ['auc'], progress: progress as never })).toThrow(/progress must be true, false or a function/);
  });

  it('reports users done while the pass runs, then once at its end, without changing the result', async () => {
    const bigTrain = interactions(8000, 4000, 10, 0);
    const big = new LightFM({ loss: 'warp', noComponents: 64, randomState: 1 }).fitSync(bigTrain, { epochs: 1 });
    const bigTest = interactions(8000, 4000, 3, 11);
    const seen: EvaluationProgress[] = [];
    const e = await evaluate(big, bigTest, { metrics: ['auc', 'precision'], progress: (p) => seen.push(p) });
    expect(e).toEqual(evaluateSync(big, bigTest, { metrics: ['auc', 'precision'] }));
    const last = seen.at(-1);
    expect(last).toMatchObject({ finished: true, usersDone: 8000, usersTotal: 8000, etaSeconds: 0 });
    const live = seen.slice(0, -1);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((p, i) => !p.finished && p.usersTotal === 8000 && p.usersDone <= 8000 && (i === 0 || p.usersDone >= (live[i - 1] as EvaluationProgress).usersDone))).toBe(true);
  });

  it('evaluateSync reports the end only', () => {
    const seen: EvaluationProgress[] = [];
    const e = evaluateSync(model, test, { metrics: ['auc'], progress: (p) => seen.push(p) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ finished: true, usersDone: e.users.length, usersTotal: e.users.length });
  });

  it('a throwing callback makes the call reject with its error once the pass is done', async () => {
    const boom = new Error('boom');
    const fail = () => {
      throw boom;
    };
    await expect(evaluate(model, test, { metrics: ['auc'], progress: fail })).rejects.toBe(boom);
    expect(() => evaluateSync(model, test, { metrics: ['auc'], progress: fail })).toThrow(boom);
  });
});

describe('the built-in evaluation display', () => {
  const reading = { step: 1, steps: 1, done: 2000, perStep: 8000, seconds: 0.5, perSecond: 4000, etaSeconds: 1.5 };

  it('elsewhere than a terminal writes a line when the pass is under way and one at its end', () => {
    const stream = recordingStream(false);
    const shown = evaluationReporter(true, true, stream);
    shown?.reading(reading);
    shown?.reading({ ...reading, done: 4000 });
    shown?.finished(8000);
    shown?.stop();
    expect(stream.chunks).toHaveLength(2);
    expect(stream.chunks[0]).toBe('lightfm-ts evaluate: 8,000 users\n');
    expect(stream.chunks[1]).toMatch(/^lightfm-ts evaluate: 8,000 users in [\d.]+ s \([\d.]+[kM]? users\/s\)\n$/);
  });

  it('on a terminal draws a bar with users done, users/s and ETA', async () => {
    const stream = recordingStream(true);
    const shown = evaluationReporter(true, true, stream);
    shown?.reading(reading);
    await vi.waitFor(() => expect(stream.text()).toContain('evaluate [████░░░░░░░░░░░░] 2000/8000 users 4000 users/s ETA 1.50 s'));
    shown?.finished(8000);
    shown?.stop();
    expect(stream.text()).toMatch(/evaluate \[█{16}\] 8,000 users in/);
    expect(stream.text()).not.toContain('lightfm-ts evaluate:');
  });
});
