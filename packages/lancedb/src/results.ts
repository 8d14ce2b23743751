// Top-k rows in core's layout (`TopItems`), with the caller's ids: candidates from LanceDB are
// filtered, ordered as core orders (score descending, ties to the lower model row) and padded.
import type { Id } from '@lightfm-ts/core';

/**
 * Top-k items per query, row-major like core's `TopItems`: row `r` is
 * `items.slice(r * k, (r + 1) * k)`, best first. Items are your ids; rows with fewer than `k`
 * results end with `null` and score `-Infinity`.
 */
export interface TopIds {
  /** Your item ids, `k` per row (`null` pads a short row). */
  items: (Id | null)[];
  /** Scores matching `items`: `predict`'s scores for `recommend`, cosines for `similarItems`. */
  scores: Float32Array;
  /** Row width: the requested `k`, capped at the number of candidates. */
  k: number;
}

/** One candidate returned by the store. */
export interface Candidate {
  row: number;
  id: Id;
  score: number;
}

/** An empty result of `queries` rows of width `k`, all padding. */
export function emptyTop(queries: number, k: number): TopIds {
  return { items: new Array<Id | null>(queries * k).fill(null), scores: new Float32Array(queries * k).fill(-Infinity), k };
}

/** Puts the best `k` candidates not in `skip` into row `q` of `top`. */
export function fillRow(top: TopIds, q: number, candidates: Candidate[], skip: (row: number) => boolean): void {
  const kept = candidates.filter((c) => !skip(c.row)).sort((a, b) => b.score - a.score || a.row - b.row);
  for (let j = 0; j < Math.min(top.k, kept.length); j++) {
    const c = kept[j] as Candidate;
    top.items[q * top.k + j] = c.id;
    top.scores[q * top.k + j] = c.score;
  }
}
