// User arrays at the edge (src/arrays.ts): only numbers are accepted, never coerced;
// transferred (detached) buffers are refused wherever a matrix is used; SharedArrayBuffer
// inputs are copied once, so later writes from another thread cannot reach validated data.
import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix, LightFM, randomTrainTestSplit, temporalSplit } from '../src/index.js';
import { isDetached, toFloat32, toIndexArray } from '../src/arrays.js';
import { thrown } from './errors.js';

/** Transfers `view`'s buffer away, as `postMessage(x, [buf])` does, leaving `view` detached. */
function transfer(view: ArrayBufferView): void {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
}

function shared<T extends Int32Array | Float32Array>(ctor: new (b: SharedArrayBuffer) => T, values: number[]): T {
  const out = new ctor(new SharedArrayBuffer(values.length * 4));
  out.set(values);
  return out;
}

const NOT_NUMBERS: [label: string, value: unknown, shown: RegExp][] = [
  ['a numeric string', '5', /got "5"/],
  ['null', null, /got null/],
  ['undefined', undefined, /got undefined/],
  ['a boolean', true, /got true/],
  ['a nested array', [7], /got an array of length 1/],
  ['a bigint', 3n, /got 3n/],
  ['a Number object', new Number(1), /got Number/],
];

describe('non-numbers are refused, never coerced', () => {
  it.each(NOT_NUMBERS)('fromTriplets data holding %s', (_label, value, shown) => {
    const data = [1, value, 2];
    const e = thrown(() => CooMatrix.fromTriplets([0, 1, 1], [0, 0, 1], data as number[], [2, 2]));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toMatch(/^data\[1\] must be a number, /);
    expect(e.message).toMatch(shown);
    expect(data[1]).toBe(value);
  });

  it.each(NOT_NUMBERS)('fromTriplets rows and cols holding %s', (_label, value) => {
    expect(thrown(() => CooMatrix.fromTriplets([0, value] as number[], [0, 0], [1, 1], [2, 2])).message).toMatch(/^rows\[1\] must be a number/);
    expect(thrown(() => CooMatrix.fromTriplets([0, 0], [value, 0] as number[], [1, 1], [2, 2])).message).toMatch(/^cols\[0\] must be a number/);
  });

  it.each(NOT_NUMBERS)('fromDense holding %s', (_label, value) => {
    const e = thrown(() => CsrMatrix.fromDense([[1, 0], [0, value as number]]));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toMatch(/^fromDense: rows\[1\]\[1\] must be a number/);
  });

  it.each([
    ['a string', 'ab', /fromDense: rows must be an array of rows/],
    ['a row that is a string', ['10'], /fromDense: rows\[0\] must be an array of numbers, got "10"/],
    ['a row that is null', [[1], null], /fromDense: rows\[1\] must be an array of numbers, got null/],
    ['a hole', [[1], , [2]], /fromDense: rows\[1\] must be an array of numbers, got undefined/],
    ['a string zero', [['1', '0']], /fromDense: rows\[0\]\[0\] must be a number, got "1"/],
    ['a hole inside a row', [[1, , 2]], /fromDense: rows\[0\]\[1\] must be a number, got undefined/],
  ])('fromDense with %s', (_label, rows, message) => {
    const e = thrown(() => CsrMatrix.fromDense(rows as number[][]));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['BigInt64Array', BigInt64Array.of(1n, 2n)],
    ['BigUint64Array', BigUint64Array.of(1n, 2n)],
  ])('a %s is refused with what to pass instead', (name, values) => {
    for (const f of [
      () => CooMatrix.fromTriplets([0, 1], [0, 1], values as never, [2, 2]),
      () => CooMatrix.fromTriplets(values as never, [0, 1], [1, 1], [2, 2]),
      () => CsrMatrix.fromDense([values as never]),
      () => toFloat32('fit(): sampleWeight', values as never),
    ]) {
      const e = thrown(f);
      expect(e.code).toBe('ERR_INVALID_ARG');
      expect(e.message).toContain(`got a ${name} (its elements are bigints); convert it first, e.g. Float64Array.from(x, Number)`);
    }
  });

  it.each([
    ['a string', 'abc'],
    ['a number', 3],
    ['null', null],
    ['a DataView', new DataView(new ArrayBuffer(8))],
    ['an object with a fractional length', { length: 1.5 }],
    ['an array holding a string', [1, '2']],
  ])('toFloat32 (the sampleWeight checker) refuses %s', (_label, value) => {
    const e = thrown(() => toFloat32('fit(): sampleWeight', value as never));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toMatch(/^fit\(\): sampleWeight(\[1\])? must /);
  });

  it('accepts every numeric kind: plain arrays and number typed arrays, converted exactly', () => {
    for (const data of [[1, 2.5], Float64Array.of(1, 2.5), Float32Array.of(1, 2.5), Int8Array.of(1, 2), Uint16Array.of(1, 2)]) {
      const m = CooMatrix.fromTriplets(Uint8Array.of(0, 1), [1, 0], data, [2, 2]);
      expect(Array.from(m.data)).toEqual(Array.from(data));
    }
    expect(CsrMatrix.fromDense([Float64Array.of(0, 2), [3, -0]]).toDense().map((r) => Array.from(r))).toEqual([[0, 2], [3, 0]]);
    expect(Array.from(toIndexArray('ids', 4))).toEqual([4]);
  });

  it('leaves NaN and infinities to the core (ERR_NOT_FINITE)', () => {
    expect(thrown(() => CooMatrix.fromTriplets([0], [0], [Number.NaN], [1, 1])).code).toBe('ERR_NOT_FINITE');
    expect(thrown(() => CsrMatrix.fromDense([[Infinity]])).code).toBe('ERR_NOT_FINITE');
  });

  it('the constructors take only Int32Array / Float32Array, and say how to build from others', () => {
    const e = thrown(() => new CooMatrix([0] as never, Int32Array.of(0), Float32Array.of(1), [1, 1]));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toBe('CooMatrix: row must be an Int32Array, got an array of length 1; build the matrix from other arrays with CooMatrix.fromTriplets');
    expect(thrown(() => new CsrMatrix(Int32Array.of(0, 1), Int32Array.of(0), Float64Array.of(1) as never, [1, 1])).message).toMatch(
      /^CsrMatrix: data must be an Float32Array, got Float64Array/,
    );
  });

  it('temporalSplit timestamps go through the same check', () => {
    const m = CooMatrix.fromTriplets([0, 0], [0, 1], [1, 1], [1, 2]);
    expect(thrown(() => temporalSplit(m, ['1', '2'] as never, { cutoff: 2 })).message).toMatch(/timestamps\[0\] must be a number, got "1"/);
    expect(thrown(() => temporalSplit(m, BigInt64Array.of(1n, 2n) as never, { cutoff: 2 })).code).toBe('ERR_INVALID_ARG');
  });
});

describe('transferred (detached) buffers', () => {
  const build = () => CooMatrix.fromTriplets([0, 1, 1], [1, 0, 1], [1, 2, 3], [2, 2]);
  const uses: [string, (m: CooMatrix) => unknown][] = [
    ['toCsr', (m) => m.toCsr()],
    ['toDense', (m) => m.toDense()],
    ['fitSync', (m) => new LightFM().fitSync(m)],
    ['fit', (m) => new LightFM().fit(m)],
    ['predictRank', (m) => new LightFM({ randomState: 1 }).fitSync(build()).predictRank(m)],
    ['randomTrainTestSplit', (m) => randomTrainTestSplit(m)],
  ];

  it.each(uses)('%s refuses a CooMatrix whose buffer was transferred', async (_label, use) => {
    for (const part of ['row', 'col', 'data'] as const) {
      const m = build();
      transfer(m[part]);
      const e = await Promise.resolve()
        .then(() => use(m))
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(e).toMatchObject({
        code: 'ERR_INVALID_ARG',
        message: `CooMatrix.${part}'s ArrayBuffer was transferred (detached), so it reads as empty; keep a copy (e.g. x.slice()) before transferring`,
      });
    }
  });

  it('CsrMatrix methods refuse a transferred buffer too', () => {
    for (const part of ['indptr', 'indices', 'data'] as const) {
      for (const use of [(m: CsrMatrix) => m.toCoo(), (m: CsrMatrix) => m.row(0), (m: CsrMatrix) => m.transpose(), (m: CsrMatrix) => m.toDense()]) {
        const m = new CsrMatrix(Int32Array.of(0, 1, 3), Int32Array.of(1, 0, 1), Float32Array.of(1, 2, 3), [2, 2]);
        transfer(m[part]);
        expect(thrown(() => use(m)).message).toMatch(new RegExp(`^CsrMatrix\\.${part}'s ArrayBuffer was transferred`));
      }
    }
  });

  it('inputs transferred before the call are refused by the conversions', () => {
    const rows = Int32Array.of(0);
    transfer(rows);
    expect(thrown(() => CooMatrix.fromTriplets(rows, [0], [1], [1, 1])).message).toMatch(/^rows's ArrayBuffer was transferred/);
    const weights = Float32Array.of(1);
    transfer(weights);
    expect(thrown(() => toFloat32('fit(): sampleWeight', weights)).message).toMatch(/^fit\(\): sampleWeight's ArrayBuffer was transferred/);
    expect(thrown(() => new CsrMatrix(Int32Array.of(0, 1), Int32Array.of(0), weights, [1, 1])).code).toBe('ERR_INVALID_ARG');
  });

  it('isDetached: uses ArrayBuffer.prototype.detached when present, and a fallback otherwise', () => {
    const live = new ArrayBuffer(0);
    expect(isDetached(live)).toBe(false);
    expect(isDetached(new SharedArrayBuffer(0))).toBe(false);
    const gone = new ArrayBuffer(4);
    structuredClone(gone, { transfer: [gone] });
    expect(isDetached(gone)).toBe(true);
    // The fallback path, whatever this Node has.
    const noProperty = (b: ArrayBuffer) => Object.defineProperty(b, 'detached', { value: undefined });
    expect(isDetached(noProperty(new ArrayBuffer(0)))).toBe(false);
    const goneToo = new ArrayBuffer(4);
    structuredClone(goneToo, { transfer: [goneToo] });
    expect(isDetached(noProperty(goneToo))).toBe(true);
  });
});

describe('SharedArrayBuffer inputs are copied once at the edge', () => {
  it('the constructors keep a private copy; later writes do not reach the matrix', () => {
    const row = shared(Int32Array, [0, 1]);
    const data = shared(Float32Array, [1, 2]);
    const m = new CooMatrix(row, Int32Array.of(1, 0), data, [2, 2]);
    row[0] = 99;
    data[1] = Number.NaN;
    expect(Array.from(m.row)).toEqual([0, 1]);
    expect(Array.from(m.data)).toEqual([1, 2]);
    expect(m.row.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(row)).toEqual([99, 1]); // the caller's array is left alone
    const csr = new CsrMatrix(shared(Int32Array, [0, 1]), shared(Int32Array, [0]), shared(Float32Array, [5]), [1, 1]);
    expect(csr.indptr.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('the conversions copy shared typed arrays of any kind', () => {
    const ids = shared(Int32Array, [3]);
    const out = toIndexArray('ids', ids);
    ids[0] = -1;
    expect(Array.from(out)).toEqual([3]);
    const w = shared(Float32Array, [0.5]);
    const weights = toFloat32('fit(): sampleWeight', w);
    w[0] = 7;
    expect(Array.from(weights)).toEqual([0.5]);
  });
});
