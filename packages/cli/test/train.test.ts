import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LightFM } from '@lightfm-ts/core';
import { servingState } from '../src/index.js';
import { ITEMS, USERS, lightfm, tempDir, writeSyntheticCsv } from './helpers.js';

describe('lightfm train', () => {
  const dir = tempDir();
  let files: ReturnType<typeof writeSyntheticCsv>;
  beforeAll(() => {
    files = writeSyntheticCsv(dir);
  });

  it('trains with early stopping, reports held-out metrics and saves the ids with the model', async () => {
    const model = join(dir, 'model.lightfm');
    const args = ['train', files.interactions, '--user', 'user', '--item', 'item', '--item-features', files.itemFeatures];
    const run = await lightfm([...args, '--epochs', '30', '--components', '8', '--validation', '0.2', '--patience', '2', '--seed', '1', '--threads', '1', '-o', model]);
    expect(run.stderr).toMatch(/read \d+ interactions of 60 users and 40 items/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { model: string; users: number; items: number; epochs: number; validation: Record<string, number> };
    expect(summary).toMatchObject({ model, users: USERS, items: ITEMS });
    expect(summary.epochs).toBeGreaterThanOrEqual(1);
    expect(summary.epochs).toBeLessThanOrEqual(30);
    expect(Object.keys(summary.validation)).toEqual(['users', 'precision@10', 'auc']);
    // The groups are learnable: held-out AUC well above chance.
    expect(summary.validation.auc).toBeGreaterThan(0.7);

    const serving = servingState(await LightFM.load(model));
    expect(serving.dataset.userIds()[0]).toBe('u0');
    expect(serving.dataset.itemFeaturesShape()).toEqual([ITEMS, ITEMS + 4]);
    expect(serving.itemFeatures?.shape).toEqual([ITEMS, ITEMS + 4]);
    // Every interaction of the file (train and validation) is recorded as seen.
    expect(serving.seen?.nnz).toBeGreaterThan(0);
    expect(serving.model.getParams().noComponents).toBe(8);
  });

  it('is reproducible with a seed and one thread', async () => {
    const train = (out: string) => lightfm(['train', files.interactions, '--epochs', '3', '--seed', '5', '--threads', '1', '--validation', '0', '-o', out]);
    const [a, b] = [join(dir, 'a.lightfm'), join(dir, 'b.lightfm')];
    expect((await train(a)).code).toBe(0);
    expect((await train(b)).code).toBe(0);
    const [ma, mb] = [await LightFM.load(a), await LightFM.load(b)];
    expect(ma.predict(0, [0, 1, 2, 3])).toEqual(mb.predict(0, [0, 1, 2, 3]));
    // --validation 0: no held-out part, no metrics.
    expect(JSON.parse((await train(a)).stdout)).not.toHaveProperty('validation');
  });

  it('validates on the latest interactions with --timestamp and trains with --weight', async () => {
    const out = join(dir, 'temporal.lightfm');
    const run = await lightfm(['train', files.interactions, '--timestamp', 'timestamp', '--weight', 'rating', '--epochs', '3', '--no-seen', '-o', out]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).validation.users).toBeGreaterThan(0);
    expect(servingState(await LightFM.load(out)).seen).toBeUndefined();
  });

  it('reports a malformed file with its location, exit code 1 and no model', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user,item,rating\nu1,i1,5\nu2,i2,five\n');
    const out = join(dir, 'bad.lightfm');
    const run = await lightfm(['train', bad, '--weight', 'rating', '-o', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^lightfm: .*bad\.csv.*line 3/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('reads a wide item features file as the long one it stands for', async () => {
    const wide = join(dir, 'items-wide.csv');
    writeFileSync(wide, ['item,title,group', ...Array.from({ length: ITEMS }, (_, m) => `i${m},"Item, ${m}",${m % 4}`)].join('\n') + '\n');
    const train = (out: string, features: string[]) => lightfm(['train', files.interactions, '--epochs', '3', '--seed', '5', '--threads', '1', '--validation', '0', ...features, '-o', out]);
    const [long, wideModel] = [join(dir, 'long.lightfm'), join(dir, 'wide.lightfm')];
    expect((await train(long, ['--item-features', files.itemFeatures])).code).toBe(0);
    expect((await train(wideModel, ['--item-features', wide, '--feature-id', 'item', '--item-categorical', 'group'])).code).toBe(0);
    const [a, b] = [servingState(await LightFM.load(long)), servingState(await LightFM.load(wideModel))];
    expect(b.dataset.toJSON()).toEqual(a.dataset.toJSON());
    expect(b.model.predict(0, [0, 1, 2, 3], { itemFeatures: b.itemFeatures })).toEqual(a.model.predict(0, [0, 1, 2, 3], { itemFeatures: a.itemFeatures }));
    // Wide columns without their file, or a separator of two characters: usage errors.
    expect((await lightfm(['train', files.interactions, '--item-categorical', 'group', '-o', join(dir, 'x.lightfm')])).code).toBe(2);
    expect((await lightfm(['train', files.interactions, '--item-features', wide, '--item-categorical', 'group', '--feature-separator', '||', '-o', 'x'])).code).toBe(2);
    expect((await lightfm(['train', files.interactions, '--item-features', files.itemFeatures, '--feature-separator', '|', '-o', join(dir, 'x.lightfm')])).code).toBe(2);
  });

  it('treats a bad option value or a missing -o as usage errors', async () => {
    expect((await lightfm(['train', files.interactions])).code).toBe(2);
    expect((await lightfm(['train', files.interactions, '--validation', '1', '-o', 'x'])).code).toBe(2);
    expect((await lightfm(['train', files.interactions, '--loss', 'hinge', '-o', 'x'])).code).toBe(2);
    const help = await lightfm(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Input file options:/);
    expect(help.stdout).toMatch(/--item-features <file>/);
  });
});
