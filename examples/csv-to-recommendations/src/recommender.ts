// From rating rows to a trained, evaluated model whose file carries the id mappings, and
// from a model file back to recommendations by external id.
import { type CooMatrix, Dataset, LightFM, type SparseMatrix, randomTrainTestSplit } from '@lightfm-ts/core';
import { evaluate } from '@lightfm-ts/evaluation';
import type { Rating } from './ratings.js';

/** Options of {@link trainRecommender}. */
export interface TrainOptions {
  /** Ratings below this are dropped: the model learns from what users liked. @default 4 */
  minRating?: number;
  /** @default 30 */
  epochs?: number;
  /** Share of the liked rows held out to measure the model. @default 0.2 */
  testPercentage?: number;
  /** @default 42 */
  randomState?: number;
}

/** What the model file stores besides the parameters: external ids by index. */
export interface Mappings {
  users: string[];
  items: string[];
}

/** A trained model, what each user rated, and the model's held-out scores. */
export interface TrainedRecommender {
  /** Trained on every liked row, with {@link Mappings} attached. */
  model: LightFM;
  /** Every rated (user, item) pair, liked or not, users x items: pass as `exclude`. */
  rated: CooMatrix;
  /** Mean precision@5 and AUC on the held-out rows, of a model trained on the rest. */
  heldOut: { precision: number; auc: number };
}

/**
 * Maps ids with `Dataset`, measures a WARP model on a random hold-out, then trains the final
 * model on every liked row (ratings become sample weights) and attaches the id mappings.
 *
 * @param ratings - Rows from `readRatings`.
 * @param options - Rating threshold, epochs, hold-out share and seed.
 * @returns The final model, the rated pairs and the held-out metrics.
 * @throws {LightFMError} `ERR_INVALID_ARG` for bad options or when no row is liked; otherwise as `fit` and `evaluate`.
 * @example
 * ```ts
 * const { model, heldOut } = await trainRecommender(await readRatings('data/ratings.csv'));
 * await model.save('recommender.lightfm');
 * ```
 */
export async function trainRecommender(ratings: Rating[], options: TrainOptions = {}): Promise<TrainedRecommender> {
  const { minRating = 4, epochs = 30, testPercentage = 0.2, randomState = 42 } = options;
  const liked = ratings.filter((r) => r.rating >= minRating);

  // Every user and item gets an index, including those with only low ratings.
  const dataset = new Dataset().fit(ratings.map((r) => r.user), ratings.map((r) => r.item));
  const { interactions, weights } = dataset.buildInteractions(liked.map((r) => [r.user, r.item, r.rating]));
  const hyperparameters = { loss: 'warp', noComponents: 16, randomState } as const;

  const [train, test, trainWeights] = randomTrainTestSplit(interactions, { testPercentage, randomState, weights });
  const trial = await new LightFM(hyperparameters).fit(train, { sampleWeight: trainWeights, epochs });
  const { mean } = await evaluate(trial, test, { metrics: ['precision', 'auc'], k: 5, trainInteractions: train });

  const model = await new LightFM(hyperparameters).fit(interactions, { sampleWeight: weights, epochs });
  const mappings: Mappings = { users: dataset.userIds().map(String), items: dataset.itemIds().map(String) };
  model.mappings = mappings;
  const rated = dataset.buildInteractions(ratings.map((r) => [r.user, r.item])).interactions;
  return { model, rated, heldOut: mean };
}

/**
 * The `k` best items for a user given by external id, using the mappings stored in the model.
 *
 * @param model - A model whose `mappings` are {@link Mappings} (e.g. from `LightFM.load`).
 * @param user - The user's id as in the CSV.
 * @param k - How many items.
 * @param exclude - Items never to recommend per user (what they already rated).
 * @returns Item ids and scores, best first.
 * @throws {Error} When the model has no mappings or the user is unknown.
 * @example
 * ```ts
 * const top = recommendFor(await LightFM.load('recommender.lightfm'), 'ana', 5, rated);
 * ```
 */
export function recommendFor(model: LightFM, user: string, k: number, exclude?: SparseMatrix): { item: string; score: number }[] {
  const mappings = model.mappings as Mappings | undefined;
  if (!mappings?.users || !mappings.items) throw new Error('the model file has no id mappings; train it with trainRecommender');
  const index = mappings.users.indexOf(user);
  if (index < 0) throw new Error(`unknown user ${JSON.stringify(user)}; users in the model: ${mappings.users.slice(0, 5).join(', ')}, ...`);
  const top = model.recommend(index, { k, ...(exclude && { exclude }) });
  const out: { item: string; score: number }[] = [];
  top.items.forEach((item, r) => {
    if (item >= 0) out.push({ item: mappings.items[item] ?? String(item), score: top.scores[r] ?? Number.NaN });
  });
  return out;
}
