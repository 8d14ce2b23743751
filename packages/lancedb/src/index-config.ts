// The one place that decides how the vectors are searched: flat (exact) for small tables, an
// IVF_FLAT index by L2 on MIPS-augmented vectors (mips.ts) above. Measured on 100k
// planted-structure vectors of dim 66 (docs/serving.md, benchmarks/src/lancedb.ts): IVF_FLAT
// keeps full vectors in each partition, so the only loss is which partitions are probed;
// IVF_PQ's quantisation lost most of the top 10 even with refine (recall 0.03-0.08), HNSW_SQ on
// augmented vectors reached 0.34-0.88 after a 5-10x longer build, and IVF_FLAT by L2 on
// augmented vectors beat IVF_FLAT by dot product at equal latency (0.997 vs 0.974 at ~5 ms).
import { Index } from '@lancedb/lancedb';

/** Below this many rows a table is searched flat: exact, and a few ms per query. */
export const FLAT_BELOW_ROWS = 20_000;

/** How a table is searched: `'auto'` (flat below {@link FLAT_BELOW_ROWS}, else IVF), `'flat'` or `'ivf'`. */
export type IndexChoice = 'auto' | 'flat' | 'ivf';

/** IVF partitions for `rows` vectors: LanceDB's own rule, the square root of the rows. */
export function partitionsFor(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows)));
}

/** The IVF_FLAT index configuration for a table of `rows` vectors. */
export function ivfIndex(rows: number): Index {
  return Index.ivfFlat({ distanceType: 'l2', numPartitions: partitionsFor(rows) });
}

/** A BTREE index on the ids, so `similarItems` finds its query items without a scan. */
export function idIndex(): Index {
  return Index.btree();
}

/**
 * The distance a search uses: L2 through the index (augmented vectors, unit vectors), the
 * exact dot product when flat (which also scores zero-length unit vectors as core does).
 */
export function searchDistance(indexed: boolean): 'l2' | 'dot' {
  return indexed ? 'l2' : 'dot';
}

/** Partitions probed per query by default: a tenth of them, at least 20. */
export function defaultProbes(rows: number): number {
  return Math.max(20, Math.ceil(partitionsFor(rows) / 10));
}

/** Whether a table of `rows` rows gets an index under `choice`. */
export function wantsIndex(choice: IndexChoice, rows: number): boolean {
  return choice === 'ivf' || (choice === 'auto' && rows >= FLAT_BELOW_ROWS);
}
