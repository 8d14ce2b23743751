// Wrong input types get the fix in the message, a missing model file names its path, and
// `console.log(model)` shows what the model is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsrMatrix, LightFM, type SparseMatrix } from '../src/index.js';

const interactions = CsrMatrix.fromDense([
  [1, 0, 1],
  [0, 1, 0],
]);
const refusal = (message: RegExp) => expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(message) });

describe('a wrong input type says how to build the right one', () => {
  const model = new LightFM({ randomState: 1 });
  beforeAll(() => model.fitSync(interactions));

  it.each([
    ['a dense 2-D array', [[1, 0], [0, 1]], /got an array of length 2; a dense 2-D array becomes one with CsrMatrix\.fromDense\(rows\)/],
    ['index triples', [[0, 1, 1], [1, 0, 2]], /CooMatrix\.fromTriplets/],
    ['dense typed-array rows', [Float32Array.of(1, 0)], /CsrMatrix\.fromDense/],
    ['tuples of string ids', [['alice', 'matrix'], ['bob', 'fargo', 2]], /\[user, item, weight\?\] tuples of your ids, map them with a Dataset: new Dataset\(\)\.fit\(users, items\)\.buildInteractions\(tuples\)/],
  ])('fit() given %s', async (_label, value, message) => {
    await expect(model.fit(value as unknown as SparseMatrix)).rejects.toEqual(refusal(message));
    expect(() => model.fitSync(value as unknown as SparseMatrix)).toThrow(refusal(message));
  });

  it('predictRank() and feature options given arrays say the same', () => {
    expect(() => model.predictRank([[1, 0, 0]] as unknown as SparseMatrix)).toThrow(refusal(/CsrMatrix\.fromDense/));
    expect(() => model.predict(0, [0], { itemFeatures: [[1, 0, 0]] as unknown as SparseMatrix })).toThrow(refusal(/CsrMatrix\.fromDense/));
  });

  it.each([
    ['predict() user', () => model.predict('alice' as unknown as number, [0]), /predict\(\): userIds must be integer indices, got "alice": .*dataset\.userIndex\(id\)/],
    ['predict() items', () => model.predict(0, ['matrix'] as unknown as number[]), /predict\(\): itemIds\[0\] .*dataset\.itemIndex\(id\)/],
    ['recommend()', () => model.recommend(['alice'] as unknown as number[]), /recommend\(\): userIds\[0\] must be a number \(an index\), got "alice": .*dataset\.userIndex\(id\)/],
    ['similarItems()', () => model.similarItems('matrix' as unknown as number), /similarItems\(\): itemIds .*dataset\.itemIndex\(id\)/],
    ['similarUsers()', () => model.similarUsers([0, 'bob'] as unknown as number[]), /similarUsers\(\): userIds\[1\] .*dataset\.userIndex\(id\)/],
    ['recommend() items', () => model.recommend(0, { items: ['x'] as unknown as number[] }), /items\[0\] .*dataset\.itemIndex\(id\)/],
  ])('%s given string ids points at the Dataset', (_label, call, message) => {
    expect(call).toThrow(refusal(message));
  });
});

describe('LightFM.load of a missing file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lightfm-guidance-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['no file', 'missing.lightfm'],
    ['no folder', 'missing/model.lightfm'],
  ])('is ERR_FILE_NOT_FOUND naming the absolute path (%s)', async (_label, name) => {
    const path = join(dir, name);
    const err = await LightFM.load(path).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LightFMError', code: 'ERR_FILE_NOT_FOUND' });
    expect((err as Error).message).toContain(resolve(path));
    expect((err as Error).cause).toMatchObject({ code: expect.stringMatching(/^ENO(ENT|TDIR)$/) });
  });

  it('names the working directory for a relative path', async () => {
    const err = (await LightFM.load('no-such-model.lightfm').catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(resolve('no-such-model.lightfm'));
    expect(err.message).toContain(process.cwd());
  });

  it('a file inside a regular file is not found either', async () => {
    const file = join(dir, 'model.lightfm');
    await new LightFM().save(file);
    await expect(LightFM.load(join(file, 'inner'))).rejects.toMatchObject({ code: 'ERR_FILE_NOT_FOUND' });
  });
});

describe('console.log(model)', () => {
  it('shows the hyperparameters of a model not yet fitted', () => {
    const text = inspect(new LightFM({ loss: 'warp', noComponents: 8 }));
    expect(text).toMatch(/^LightFM \{/);
    expect(text).toContain("loss: 'warp'");
    expect(text).toContain('noComponents: 8');
    expect(text).toContain('fitted: false');
  });

  it('shows epochs and each side’s embeddings and features once fitted', async () => {
    const itemFeatures = CsrMatrix.fromDense([
      [1, 0, 0, 1],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
    ]);
    const model = await new LightFM({ randomState: 2 }).fit(interactions, { itemFeatures, epochs: 3 });
    const text = inspect(model);
    for (const part of ['epochsDone: 3', 'userEmbeddings: 2', "userFeatures: 'identity'", 'itemEmbeddings: 4', "itemFeatures: 'matrix'"]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('mappings');
    model.mappings = { users: ['a', 'b'] };
    expect(inspect(model)).toContain("mappings: 'object'");
  });

  it('never throws while a fit runs', async () => {
    const model = new LightFM();
    const fit = model.fit(interactions, { epochs: 50 });
    expect(inspect(model)).toBe('LightFM { training: true }');
    await fit;
  });
});
