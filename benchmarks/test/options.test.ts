import { describe, expect, it } from 'vitest';
import { epochsFor, parseOptions } from '../src/options.js';

describe('parseOptions', () => {
  it('has full-run defaults', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({ quick: false, datasets: undefined, losses: ['bpr', 'warp', 'logistic'], threads: [1, 2], reps: 3, components: 64 });
    expect(epochsFor(o, 10)).toBe(10);
  });

  it('accepts pnpm\'s literal -- and the quick preset', () => {
    const o = parseOptions(['--', '--quick', '--losses', 'warp']);
    expect(o).toMatchObject({ quick: true, datasets: ['ml100k', 'ml1m'], losses: ['warp'], reps: 1 });
    expect(epochsFor(o, 5)).toBe(3);
    expect(epochsFor({ ...o, epochs: 7 }, 5)).toBe(7);
  });

  it('rejects unknown data sets and bad numbers with a readable message', () => {
    expect(() => parseOptions(['--datasets', 'ml20m'])).toThrow(/unknown data set 'ml20m'/);
    expect(() => parseOptions(['--reps', '0'])).toThrow(/--reps must be a positive integer/);
    expect(() => parseOptions(['--threads', '1,x'])).toThrow(/--threads must be a positive integer/);
  });
});
