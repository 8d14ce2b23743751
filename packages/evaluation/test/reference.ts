// Brute-force references, written from the textbook definitions and independent of the Rust
// kernels: score every item with `predict`, sort, count.
import type { CsrMatrix, LightFM } from '@lightfm-ts/core';

/** Dense scores of every user against every item. */
export function allScores(model: LightFM, users: number, items: number): Float32Array[] {
  const itemIds = Int32Array.from({ length: items }, (_, i) => i);
  return Array.from({ length: users }, (_, u) => model.predict(u, itemIds));
}

const rowSet = (m: CsrMatrix | undefined, u: number): Set<number> => new Set(m ? m.row(u).indices : []);

/**
 * LightFM's `test_evaluation` references: the top `k` by `argsort(-scores)` (train items
 * pushed to the bottom when excluded); precision = hits / k, recall = hits / #test.
 */
export function topKReference(scores: Float32Array[], test: CsrMatrix, k: number, train?: CsrMatrix): { precision: number[]; recall: number[] } {
  const precision: number[] = [];
  const recall: number[] = [];
  scores.forEach((s, u) => {
    const positives = rowSet(test, u);
    if (positives.size === 0) return;
    const excluded = rowSet(train, u);
    const order = Array.from(s.keys())
      .filter((i) => !excluded.has(i))
      .sort((a, b) => (s[b] as number) - (s[a] as number));
    const hits = order.slice(0, k).filter((i) => positives.has(i)).length;
    precision.push(hits / k);
    recall.push(hits / positives.size);
  });
  return { precision, recall };
}

/** The rank of every test item: other non-train items scoring at least as high (LightFM's rule). */
function ranks(s: Float32Array, positives: Set<number>, excluded: Set<number>): number[] {
  const candidates = Array.from(s.keys()).filter((i) => !excluded.has(i));
  return [...positives].map((t) => candidates.filter((i) => i !== t && (s[i] as number) >= (s[t] as number)).length);
}

/** Every per-user metric of one user, from its definition. */
export function userReference(s: Float32Array, positives: Set<number>, excluded: Set<number>, k: number) {
  const r = ranks(s, positives, excluded);
  const hits = r.filter((x) => x < k).length;
  const gain = (x: number) => 1 / Math.log2(x + 2);
  const ideal = Array.from({ length: Math.min(r.length, k) }, (_, j) => gain(j)).reduce((a, b) => a + b, 0);
  const negatives = Array.from(s.keys()).filter((i) => !excluded.has(i) && !positives.has(i));
  let wins = 0;
  for (const t of positives) for (const n of negatives) if ((s[t] as number) > (s[n] as number)) wins++;
  return {
    precision: hits / k,
    recall: hits / r.length,
    hitRate: hits > 0 ? 1 : 0,
    reciprocalRank: 1 / (Math.min(...r) + 1),
    ndcg: r.filter((x) => x < k).reduce((a, x) => a + gain(x), 0) / ideal,
    map: r.filter((x) => x < k).reduce((a, x) => a + r.filter((y) => y <= x).length / (x + 1), 0) / Math.min(r.length, k),
    auc: negatives.length === 0 ? 0.5 : wins / (r.length * negatives.length),
  };
}

/** Per-user sklearn `roc_auc_score` (Mann–Whitney with tie-averaged ranks) of `labels` against `scores`. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const rank = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    for (let m = i; m <= j; m++) rank[order[m] as number] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]) {
      positives++;
      rankSum += rank[i] as number;
    }
  }
  const negatives = n - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i] as number;
  return sum / xs.length;
}
