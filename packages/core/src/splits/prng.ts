import type { OptionsReader } from '../option-reader.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/**
 * The Mersenne Twister MT19937, seeded and drawn exactly like numpy's legacy
 * `RandomState(seed)`, so a split with `randomState: s` picks the same entries as LightFM's
 * `random_train_test_split(..., random_state=s)` on the same entries in the same order.
 */
export class Mt19937 {
  readonly #mt = new Uint32Array(N);
  #next = N;

  /** @param seed an integer in `0 .. 2^32 - 1` (numpy's `init_genrand`) */
  constructor(seed: number) {
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** The next 32-bit output (an integer in `0 .. 2^32 - 1`). */
  nextU32(): number {
    if (this.#next >= N) this.#twist();
    let y = this.#mt[this.#next++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in `0 .. max` inclusive, by masked rejection (numpy's `random_interval`). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextU32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Shuffles `values` in place, like numpy's `RandomState.shuffle` on a 1-d array. */
  shuffle(values: Int32Array): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = values[i] as number;
      values[i] = values[j] as number;
      values[j] = t;
    }
  }

  #twist(): void {
    const mt = this.#mt;
    const mix = (a: number, b: number, far: number) => {
      const y = ((mt[a] as number) & UPPER) | ((mt[b] as number) & LOWER);
      return ((mt[far] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    };
    let k = 0;
    for (; k < N - M; k++) mt[k] = mix(k, k + 1, k + M);
    for (; k < N - 1; k++) mt[k] = mix(k, k + 1, k + M - N);
    mt[N - 1] = mix(N - 1, 0, M - 1);
    this.#next = 0;
  }
}

/**
 * The generator for a split's `randomState` option: seeded when given, else from
 * `Math.random()` (a different result every run).
 * @throws LightFMError `ERR_INVALID_ARG` unless it is an integer in `0 .. 2^32 - 1`
 */
export function generatorFor(options: OptionsReader<{ randomState?: number }>): Mt19937 {
  return new Mt19937(options.int('randomState', undefined, 0) ?? Math.floor(Math.random() * 0x1_0000_0000));
}
