// Two copies of @lightfm-ts/core in one program (a companion package that installed its own):
// here the source (this copy) next to the built dist/ (the other copy), two module instances
// whose classes differ. Matrices cross over; a model cannot, and says why; LightFMError's
// `instanceof` holds for either copy's errors.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix, LightFM, LightFMError, randomTrainTestSplit } from '../src/index.js';
import { asCsr, nativeModel } from '../src/internal.js';
import { thrown } from './errors.js';

// The built copy, typed as the source it was built from (a computed specifier, so the type
// check does not need dist/ to exist yet).
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const other = (await import(dist('index.js'))) as typeof import('../src/index.js');
const otherInternal = (await import(dist('internal.js'))) as typeof import('../src/internal.js');

const entries = [[0, 0, 1, 1, 2], [0, 1, 1, 2, 3], [1, 1, 1, 1, 1]] as const;
const otherCoo = () => other.CooMatrix.fromTriplets(...entries, [3, 4]);

describe('two copies of @lightfm-ts/core', () => {
  it('needs the built package (turbo builds it before the tests)', () => {
    expect(existsSync(fileURLToPath(dist('index.js')))).toBe(true);
    expect(other.CooMatrix).not.toBe(CooMatrix);
  });

  it("uses the other copy's matrices as its own (interactions, weights, features, exclusions)", async () => {
    const interactions = otherCoo();
    const itemFeatures = other.CsrMatrix.identity(4);
    const model = await new LightFM({ randomState: 1 }).fit(interactions, { itemFeatures, sampleWeight: otherCoo(), epochs: 2 });
    const mine = await new LightFM({ randomState: 1 }).fit(CooMatrix.fromTriplets(...entries, [3, 4]), {
      itemFeatures: CsrMatrix.identity(4),
      epochs: 2,
    });
    expect(model.predict(0, [0, 1, 2, 3], { itemFeatures })).toEqual(mine.predict(0, [0, 1, 2, 3]));
    expect(model.recommend(0, { k: 2, exclude: interactions.toCsr(), itemFeatures }).items).toHaveLength(2);
    const [train, test, trainWeights] = randomTrainTestSplit(interactions.toCsr(), { randomState: 1, weights: otherCoo() });
    expect(train.nnz + test.nnz).toBe(5);
    expect(trainWeights.nnz).toBe(train.nnz);
  });

  it("converts the other copy's matrices in both directions, as a companion package does", () => {
    expect(asCsr('m', otherCoo()).toDense()).toEqual(otherCoo().toDense());
    const mine = CooMatrix.fromTriplets(...entries, [3, 4]);
    expect(otherInternal.asCsr('m', mine)).toBeInstanceOf(other.CsrMatrix);
  });

  it("still validates the other copy's matrices", () => {
    const bad = Object.assign(otherCoo(), { shape: [1, 1] });
    expect(thrown(() => asCsr('m', bad)).code).toBe('ERR_INDEX_RANGE');
  });

  it("refuses the other copy's model, naming both copies and how to keep one", () => {
    const foreign = new other.LightFM();
    const e = thrown(() => nativeModel(foreign as unknown as LightFM));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toContain('model is a LightFM of another copy of @lightfm-ts/core');
    expect(e.message).toMatch(/two copies of @lightfm-ts\/core are loaded: \S+ from .*dist.* and \S+ from .*src/);
    expect(e.message).toContain('npm dedupe');
    // The other way round, as @lightfm-ts/evaluation with its own copy would see it.
    expect(() => otherInternal.nativeModel(new LightFM() as never)).toThrow(/two copies of @lightfm-ts\/core are loaded/);
    // Anything else keeps the usual message.
    expect(thrown(() => nativeModel({} as LightFM)).message).toBe('model must be a LightFM instance, got Object');
  });

  it("treats the other copy's errors as LightFMErrors, and nothing else", () => {
    const theirs = new other.LightFMError('ERR_SHAPE', 'x');
    expect(theirs).toBeInstanceOf(LightFMError);
    expect(new LightFMError('ERR_SHAPE', 'x')).toBeInstanceOf(other.LightFMError);
    expect(new Error('x')).not.toBeInstanceOf(LightFMError);
    expect(Object.assign(new Error('x'), { code: 'ERR_SHAPE' })).not.toBeInstanceOf(LightFMError);
    expect(null).not.toBeInstanceOf(LightFMError);
  });
});
