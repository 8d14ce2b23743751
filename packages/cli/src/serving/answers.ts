// Recommendations and similar items by external id, for the HTTP service and the `recommend`
// and `similar` commands alike: ids in, `{ id, title?, score }` lists out.
import { type CsrMatrix, type Id, type ItemIndex, LightFMError } from '@lightfm-ts/core';
import type { Serving } from './mappings.js';

/** One entry of an answer, best first. */
export interface ScoredItem {
  /** The item's external id. */
  id: string;
  /** Its display name, when the model file has titles. */
  title?: string;
  /** `predict`'s score for recommendations, the cosine for similar items. */
  score: number;
}

/** Ids the model does not know (`ERR_INVALID_ARG`); the HTTP service answers them with 404. */
export class UnknownIdError extends LightFMError {
  constructor(what: 'user' | 'item', ids: string[]) {
    const list = ids.map((id) => JSON.stringify(id)).join(', ');
    super('ERR_INVALID_ARG', `unknown ${what}${ids.length > 1 ? 's' : ''} ${list}`);
  }
}

/** Answers by external id from one loaded model. */
export interface Answers {
  /** Top `k` items per user, never one in `exclude` (default: the model's seen record). */
  recommend(users: readonly string[], k: number, exclude?: CsrMatrix): ScoredItem[][];
  /** The `k` items most similar to each item (cosine of their embeddings). */
  similar(items: readonly string[], k: number): ScoredItem[][];
  /** An item's display name, when the model has titles. */
  title(item: string): string | undefined;
}

/** The row of an id; ids typed on a command line or in a URL are text, integer ids are numbers. */
function rowOf(index: ReadonlyMap<Id, number>, id: string): number | undefined {
  return index.get(id) ?? (/^-?\d+$/.test(id) ? index.get(Number(id)) : undefined);
}

function rows(index: ReadonlyMap<Id, number>, ids: readonly string[], what: 'user' | 'item'): number[] {
  const found = ids.map((id) => rowOf(index, id));
  const unknown = ids.filter((_, i) => found[i] === undefined);
  if (unknown.length > 0) throw new UnknownIdError(what, unknown);
  return found as number[];
}

/**
 * Recommendations and similar items of a served model, by external ids.
 *
 * @param serving - From `servingState(model)`.
 * @param index - An approximate index of the model's items (`model.buildIndex()` or
 *   `ItemIndex.load`): both lookups then answer through it, in the same shapes, instead of
 *   scanning every item.
 * @returns The lookups; they throw {@link UnknownIdError} for ids the model does not know.
 */
export function answers(serving: Serving, index?: ItemIndex): Answers {
  const { model, dataset, itemFeatures, userFeatures, seen, titles } = serving;
  const itemIds = dataset.itemIds();
  const { userIdMap, itemIdMap } = dataset.mapping();
  const item = (i: number, score: number): ScoredItem => {
    const title = titles?.[i];
    return { id: String(itemIds[i] ?? i), ...(title !== undefined && { title }), score };
  };
  /** Row-major top-k ids and scores as one list per query, without the `-1` padding. */
  const lists = (ids: Int32Array, scores: Float32Array, k: number, queries: number): ScoredItem[][] =>
    Array.from({ length: queries }, (_, q) => {
      const list: ScoredItem[] = [];
      for (let r = q * k; r < (q + 1) * k; r++) {
        const i = ids[r] as number;
        if (i >= 0) list.push(item(i, scores[r] as number));
      }
      return list;
    });

  return {
    recommend(users, k, exclude = seen) {
      const ids = rows(userIdMap, users, 'user');
      // The index holds the item vectors it was built from: no item features per call.
      const top = index ? index.recommend(ids, { k, exclude, userFeatures }) : model.recommend(ids, { k, exclude, itemFeatures, userFeatures });
      return lists(top.items, top.scores, top.k, users.length);
    },
    similar(items, k) {
      const ids = rows(itemIdMap, items, 'item');
      const top = index ? index.similarItems(ids, { k }) : model.similarItems(ids, { k, itemFeatures });
      return lists(top.items, top.scores, top.k, items.length);
    },
    title(id) {
      const i = rowOf(itemIdMap, id);
      return i === undefined ? undefined : titles?.[i];
    },
  };
}
