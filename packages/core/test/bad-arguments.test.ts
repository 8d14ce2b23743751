// The adversarial sweep over the public functions: each bad argument below used to escape as
// a plain TypeError or RangeError; each is now ERR_INVALID_ARG saying what was wrong.
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/index.js';
import { thrown } from './errors.js';

const dataset = () => new Dataset().fit(['a', 'b'], ['x', 'y'], { userFeatures: ['f'] });
const detached = () => {
  const a = Int32Array.of(1, 2);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
};

describe('bad arguments are ERR_INVALID_ARG, never a plain TypeError or RangeError', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['columns.weights: null', () => dataset().buildInteractions({ users: ['a'], items: ['x'], weights: null as never }), /columns\.weights must be an array, got null/],
    ['a column claiming 2^40 entries', () => dataset().buildInteractions({ users: { length: 2 ** 40 } as never, items: ['x'] }), /columns\.users has length 1099511627776 but no element at index/],
    ['a transferred column', () => dataset().buildInteractions({ users: detached() as never, items: ['x', 'y'] }), /columns\.users's ArrayBuffer was transferred/],
    ['transferred interaction data', () => dataset().buildInteractions(detached() as never), /buildInteractions: data's ArrayBuffer was transferred/],
    ['transferred ids', () => new Dataset().fit(detached(), ['x']), /ArrayBuffer was transferred/],
    ['a symbol id', () => dataset().userIndex(Symbol('a') as never), /user ids must be strings or numbers, got Symbol\(a\)/],
    ['a prototype-less object id', () => dataset().itemIndex(Object.create(null) as never), /item ids must be strings or numbers, got an object/],
    ['a symbol feature name', () => dataset().buildUserFeatures([['a', [Symbol('f') as never]]]), /user features must be strings or numbers/],
  ])('%s', (_label, f, message) => {
    const e = thrown(f);
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toMatch(message);
  });
});
