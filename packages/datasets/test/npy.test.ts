import { describe, expect, it } from 'vitest';
import { indexValues, numberValues, parseNpy } from '../src/npy.js';
import { makeNpy, npyOf, npyStrings } from './helpers/npy.js';

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function expectCorrupt(f: () => unknown, message: RegExp): void {
  expect(f).toThrow(expect.objectContaining({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(message) }));
}

describe('parseNpy', () => {
  it('reads the numeric dtypes', () => {
    const i4 = parseNpy(npyOf(Int32Array.of(1, -2, 3)), 'a.npy');
    expect(i4).toMatchObject({ kind: 'int', shape: [3], descr: '<i4' });
    expect([...(i4.values as Int32Array)]).toEqual([1, -2, 3]);
    expect([...(parseNpy(npyOf(Float32Array.of(0.5, 1.5e9)), 'b').values as Float32Array)]).toEqual([0.5, 1.5e9]);
    expect([...(parseNpy(npyOf(Float64Array.of(Math.PI)), 'c').values as Float64Array)]).toEqual([Math.PI]);
    const i8 = parseNpy(npyOf(BigInt64Array.of(7n, 2n ** 40n)), 'd');
    expect(i8.kind).toBe('int64');
    expect([...(i8.values as BigInt64Array)]).toEqual([7n, 2n ** 40n]);
    const u1 = parseNpy(makeNpy('|u1', [2], Uint8Array.of(255, 1)), 'e');
    expect([...(u1.values as Uint8Array)]).toEqual([255, 1]);
    const b1 = parseNpy(makeNpy('|b1', [2], Uint8Array.of(1, 0)), 'f');
    expect(b1.kind).toBe('bool');
  });

  it('reads shapes, including LightFM-style (1, 2) shape arrays and scalars', () => {
    const s = parseNpy(npyOf(Int32Array.of(9431, 72360), [1, 2]), 'shape.npy');
    expect(s.shape).toEqual([1, 2]);
    expect([...numberValues(s, 'shape.npy')]).toEqual([9431, 72360]);
    const scalar = parseNpy(makeNpy('<i4', [], bytes(Int32Array.of(5)), { header: "{'descr': '<i4', 'fortran_order': False, 'shape': (), }" }), 'x');
    expect(scalar.shape).toEqual([]);
    expect([...(scalar.values as Int32Array)]).toEqual([5]);
  });

  it('reads format versions 2.0 and 3.0', () => {
    for (const version of [2, 3] as const) {
      const a = parseNpy(makeNpy('<i4', [2], bytes(Int32Array.of(4, 5)), { version }), 'v');
      expect([...(a.values as Int32Array)]).toEqual([4, 5]);
    }
  });

  it('reads fixed-width unicode and byte strings, dropping NUL padding', () => {
    const labels = parseNpy(npyStrings(['bayesian', 'mcmc', 'naïve-bayes', '📈']), 'labels.npy');
    expect(labels).toMatchObject({ kind: 'string', values: ['bayesian', 'mcmc', 'naïve-bayes', '📈'] });
    const s = parseNpy(makeNpy('|S4', [2], new TextEncoder().encode('ab\0\0cdef')), 's');
    expect(s.values).toEqual(['ab', 'cdef']);
  });

  it('accepts a header with double quotes and no trailing comma', () => {
    const a = parseNpy(makeNpy('', [], bytes(Int32Array.of(1, 2)), { header: '{"descr": "<i4", "fortran_order": False, "shape": (2,)}' }), 'q');
    expect([...(a.values as Int32Array)]).toEqual([1, 2]);
  });

  it('refuses what it cannot read exactly', () => {
    const good = npyOf(Int32Array.of(1, 2));
    expectCorrupt(() => parseNpy(Buffer.from('PK\x03\x04 not npy'), 'z'), /magic/);
    expectCorrupt(() => parseNpy(Buffer.concat([good.subarray(0, 6), Buffer.from([4, 0]), good.subarray(8)]), 'z'), /version 4\.0/);
    expectCorrupt(() => parseNpy(makeNpy('>i4', [1], new Uint8Array(4)), 'z'), /big-endian/);
    expectCorrupt(() => parseNpy(makeNpy('<i4', [1], new Uint8Array(4), { fortran: true }), 'z'), /Fortran/);
    expectCorrupt(() => parseNpy(makeNpy('|O', [1], new Uint8Array(8)), 'z'), /pickle/);
    expectCorrupt(() => parseNpy(makeNpy('<c8', [1], new Uint8Array(8)), 'z'), /not supported/);
    expectCorrupt(
      () => parseNpy(makeNpy('', [], new Uint8Array(8), { header: "{'descr': [('a', '<i4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }" }), 'z'),
      /unsupported value/,
    );
    expectCorrupt(() => parseNpy(good.subarray(0, good.length - 1), 'z'), /needs 8 data bytes, the file has 7/);
    expectCorrupt(() => parseNpy(Buffer.concat([good, Buffer.alloc(4)]), 'z'), /needs 8 data bytes, the file has 12/);
    expectCorrupt(() => parseNpy(good.subarray(0, 40), 'z'), /header claims/);
    expectCorrupt(() => parseNpy(makeNpy('', [], new Uint8Array(0), { header: "{'descr': '<i4', 'shape': (0,), }" }), 'z'), /no 'fortran_order'/);
    expectCorrupt(() => parseNpy(makeNpy('', [], new Uint8Array(0), { header: "{'descr': '<i4' 'shape'" }), 'z'), /malformed header/);
    expectCorrupt(() => parseNpy(makeNpy('', [], new Uint8Array(0), { header: "{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }" }), 'z'), /dimension/);
  });

  it('names the file in its errors', () => {
    expectCorrupt(() => parseNpy(Buffer.alloc(3), 'data.npz:labels.npy'), /^data\.npz:labels\.npy /);
  });
});

describe('indexValues / numberValues', () => {
  it('converts integer arrays and checks their range', () => {
    expect([...indexValues(parseNpy(npyOf(BigInt64Array.of(0n, 4n)), 'r'), 5, 'r')]).toEqual([0, 4]);
    expectCorrupt(() => indexValues(parseNpy(npyOf(Int32Array.of(0, 5)), 'r'), 5, 'rows.npy'), /rows\.npy.*value 5 at position 1 is outside \[0, 5\)/);
    expectCorrupt(() => indexValues(parseNpy(npyOf(Int32Array.of(-1)), 'r'), 5, 'r'), /outside/);
    expectCorrupt(() => indexValues(parseNpy(npyOf(Float32Array.of(1)), 'r'), 5, 'r'), /integer array/);
  });

  it('refuses non-finite numbers and strings', () => {
    expectCorrupt(() => numberValues(parseNpy(npyOf(Float64Array.of(1, Number.NaN)), 'd'), 'd'), /not finite/);
    expectCorrupt(() => numberValues(parseNpy(npyStrings(['a']), 'd'), 'd'), /numeric/);
  });
});
