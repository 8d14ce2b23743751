import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CooMatrix, LightFM } from '@lightfm-ts/core';
import { evaluate } from '@lightfm-ts/evaluation';
import { servingState } from '../src/index.js';
import { lightfm, syntheticRows, tempDir } from './helpers.js';

describe('lightfm evaluate', () => {
  const dir = tempDir();
  const model = join(dir, 'model.lightfm');
  const [trainFile, testFile] = [join(dir, 'train.csv'), join(dir, 'test.csv')];
  beforeAll(async () => {
    const rows = syntheticRows();
    const lines = rows.map((r) => `${r.user},${r.item}`);
    // Every 5th row held out; one test row of a user the model never saw.
    writeFileSync(trainFile, `user,item\n${lines.filter((_, i) => i % 5 !== 0).join('\n')}\n`);
    writeFileSync(testFile, `user,item\n${lines.filter((_, i) => i % 5 === 0).join('\n')}\nstranger,i1\n`);
    const run = await lightfm(['train', trainFile, '--epochs', '5', '--validation', '0', '--seed', '2', '--threads', '1', '-o', model]);
    expect(run.code).toBe(0);
  });

  it("prints the metrics of @lightfm-ts/evaluation, by the model's ids", async () => {
    const run = await lightfm(['evaluate', model, testFile, '--train', trainFile, '--k', '5']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('1 interactions of users or items the model does not know were left out');
    const metrics = JSON.parse(run.stdout) as Record<string, number>;
    expect(Object.keys(metrics)).toEqual(['users', 'precision@5', 'recall@5', 'ndcg@5', 'auc', 'reciprocalRank']);

    // The same numbers in-process, from the same files mapped through the model's dataset.
    const { model: m, dataset } = servingState(await LightFM.load(model));
    const read = (file: string, filter: (i: number) => boolean) => {
      const rows = syntheticRows().filter((_, i) => filter(i));
      const [users, items] = dataset.interactionsShape();
      return CooMatrix.fromTriplets(
        rows.map((r) => dataset.userIndex(r.user)),
        rows.map((r) => dataset.itemIndex(r.item)),
        rows.map(() => 1),
        [users, items],
      );
    };
    const expected = await evaluate(m, read(testFile, (i) => i % 5 === 0), {
      metrics: ['precision', 'auc'],
      k: 5,
      trainInteractions: read(trainFile, (i) => i % 5 !== 0),
    });
    expect(metrics.users).toBe(expected.evaluatedUsers);
    expect(metrics['precision@5']).toBeCloseTo(expected.mean.precision, 6);
    expect(metrics.auc).toBeCloseTo(expected.mean.auc, 6);
  });

  it('writes CSV', async () => {
    const run = await lightfm(['evaluate', model, testFile, '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual(['metric,value', expect.stringMatching(/^users,\d+$/), expect.stringMatching(/^precision@10,0?\.?\d/)]);
  });
});
