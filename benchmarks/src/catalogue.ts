// A hybrid model over a large synthetic catalogue with planted structure, for serving
// benchmarks: items belong to taste clusters (one item feature each) and carry two random
// tags; users interact with their cluster's items, with items of a favourite tag (which cuts
// across clusters, so the structure is not one an index partitions trivially) and at random. Item vectors then cluster the way
// trained ones do, and the model trains in seconds however many items there are (WARP's work
// is per interaction, an item's representation three features).
import { CooMatrix, CsrMatrix, LightFM } from '@lightfm-ts/core';

export interface CatalogueOptions {
  items: number;
  /** Users that interact (the query users are the first of them). */
  users: number;
  components: number;
  threads: number;
  seed: number;
}

export interface Catalogue {
  model: LightFM;
  /** `items x (clusters + tags)`: pass it wherever the model needs item features. */
  itemFeatures: CsrMatrix;
  /** `users x items`: the training interactions (exclude them when recommending). */
  train: CsrMatrix;
  trainSeconds: number;
}

/** A seeded LCG in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export async function plantedCatalogue(o: CatalogueOptions): Promise<Catalogue> {
  const rand = rng(o.seed);
  const clusters = Math.max(10, Math.round(o.items / 1000));
  const tags = Math.max(100, Math.round(o.items / 500));
  const indptr = new Int32Array(o.items + 1);
  const indices = new Int32Array(o.items * 3);
  const data = new Float32Array(o.items * 3).fill(1 / 3);
  for (let i = 0; i < o.items; i++) {
    // Two distinct tags, in increasing column order after the cluster's column.
    const a = Math.floor(rand() * tags);
    const b = (a + 1 + Math.floor(rand() * (tags - 1))) % tags;
    indices.set([i % clusters, clusters + Math.min(a, b), clusters + Math.max(a, b)], i * 3);
    indptr[i + 1] = (i + 1) * 3;
  }
  const byTag = Array.from({ length: tags }, () => [] as number[]);
  for (let i = 0; i < o.items; i++) for (const c of indices.subarray(i * 3 + 1, i * 3 + 3)) byTag[c - clusters]?.push(i);
  const itemFeatures = new CsrMatrix(indptr, indices, data, [o.items, clusters + tags]);
  const perUser = 30;
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < o.users; u++) {
    const seen = new Set<number>();
    while (seen.size < perUser) {
      const r = rand();
      if (r < 0.4) seen.add((u % clusters) + clusters * Math.floor(rand() * Math.floor(o.items / clusters)));
      else if (r < 0.8) {
        const tagged = byTag[(u * 7919) % tags] as number[];
        if (tagged.length > 0) seen.add(tagged[Math.floor(rand() * tagged.length)] as number);
      } else seen.add(Math.floor(rand() * o.items));
    }
    for (const i of seen) {
      rows.push(u);
      cols.push(i);
    }
  }
  const train = CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [o.users, o.items]).toCsr();
  const t0 = performance.now();
  const model = await new LightFM({ loss: 'warp', noComponents: o.components, randomState: o.seed }).fit(train, { itemFeatures, epochs: 5, numThreads: o.threads });
  return { model, itemFeatures, train, trainSeconds: (performance.now() - t0) / 1000 };
}
