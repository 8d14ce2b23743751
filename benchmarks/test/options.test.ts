import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, standardReps } from '../src/datasets.js';
import { epochsFor, parseOptions, repsFor } from '../src/options.js';

describe('parseOptions', () => {
  it('has full-run defaults', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({ quick: false, datasets: undefined, losses: ['bpr', 'warp', 'logistic'], threads: [1, 2], reps: undefined, components: 64, skipImplicit: false, implicitEpochs: undefined, prepareOnly: false, timeoutMinutes: 60 });
    expect(epochsFor(o, 10)).toBe(10);
    expect(repsFor(o, 3)).toBe(3);
    expect(repsFor(o, standardReps('synthetic100m-hybrid'))).toBe(1);
    expect([standardReps('ml100k'), standardReps('ml1m'), standardReps('synthetic10m')]).toEqual([5, 5, 3]);
    expect(repsFor(parseOptions(['--reps', '2']), standardReps('synthetic100m'))).toBe(2);
  });

  it('accepts pnpm\'s literal -- and the quick preset', () => {
    const o = parseOptions(['--', '--quick', '--losses', 'warp']);
    expect(o).toMatchObject({ quick: true, datasets: ['ml100k', 'ml1m'], losses: ['warp'], reps: 1 });
    expect(epochsFor(o, 5)).toBe(3);
    expect(epochsFor({ ...o, epochs: 7 }, 5)).toBe(7);
  });

  it('runs any one set alone, the 100M sets included', () => {
    for (const name of DATASET_NAMES) expect(parseOptions(['--datasets', name]).datasets).toEqual([name]);
    expect(parseOptions(['--', '--datasets', 'synthetic100m,synthetic100m-hybrid', '--prepare-only'])).toMatchObject({ datasets: ['synthetic100m', 'synthetic100m-hybrid'], prepareOnly: true });
  });

  it('reads the implicit column options', () => {
    expect(parseOptions(['--skip-implicit'])).toMatchObject({ skipImplicit: true });
    expect(parseOptions(['--implicit-epochs', '20'])).toMatchObject({ implicitEpochs: 20 });
    expect(() => parseOptions(['--implicit-epochs', '0'])).toThrow(/--implicit-epochs must be a positive integer/);
  });

  it('rejects unknown data sets and bad numbers with a readable message', () => {
    expect(() => parseOptions(['--datasets', 'ml20m'])).toThrow(/unknown data set 'ml20m'/);
    expect(() => parseOptions(['--reps', '0'])).toThrow(/--reps must be a positive integer/);
    expect(() => parseOptions(['--threads', '1,x'])).toThrow(/--threads must be a positive integer/);
  });
});
