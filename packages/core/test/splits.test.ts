import { describe, expect, it } from 'vitest';
import { CooMatrix, LightFMError, leaveKOutSplit, randomTrainTestSplit, temporalSplit } from '../src/index.js';
import { Mt19937 } from '../src/splits/prng.js';
import { errorCode as code } from './errors.js';

/** Entry k of the fixture carries data k + 1, so entries can be told apart after a split. */
function fixture(rows: number, cols: number, nnz: number, seed = 1): CooMatrix {
  const rng = new Mt19937(seed);
  const r = new Int32Array(nnz);
  const c = new Int32Array(nnz);
  for (let k = 0; k < nnz; k++) {
    r[k] = rng.interval(rows - 1);
    c[k] = rng.interval(cols - 1);
  }
  return new CooMatrix(r, c, Float32Array.from({ length: nnz }, (_, k) => k + 1), [rows, cols]);
}

/** Train and test are disjoint as entries and together are exactly the input. */
function expectPartition(input: CooMatrix, train: CooMatrix, test: CooMatrix): void {
  expect(train.shape).toEqual(input.shape);
  expect(test.shape).toEqual(input.shape);
  expect(train.nnz + test.nnz).toBe(input.nnz);
  const seen = new Uint8Array(input.nnz);
  for (const part of [train, test]) {
    for (let k = 0; k < part.nnz; k++) {
      const e = (part.data[k] as number) - 1;
      expect(seen[e]).toBe(0);
      seen[e] = 1;
      expect([part.row[k], part.col[k]]).toEqual([input.row[e], input.col[e]]);
    }
  }
}

/** Weights split alongside: same coordinates, and each weight belongs to its entry. */
function expectAligned(part: CooMatrix, weights: CooMatrix): void {
  expect(Array.from(weights.row)).toEqual(Array.from(part.row));
  expect(Array.from(weights.col)).toEqual(Array.from(part.col));
  expect(Array.from(weights.data)).toEqual(Array.from(part.data, (d) => d * 10));
}

describe('Mt19937 (numpy legacy RandomState parity)', () => {
  it('produces the reference MT19937 output', () => {
    expect(new Mt19937(5489).nextU32()).toBe(3499211612);
  });

  // Golden permutations from numpy 2.2: RandomState(seed).shuffle(arange(n)).
  it.each([
    [42, [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]],
    [0, [18, 1, 19, 8, 10, 17, 6, 13, 4, 2, 5, 14, 9, 7, 16, 11, 3, 0, 15, 12]],
    [4294967295, [1, 5, 0, 6, 4, 2, 3]],
    [5, [0, 1]],
    [1, [0]],
  ])('shuffles like numpy with seed %i', (seed, expected) => {
    const a = Int32Array.from(expected, (_, i) => i);
    new Mt19937(seed).shuffle(a);
    expect(Array.from(a)).toEqual(expected);
  });

  it('matches numpy on a long shuffle', () => {
    const n = 100_000;
    const a = Int32Array.from({ length: n }, (_, i) => i);
    new Mt19937(7).shuffle(a);
    expect(Array.from(a.subarray(0, 8))).toEqual([33909, 92307, 89107, 9538, 31008, 71305, 71012, 62938]);
    let checksum = 0;
    for (let i = 0; i < n; i++) checksum += (a[i] as number) * i;
    expect(checksum % 1_000_000_007).toBe(903847201);
  });
});

describe('randomTrainTestSplit (LightFM cross_validation)', () => {
  it("selects LightFM's entries in LightFM's order for the same seed", () => {
    const m = new CooMatrix(Int32Array.from({ length: 10 }, (_, i) => i), new Int32Array(10), Float32Array.from({ length: 10 }, (_, i) => i), [10, 1]);
    const [train, test] = randomTrainTestSplit(m, { testPercentage: 0.2, randomState: 42 });
    expect(Array.from(train.data)).toEqual([8, 1, 5, 0, 7, 2, 9, 4]);
    expect(Array.from(test.data)).toEqual([3, 6]);
  });

  it('is disjoint, complete, and test.nnz / nnz follows int((1 - p) * nnz)', () => {
    const m = fixture(30, 40, 997);
    for (const p of [0, 0.2, 0.5, 0.7, 1]) {
      const [train, test] = randomTrainTestSplit(m, { testPercentage: p, randomState: 3 });
      expectPartition(m, train, test);
      expect(train.nnz).toBe(Math.floor((1 - p) * m.nnz));
    }
  });

  it('is deterministic for a seed, varies without one, and splits weights alongside', () => {
    const m = fixture(20, 20, 300);
    const w = new CooMatrix(m.row, m.col, m.data.map((d) => d * 10), m.shape);
    const [a] = randomTrainTestSplit(m, { randomState: 9 });
    const [train, test, trainW, testW] = randomTrainTestSplit(m, { randomState: 9, weights: w });
    expect(Array.from(train.data)).toEqual(Array.from(a.data));
    expectAligned(train, trainW);
    expectAligned(test, testW);
    // Calling again with the same seed on the weights gives the matching split (LightFM's way).
    const [wTrain] = randomTrainTestSplit(w, { randomState: 9 });
    expect(Array.from(wTrain.data)).toEqual(Array.from(trainW.data));
    const unseeded = [0, 1, 2].map(() => Array.from(randomTrainTestSplit(m)[0].data).join());
    expect(new Set(unseeded).size).toBeGreaterThan(1);
  });

  it('accepts a CSR matrix (its entries row by row) and does not touch the input', () => {
    const m = fixture(10, 10, 50);
    const before = Array.from(m.data);
    const csr = m.toCsr();
    const [train, test] = randomTrainTestSplit(csr, { randomState: 1 });
    expect(train.nnz + test.nnz).toBe(csr.nnz);
    expect(Array.from(m.data)).toEqual(before);
  });

  it('validates its arguments', () => {
    const m = fixture(5, 5, 10);
    expect(code(() => randomTrainTestSplit(m, { testPercentage: 1.5 }))).toBe('ERR_INVALID_ARG');
    expect(code(() => randomTrainTestSplit(m, { randomState: -1 }))).toBe('ERR_INVALID_ARG');
    expect(code(() => randomTrainTestSplit(m, { randomState: 2 ** 32 }))).toBe('ERR_INVALID_ARG');
    expect(code(() => randomTrainTestSplit([[1]] as never))).toBe('ERR_INVALID_ARG');
    const other = fixture(5, 6, 10);
    expect(code(() => randomTrainTestSplit(m, { weights: other }))).toBe('ERR_SHAPE');
    const shuffled = fixture(5, 5, 10, 2);
    expect(() => randomTrainTestSplit(m, { weights: shuffled })).toThrow(/same order/);
    expect(() => randomTrainTestSplit(m, { weights: m.toCsr() as never })).toThrow(/weights must be a CooMatrix/);
  });

  it('handles an empty matrix', () => {
    const empty = CooMatrix.fromTriplets([], [], [], [3, 3]);
    const [train, test] = randomTrainTestSplit(empty, { randomState: 1 });
    expect([train.nnz, test.nnz]).toEqual([0, 0]);
  });
});

describe('leaveKOutSplit', () => {
  it('moves k entries of every user with at least k + minTrain, none of the others', () => {
    const m = fixture(50, 30, 400);
    const counts = new Int32Array(50);
    m.row.forEach((r) => counts[r]!++);
    for (const [k, minTrain] of [[1, 1], [3, 1], [2, 0], [5, 4]] as const) {
      const [train, test] = leaveKOutSplit(m, { k, minTrain, randomState: 11 });
      expectPartition(m, train, test);
      const testCounts = new Int32Array(50);
      test.row.forEach((r) => testCounts[r]!++);
      counts.forEach((c, u) => expect(testCounts[u]).toBe(c >= k + minTrain ? k : 0));
    }
  });

  it('keeps input order, is deterministic and splits weights alongside', () => {
    const m = fixture(8, 30, 120);
    const w = new CooMatrix(m.row, m.col, m.data.map((d) => d * 10), m.shape);
    const [train, test, trainW, testW] = leaveKOutSplit(m, { k: 2, randomState: 5, weights: w });
    const [again] = leaveKOutSplit(m, { k: 2, randomState: 5 });
    expect(Array.from(again.data)).toEqual(Array.from(train.data));
    for (const part of [train, test]) expect(Array.from(part.data)).toEqual(Array.from(part.data).sort((a, b) => a - b));
    expectAligned(train, trainW);
    expectAligned(test, testW);
    const [other] = leaveKOutSplit(m, { k: 2, randomState: 6 });
    expect(Array.from(other.data)).not.toEqual(Array.from(train.data));
  });

  it('picks every entry with roughly equal probability', () => {
    // One user with 4 entries, k = 1: each entry should be picked ~1/4 of the time.
    const m = CooMatrix.fromTriplets([0, 0, 0, 0], [0, 1, 2, 3], [1, 2, 3, 4], [1, 4]);
    const hits = [0, 0, 0, 0];
    for (let seed = 0; seed < 4000; seed++) hits[(leaveKOutSplit(m, { randomState: seed })[1].data[0] as number) - 1]!++;
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(120);
  });

  it('validates its arguments', () => {
    const m = fixture(5, 5, 10);
    expect(() => leaveKOutSplit(m, { k: 0 })).toThrow(/k must be an integer >= 1/);
    expect(() => leaveKOutSplit(m, { minTrain: -1 })).toThrow(/minTrain must be an integer >= 0/);
    expect(() => leaveKOutSplit(m, { k: 1.5 })).toThrow(LightFMError);
  });
});

describe('temporalSplit', () => {
  // Four users; entry k of the fixture below happens at times[k].
  const m = CooMatrix.fromTriplets([0, 0, 0, 1, 1, 2, 0, 1, 3], [0, 1, 2, 0, 1, 2, 3, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9], [4, 4]);
  const times = new Float64Array([10, 30, 20, 15, 15, 40, 30, 50, 5]);
  const data = (c: CooMatrix) => Array.from(c.data);

  it('splits at a global cutoff (earlier to train, at or after to test), keeping input order', () => {
    const [train, test] = temporalSplit(m, times, { cutoff: 30 });
    expect(data(train)).toEqual([1, 3, 4, 5, 9]);
    expect(data(test)).toEqual([2, 6, 7, 8]);
    expectPartition(m, train, test);
  });

  it('splits the latest share globally, breaking ties by input order', () => {
    // floor(0.6 * 9) = 5 train entries: times 5, 10, 15, 15, 20; the rest (30, 30, 40, 50) test.
    const [train, test] = temporalSplit(m, times, { testFraction: 0.4 });
    expect(data(train)).toEqual([1, 3, 4, 5, 9]);
    expect(data(test)).toEqual([2, 6, 7, 8]);
    // floor(0.5 * 9) = 4 train entries: times 5, 10, 15, 15.
    const [train2, test2] = temporalSplit(m, times, { testFraction: 0.5 });
    expect(data(train2)).toEqual([1, 4, 5, 9]);
    expect(data(test2)).toEqual([2, 3, 6, 7, 8]);
    // A tie straddling the cut: of entries 2 and 7 (both at 30), the earlier-listed trains.
    const [train3] = temporalSplit(m, times, { testFraction: 1 / 3 }); // floor((2 / 3) * 9) = 6 train
    expect(data(train3)).toEqual([1, 2, 3, 4, 5, 9]);
  });

  it('splits each user separately with perUser, keeping minTrain in train', () => {
    // user 0: times 10, 30, 20, 30 -> floor(0.5 * 4) = 2 train (10, 20). user 1: 15, 15, 50 -> 1 train
    // (the earlier-listed 15). users 2 and 3 have one entry each and keep it (minTrain 1).
    const [train, test] = temporalSplit(m, times, { testFraction: 0.5, perUser: true });
    expect(data(train)).toEqual([1, 3, 4, 6, 9]);
    expect(data(test)).toEqual([2, 5, 7, 8]);
    const [train0] = temporalSplit(m, times, { testFraction: 0.9, perUser: true, minTrain: 0 });
    expect(data(train0)).toEqual([]);
  });

  it('splits weights alongside and accepts plain arrays', () => {
    const w = new CooMatrix(m.row, m.col, m.data.map((d) => d * 10), m.shape);
    const [train, test, trainW, testW] = temporalSplit(m, Array.from(times), { testFraction: 0.3, perUser: true, weights: w });
    expectPartition(m, train, test);
    expectAligned(train, trainW);
    expectAligned(test, testW);
  });

  it('is disjoint and complete on random data', () => {
    const big = fixture(40, 40, 800);
    const t = Float64Array.from({ length: 800 }, (_, k) => (k * 7919) % 97);
    for (const o of [{ testFraction: 0.25 }, { testFraction: 0.25, perUser: true }, { cutoff: 50 }]) {
      const [train, test] = temporalSplit(big, t, o);
      expectPartition(big, train, test);
      // No test entry is earlier than a train entry of the same scope (global here).
      if (!('perUser' in o)) {
        const latestTrain = Math.max(...Array.from(train.data, (d) => t[d - 1] as number));
        const earliestTest = Math.min(...Array.from(test.data, (d) => t[d - 1] as number));
        expect(latestTrain).toBeLessThanOrEqual(earliestTest);
      }
    }
  });

  it('validates its arguments', () => {
    expect(() => temporalSplit(m, times.subarray(1))).toThrow(/timestamps has 8 values; the interactions have 9 entries/);
    expect(() => temporalSplit(m, [...Array.from(times.subarray(1)), NaN])).toThrow(/timestamps\[8\] must be a finite number/);
    expect(() => temporalSplit(m, times, { cutoff: 1, testFraction: 0.1 })).toThrow(/not both/);
    expect(() => temporalSplit(m, times, { cutoff: 1, perUser: true })).toThrow(/use testFraction with perUser/);
    expect(() => temporalSplit(m, times, { minTrain: 2 })).toThrow(/only with perUser/);
    expect(() => temporalSplit(m, times, { testFraction: 2 })).toThrow(/testFraction must be a number in \[0, 1\]/);
    expect(code(() => temporalSplit(m, 'soon' as never))).toBe('ERR_INVALID_ARG');
  });
});
