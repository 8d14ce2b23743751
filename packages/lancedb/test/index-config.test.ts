// When tables get an index, and with how many partitions and probes.
import { describe, expect, it } from 'vitest';
import { FLAT_BELOW_ROWS } from '../src/index.js';
import { defaultProbes, partitionsFor, wantsIndex } from '../src/index-config.js';

describe('index configuration', () => {
  it('searches flat below the threshold under auto, as told otherwise', () => {
    expect(FLAT_BELOW_ROWS).toBe(20_000);
    expect(wantsIndex('auto', 19_999)).toBe(false);
    expect(wantsIndex('auto', 20_000)).toBe(true);
    expect(wantsIndex('flat', 10_000_000)).toBe(false);
    expect(wantsIndex('ivf', 10)).toBe(true);
  });

  it('uses sqrt(rows) partitions and probes a tenth of them, at least 20', () => {
    expect(partitionsFor(1_000_000)).toBe(1000);
    expect(defaultProbes(1_000_000)).toBe(100);
    expect(defaultProbes(100_000)).toBe(32);
    expect(defaultProbes(300)).toBe(20);
  });
});
