import { CooMatrix, CsrMatrix, LightFMError } from '@lightfm-ts/core';
import { type KnownKeys, readOptions } from '@lightfm-ts/core/internal';
import { Rng } from './rng.js';
import { hstackCsr } from './sparse-build.js';

/** Options of {@link makeSynthetic}. */
export interface SyntheticOptions {
  /** Number of users (rows). */
  users: number;
  /** Number of items (columns). */
  items: number;
  /** Distinct (user, item) pairs to generate, train and test together; at most half of `users * items`. */
  interactions: number;
  /** Item tag features (columns besides the indicator ones); tags correlate with the latent groups. @default 50 */
  features?: number;
  /** PRNG seed; the same options give the same data everywhere. @default 42 */
  seed?: number;
  /** Latent groups that users and items are drawn from. @default 10 */
  clusters?: number;
  /** Probability that an interaction is with an item of the user's own group. @default 0.8 */
  affinity?: number;
  /** Exponent `s` of the Zipf item popularity `1 / (i + 1)^s`; 0 makes items equally popular. @default 0.8 */
  popularity?: number;
  /** Tags per item (and per user, with `userFeatures`). @default 3 */
  featuresPerItem?: number;
  /** Probability that a tag is drawn from all tags instead of the item's group. @default 0.2 */
  featureNoise?: number;
  /** Fraction of interactions, chosen at random, in the test set. @default 0.2 */
  testFraction?: number;
  /** Prepend one identity column per item (and per user) to the features. @default true */
  indicatorFeatures?: boolean;
  /** User tag features correlated with the user's group; 0 returns no user features. @default 0 */
  userFeatures?: number;
}

/** What {@link makeSynthetic} returns. */
export interface SyntheticData {
  /** `users x items`, value 1, row-major with sorted columns. */
  train: CooMatrix;
  /** `users x items`, value 1, disjoint from `train`. */
  test: CooMatrix;
  /** `items x F`: `[identity | tags]`, or tags alone without `indicatorFeatures`. */
  itemFeatures: CsrMatrix;
  /** `item:<i>` for indicator columns, `tag:<t>` for tag columns. */
  itemFeatureLabels: string[];
  /** `users x F` like `itemFeatures` (`user:<u>`, `user-tag:<t>`); only when `userFeatures > 0`. */
  userFeatures?: CsrMatrix;
  /** The planted structure: each user's and item's latent group. */
  latent: {
    /** The group of each user, in `0 .. clusters - 1`. */
    userGroups: Int32Array;
    /** The group of each item, in `0 .. clusters - 1`. */
    itemGroups: Int32Array;
  };
}

const KEYS: KnownKeys<SyntheticOptions> = {
  users: true,
  items: true,
  interactions: true,
  features: true,
  seed: true,
  clusters: true,
  affinity: true,
  popularity: true,
  featuresPerItem: true,
  featureNoise: true,
  testFraction: true,
  indicatorFeatures: true,
  userFeatures: true,
};
const MAX_INDEX = 0x7fffffff;

/**
 * Generates an implicit-feedback dataset with planted latent structure, for fast tests,
 * benchmarks and offline demos.
 *
 * Users and items each belong to one of `clusters` latent groups. Each interaction of a
 * user is drawn, with probability `affinity`, from the items of the user's group, and
 * otherwise from all items, both in proportion to Zipf popularity: a softmax over
 * `log popularity(i) + b * [group(u) = group(i)]` whose `b` grows with `affinity`. A user's
 * items are distinct, and the number per user is multinomial (uniform over users). Tags are
 * drawn mostly from a block of tags belonging to the item's group, so a hybrid model that
 * sees them can learn the groups, including for items with few interactions.
 *
 * Everything is built in typed arrays in O(interactions): 10 million interactions take a
 * few seconds.
 *
 * @param options - Sizes, seed and the strength of the structure.
 * @returns Disjoint train and test interactions, item features with labels, optional user
 *   features, and the planted groups.
 * @throws LightFMError `ERR_INVALID_ARG` for sizes that are not integers, out of range, or
 *   too dense (`interactions > users * items / 2`).
 * @example
 * ```ts
 * const { train, test, itemFeatures } = makeSynthetic({ users: 1000, items: 500, interactions: 20_000, features: 40, seed: 1 });
 * const model = await new LightFM({ loss: 'warp' }).fit(train, { itemFeatures, epochs: 10 });
 * ```
 */
export function makeSynthetic(options: SyntheticOptions): SyntheticData {
  const where = 'makeSynthetic()';
  const o = readOptions(where, options, KEYS);
  for (const key of ['users', 'items', 'interactions'] as const) {
    if (o.get(key) === undefined) throw new LightFMError('ERR_INVALID_ARG', `${where}: options.${key} is required`);
  }
  const users = o.int('users', 0, 1, MAX_INDEX);
  const items = o.int('items', 0, 1, MAX_INDEX);
  const total = o.int('interactions', 0, 0, MAX_INDEX);
  if (total > (users * items) / 2) {
    throw new LightFMError('ERR_INVALID_ARG', `${where}: options.interactions (${total}) must be at most half of users * items (${(users * items) / 2})`);
  }
  const p = {
    features: o.int('features', 50, 0, MAX_INDEX),
    seed: o.int('seed', 42, 0, Number.MAX_SAFE_INTEGER),
    clusters: o.int('clusters', 10, 1, MAX_INDEX),
    affinity: o.number('affinity', 0.8, 0, 1),
    popularity: o.number('popularity', 0.8, 0, 10),
    perItem: o.int('featuresPerItem', 3, 1, 1000),
    noise: o.number('featureNoise', 0.2, 0, 1),
    testFraction: o.number('testFraction', 0.2, 0, 0.99),
    indicator: o.flag('indicatorFeatures', true),
    userFeatures: o.int('userFeatures', 0, 0, MAX_INDEX),
  };
  if (!p.indicator && p.features === 0) {
    throw new LightFMError('ERR_INVALID_ARG', `${where}: with indicatorFeatures false, options.features must be at least 1`);
  }
  const rng = new Rng(p.seed);
  const userGroups = Int32Array.from({ length: users }, () => rng.below(p.clusters));
  const itemGroups = Int32Array.from({ length: items }, () => rng.below(p.clusters));
  const sampler = new ItemSampler(itemGroups, p.clusters, p.popularity);
  const counts = perUserCounts(rng, users, items, total);
  const pairs = samplePairs(rng, sampler, userGroups, counts, total, p.affinity);
  const [train, test] = splitPairs(rng, pairs, [users, items], p.testFraction);
  const itemTags = tagMatrix(rng, itemGroups, p.clusters, p.features, p.perItem, p.noise);
  const data: SyntheticData = {
    train,
    test,
    itemFeatures: p.indicator ? hstackCsr(CsrMatrix.identity(items), itemTags) : itemTags,
    itemFeatureLabels: labels(p.indicator ? items : 0, 'item', p.features, 'tag'),
    latent: { userGroups, itemGroups },
  };
  if (p.userFeatures > 0) {
    const userTags = tagMatrix(rng, userGroups, p.clusters, p.userFeatures, p.perItem, p.noise);
    data.userFeatures = p.indicator ? hstackCsr(CsrMatrix.identity(users), userTags) : userTags;
  }
  return data;
}

function labels(ids: number, idPrefix: string, tags: number, tagPrefix: string): string[] {
  const out = new Array<string>(ids + tags);
  for (let i = 0; i < ids; i++) out[i] = `${idPrefix}:${i}`;
  for (let t = 0; t < tags; t++) out[ids + t] = `${tagPrefix}:${t}`;
  return out;
}

/**
 * Draws items by Zipf popularity, from all items or from one group's items, in O(1) per
 * draw with Walker's alias method (Vose's construction).
 */
class ItemSampler {
  /** Items sorted by group; group `g` owns `order[start[g] .. start[g + 1]]`. */
  readonly order: Int32Array;
  readonly start: Int32Array;
  /** Alias tables over `order`, one independent table per group's range. */
  readonly group: AliasTable;
  /** Alias table over all items in id order. */
  readonly all: AliasTable;

  constructor(groups: Int32Array, clusters: number, exponent: number) {
    const n = groups.length;
    const weight = (i: number) => (i + 1) ** -exponent;
    this.start = new Int32Array(clusters + 1);
    for (const g of groups) this.start[g + 1]!++;
    for (let g = 0; g < clusters; g++) this.start[g + 1]! += this.start[g] as number;
    const fill = this.start.slice(0, clusters);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[groups[i] as number]!++] = i;
    this.group = new AliasTable(n);
    for (let g = 0; g < clusters; g++) {
      this.group.build(this.start[g] as number, this.start[g + 1] as number, (k) => weight(this.order[k] as number));
    }
    this.all = new AliasTable(n);
    this.all.build(0, n, weight);
  }

  /** An item of group `g` (any item when the group is empty). */
  inGroup(rng: Rng, g: number): number {
    const lo = this.start[g] as number;
    const hi = this.start[g + 1] as number;
    if (lo === hi) return this.any(rng);
    return this.order[this.group.draw(rng, lo, hi)] as number;
  }

  any(rng: Rng): number {
    return this.all.draw(rng, 0, this.all.prob.length);
  }
}

/** Alias tables for ranges of one index space: `build(lo, hi, w)` then `draw(rng, lo, hi)`. */
class AliasTable {
  readonly prob: Float64Array;
  readonly alias: Int32Array;

  constructor(n: number) {
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
  }

  build(lo: number, hi: number, weight: (k: number) => number): void {
    const m = hi - lo;
    let sum = 0;
    for (let k = lo; k < hi; k++) sum += weight(k);
    const small = new Int32Array(m);
    const large = new Int32Array(m);
    let ns = 0;
    let nl = 0;
    for (let k = lo; k < hi; k++) {
      const p = (this.prob[k] = (weight(k) * m) / sum);
      if (p < 1) small[ns++] = k;
      else large[nl++] = k;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns] as number;
      const l = large[nl - 1] as number;
      this.alias[s] = l;
      const rest = (this.prob[l] = (this.prob[l] as number) + (this.prob[s] as number) - 1);
      if (rest < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // Leftovers are 1 up to rounding.
    while (nl > 0) this.prob[large[--nl] as number] = 1;
    while (ns > 0) this.prob[small[--ns] as number] = 1;
  }

  draw(rng: Rng, lo: number, hi: number): number {
    const k = lo + rng.below(hi - lo);
    return rng.next() < (this.prob[k] as number) ? k : (this.alias[k] as number);
  }
}

/** Interactions per user: multinomial over users, capped at half the items, overflow moved to users with room. */
function perUserCounts(rng: Rng, users: number, items: number, total: number): Int32Array {
  const cap = Math.max(1, Math.floor(items / 2));
  const counts = new Int32Array(users);
  let excess = 0;
  for (let k = 0; k < total; k++) {
    const u = rng.below(users);
    if ((counts[u] as number) < cap) counts[u]!++;
    else excess++;
  }
  // total <= users * items / 2 <= users * cap... except when items is odd; then spill to any user with room.
  for (let u = 0; excess > 0 && u < users; u++) {
    const room = Math.min(items, cap + 1) - (counts[u] as number);
    const add = Math.min(room, excess);
    counts[u]! += add;
    excess -= add;
  }
  return counts;
}

/** Each user's distinct items (rejection sampling with a per-item stamp), row-major with sorted columns. */
function samplePairs(rng: Rng, sampler: ItemSampler, userGroups: Int32Array, counts: Int32Array, total: number, affinity: number) {
  const row = new Int32Array(total);
  const col = new Int32Array(total);
  const stamp = new Int32Array(sampler.order.length).fill(-1);
  const items = stamp.length;
  let k = 0;
  for (let u = 0; u < counts.length; u++) {
    const want = counts[u] as number;
    const begin = k;
    let tries = 0;
    const maxTries = 20 * want + 100;
    while (k - begin < want && tries++ < maxTries) {
      const i = rng.next() < affinity ? sampler.inGroup(rng, userGroups[u] as number) : sampler.any(rng);
      if (stamp[i] === u) continue;
      stamp[i] = u;
      col[k++] = i;
    }
    // Saturated users (rare): take the remaining items in order from a random start.
    for (let i = rng.below(items); k - begin < want; i = (i + 1) % items) {
      if (stamp[i] === u) continue;
      stamp[i] = u;
      col[k++] = i;
    }
    row.fill(u, begin, k);
    col.subarray(begin, k).sort();
  }
  return { row, col };
}

function splitPairs(rng: Rng, pairs: { row: Int32Array; col: Int32Array }, shape: [number, number], testFraction: number): [CooMatrix, CooMatrix] {
  const n = pairs.row.length;
  const inTest = new Uint8Array(n);
  let nTest = 0;
  for (let k = 0; k < n; k++) if (rng.next() < testFraction) (inTest[k] = 1), nTest++;
  const part = (flag: number, size: number) => {
    const row = new Int32Array(size);
    const col = new Int32Array(size);
    for (let k = 0, j = 0; k < n; k++) {
      if (inTest[k] !== flag) continue;
      row[j] = pairs.row[k] as number;
      col[j++] = pairs.col[k] as number;
    }
    return new CooMatrix(row, col, new Float32Array(size).fill(1), shape);
  };
  return [part(0, n - nTest), part(1, nTest)];
}

/**
 * `owners x tags`, value 1: `perOwner` distinct tags each, mostly from the block of tags of
 * the owner's group (tag `t` belongs to group `t mod clusters`), with probability `noise`
 * from all tags.
 */
function tagMatrix(rng: Rng, groups: Int32Array, clusters: number, tags: number, perOwner: number, noise: number): CsrMatrix {
  const rows = groups.length;
  const per = Math.min(perOwner, tags);
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(rows * per);
  // Tags of group g are g, g + clusters, g + 2 * clusters, ... (empty when tags <= g).
  const groupSize = (g: number) => (g < tags ? Math.floor((tags - 1 - g) / clusters) + 1 : 0);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const g = groups[r] as number;
    const size = groupSize(g);
    const begin = k;
    for (let tries = 0; k - begin < per && tries < 50 * per; tries++) {
      const t = size > 0 && rng.next() >= noise ? g + clusters * rng.below(size) : rng.below(tags);
      if (!indices.subarray(begin, k).includes(t)) indices[k++] = t;
    }
    indices.subarray(begin, k).sort();
    indptr[r + 1] = k;
  }
  const used = indices.slice(0, k);
  return new CsrMatrix(indptr, used, new Float32Array(k).fill(1), [rows, tags]);
}
