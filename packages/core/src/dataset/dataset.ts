import type { CsrMatrix, Shape } from '../sparse.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import { buildFeatures, type FeatureRow } from './features.js';
import type { Id } from './ids.js';
import { type BuiltInteractions, type Interaction, type InteractionColumns, buildInteractions } from './interactions.js';
import { DATASET_FORMAT, DATASET_VERSION, type DatasetJSON, datasetFromJSON, sideToJSON } from './json.js';
import { ComposedView, MapView } from './map-view.js';
import { type SideName, SideMapping } from './side.js';

/** Options of the `Dataset` constructor. */
export interface DatasetOptions {
  /** Give every user its own feature column (LightFM's default). @default true */
  userIdentityFeatures?: boolean;
  /** Give every item its own feature column (LightFM's default). @default true */
  itemIdentityFeatures?: boolean;
}

/** Feature names to add in `fit` / `fitPartial`. */
export interface FitFeatures {
  /** User feature names, in the order their columns should get. */
  userFeatures?: Iterable<Id>;
  /** Item feature names. */
  itemFeatures?: Iterable<Id>;
}

/**
 * Read-only, live views of a dataset's mappings (they follow later `fitPartial` and `fit`
 * calls). Copy one with `new Map(view)` to keep a snapshot.
 */
export interface DatasetMapping {
  /** User id -> row of the interactions and user feature matrices. */
  userIdMap: ReadonlyMap<Id, number>;
  /** User feature name -> column of the user feature matrix (named features only). */
  userFeatureMap: ReadonlyMap<Id, number>;
  /** User id -> that user's identity column (empty when `userIdentityFeatures` is off). */
  userIdentityMap: ReadonlyMap<Id, number>;
  /** Item id -> column of the interactions, row of the item feature matrix. */
  itemIdMap: ReadonlyMap<Id, number>;
  /** Item feature name -> column of the item feature matrix (named features only). */
  itemFeatureMap: ReadonlyMap<Id, number>;
  /** Item id -> that item's identity column (empty when `itemIdentityFeatures` is off). */
  itemIdentityMap: ReadonlyMap<Id, number>;
}

/** A dataset's mapping of one side, for the file readers of this package (set by the class). */
let sideOf: (dataset: Dataset, side: SideName) => SideMapping;

/** @internal The live mapping of one side of `dataset` (for `readFeatures`; not exported by the package). */
export function datasetSide(dataset: Dataset, side: SideName): SideMapping {
  return sideOf(dataset, side);
}

const OPTION_KEYS: KnownKeys<DatasetOptions> = { userIdentityFeatures: true, itemIdentityFeatures: true };
const FEATURE_KEYS: KnownKeys<FitFeatures> = { userFeatures: true, itemFeatures: true };

/**
 * Maps your user ids, item ids and feature names to the dense indices a `LightFM` model
 * uses, and builds the interaction and feature matrices (LightFM's `Dataset`).
 *
 * Ids are strings or numbers; `1` and `'1'` are different ids. Indices are given in order
 * of first appearance. Each user and item also gets an identity feature column by default,
 * so a model trained on `buildUserFeatures` / `buildItemFeatures` output still learns one
 * embedding per user and item. Identity columns never collide with feature names.
 *
 * @example
 * ```ts
 * const dataset = new Dataset().fit(['alice', 'bob'], ['i1', 'i2'], { itemFeatures: ['genre:drama'] });
 * const { interactions, weights } = dataset.buildInteractions([['alice', 'i1'], ['bob', 'i2', 5]]);
 * const itemFeatures = dataset.buildItemFeatures([['i1', ['genre:drama']]]);
 * await new LightFM({ loss: 'warp' }).fit(interactions, { itemFeatures, sampleWeight: weights });
 * ```
 */
export class Dataset {
  readonly #identity: { user: boolean; item: boolean };
  #users: SideMapping;
  #items: SideMapping;

  static {
    sideOf = (dataset, side) => (side === 'user' ? dataset.#users : dataset.#items);
  }

  /**
   * @param options which sides get identity features
   * @throws LightFMError `ERR_INVALID_ARG` when an option is not a boolean
   */
  constructor(options: DatasetOptions = {}) {
    const o = readOptions('new Dataset()', options, OPTION_KEYS);
    this.#identity = {
      user: o.flag('userIdentityFeatures', true),
      item: o.flag('itemIdentityFeatures', true),
    };
    this.#users = new SideMapping('user', this.#identity.user);
    this.#items = new SideMapping('item', this.#identity.item);
  }

  /**
   * Starts the mappings over from the given ids and feature names. Duplicates are ignored;
   * indices follow the order of first appearance.
   *
   * @param users every user id (any iterable; repeats are fine)
   * @param items every item id
   * @param features feature names per side
   * @returns this dataset, so calls chain
   * @throws LightFMError `ERR_INVALID_ARG` for a non-iterable argument or an id that is not a
   *   string or number; the dataset is then left unchanged
   * @example
   * ```ts
   * const dataset = new Dataset().fit(ratings.map((r) => r.user), ratings.map((r) => r.item));
   * ```
   */
  fit(users: Iterable<Id>, items: Iterable<Id>, features: FitFeatures = {}): this {
    readOptions('fit', features, FEATURE_KEYS, { name: 'features' });
    const previous = [this.#users, this.#items] as const;
    this.#users = new SideMapping('user', this.#identity.user);
    this.#items = new SideMapping('item', this.#identity.item);
    try {
      return this.fitPartial(users, items, features);
    } catch (err) {
      [this.#users, this.#items] = previous;
      throw err;
    }
  }

  /**
   * Adds ids and feature names to the existing mappings; known ones keep their indices and
   * new ones get the next free index. In LightFM's order: users (with their identity
   * columns), items, then user and item feature names, so a user added later gets an
   * identity column after the features already mapped.
   *
   * @param users new user ids (`null`/`undefined` for none)
   * @param items new item ids (`null`/`undefined` for none)
   * @param features new feature names per side
   * @returns this dataset
   * @throws LightFMError `ERR_INVALID_ARG` as `fit`; nothing is added when it throws
   * @example
   * ```ts
   * dataset.fitPartial(['carol'], null, { userFeatures: ['country:NO'] });
   * ```
   */
  fitPartial(users?: Iterable<Id> | null, items?: Iterable<Id> | null, features: FitFeatures = {}): this {
    const f = readOptions('fitPartial', features, FEATURE_KEYS, { name: 'features' });
    const userFeatures = f.get('userFeatures');
    const itemFeatures = f.get('itemFeatures');
    const users0 = this.#users.checkpoint();
    const items0 = this.#items.checkpoint();
    try {
      if (users != null) this.#users.addIds('users', users);
      if (items != null) this.#items.addIds('items', items);
      if (userFeatures != null) this.#users.addFeatureNames('userFeatures', userFeatures);
      if (itemFeatures != null) this.#items.addFeatureNames('itemFeatures', itemFeatures);
    } catch (err) {
      this.#users.rollback(users0);
      this.#items.rollback(items0);
      throw err;
    }
    return this;
  }

  /**
   * Builds the `users x items` interactions matrix and its weights in one pass.
   *
   * Duplicate `(user, item)` pairs are kept as separate entries, in input order, in both
   * matrices (LightFM's rule: each is its own training example; `toCsr()` sums them). The
   * two matrices have identical coordinates in identical order and share their `row` and
   * `col` arrays, so `weights` can be passed as `sampleWeight` directly.
   *
   * @param data `[user, item]` or `[user, item, weight]` tuples (any iterable, e.g. a
   *   generator), or columns `{ users, items, weights? }` (fastest for big data)
   * @returns `interactions` (value 1 per entry) and `weights` (the given weight, default 1)
   * @throws LightFMError `ERR_INVALID_ARG` for a malformed tuple, a non-number weight, or an
   *   id that was never fitted (the message names it); `ERR_NOT_FINITE` for NaN or infinite weights
   * @example
   * ```ts
   * const { interactions, weights } = dataset.buildInteractions([['alice', 'i1', 4], ['bob', 'i2', 1]]);
   * ```
   */
  buildInteractions(data: Iterable<Interaction> | InteractionColumns): BuiltInteractions {
    return buildInteractions(this.#users, this.#items, data);
  }

  /**
   * Builds the `users x userFeatureColumns` matrix. With identity features on, every
   * mapped user has its identity column set to 1, whether or not it appears in `data`.
   * Repeated `(user, feature)` pairs are summed.
   *
   * With `normalize`, each row is divided by the sum of its absolute values (l1, so
   * non-negative rows sum to 1; identity plus one feature gives 0.5 / 0.5). A row whose
   * sum is zero (no features, or only zero weights) cannot be normalised and throws.
   *
   * @param data `[userId, features]` where features is an array of names (weight 1), a
   *   `Map` of name to weight, or an object of name to weight
   * @param normalize l1-normalise each row @default true
   * @returns a CSR matrix of shape `userFeaturesShape()`
   * @throws LightFMError `ERR_INVALID_ARG` for a malformed row, an unknown user or feature
   *   name, or a row with zero sum when normalising
   * @example
   * ```ts
   * const userFeatures = dataset.buildUserFeatures([['alice', { 'age:30s': 1, 'country:NO': 0.5 }]]);
   * ```
   */
  buildUserFeatures(data: Iterable<FeatureRow>, normalize = true): CsrMatrix {
    return buildFeatures(this.#users, data, normalize, 'buildUserFeatures');
  }

  /**
   * Builds the `items x itemFeatureColumns` matrix; see `buildUserFeatures` for the rules.
   *
   * @param data `[itemId, features]` rows
   * @param normalize l1-normalise each row @default true
   * @returns a CSR matrix of shape `itemFeaturesShape()`
   * @throws LightFMError `ERR_INVALID_ARG` as `buildUserFeatures`
   * @example
   * ```ts
   * const itemFeatures = dataset.buildItemFeatures([['i1', ['genre:drama', 'genre:crime']]], false);
   * ```
   */
  buildItemFeatures(data: Iterable<FeatureRow>, normalize = true): CsrMatrix {
    return buildFeatures(this.#items, data, normalize, 'buildItemFeatures');
  }

  /**
   * The id and feature maps as live read-only views (no copy).
   *
   * @example
   * ```ts
   * const { userIdMap, itemFeatureMap } = dataset.mapping();
   * const row = userIdMap.get('alice');
   * ```
   */
  mapping(): DatasetMapping {
    const views = (side: () => SideMapping) => ({
      ids: new MapView(() => side().ids),
      names: new MapView(() => side().names),
      identity: new ComposedView(() => {
        const s = side();
        const outer = s.identityColumns();
        return outer === null ? null : { inner: s.ids, outer };
      }),
    });
    const users = views(() => this.#users);
    const items = views(() => this.#items);
    return {
      userIdMap: users.ids,
      userFeatureMap: users.names,
      userIdentityMap: users.identity,
      itemIdMap: items.ids,
      itemFeatureMap: items.names,
      itemIdentityMap: items.identity,
    };
  }

  /**
   * User ids by row (a copy): `userIds()[row]` is the id of that row.
   * @example
   * ```ts
   * const ids = dataset.userIds();
   * const topUser = ids[0];
   * ```
   */
  userIds(): Id[] {
    return this.#users.ids.keys();
  }

  /** Item ids by column of the interactions (a copy). */
  itemIds(): Id[] {
    return this.#items.ids.keys();
  }

  /**
   * The row of a user id.
   * @throws LightFMError `ERR_INVALID_ARG` when the id is not mapped
   * @example
   * ```ts
   * const scores = model.predict(dataset.userIndex('alice'), [0, 1, 2]);
   * ```
   */
  userIndex(id: Id): number {
    return this.#users.row(id);
  }

  /**
   * The row of an item id (its column in the interactions).
   * @throws LightFMError `ERR_INVALID_ARG` when the id is not mapped
   */
  itemIndex(id: Id): number {
    return this.#items.row(id);
  }

  /** `[users, items]`: the shape `buildInteractions` produces. */
  interactionsShape(): Shape {
    return [this.#users.rows, this.#items.rows];
  }

  /** `[users, userFeatureColumns]`: the shape `buildUserFeatures` produces. */
  userFeaturesShape(): Shape {
    return this.#shape('user');
  }

  /** `[items, itemFeatureColumns]`: the shape `buildItemFeatures` produces. */
  itemFeaturesShape(): Shape {
    return this.#shape('item');
  }

  /**
   * `[userFeatureColumns, itemFeatureColumns]`: the embedding tables a model trained on this
   * dataset's feature matrices has (identity columns included).
   * @example
   * ```ts
   * const [userColumns, itemColumns] = dataset.modelDimensions();
   * ```
   */
  modelDimensions(): Shape {
    return [this.#users.columns, this.#items.columns];
  }

  /**
   * The whole dataset as plain JSON data, lossless: every user and item id (strings and
   * numbers keep their type) with its row, every feature name with its column, and which
   * sides have identity features. `Dataset.fromJSON` reads it back into a dataset that maps
   * and builds exactly the same. `JSON.stringify(dataset)` calls it.
   *
   * Store it with the model it was trained for, so the served model can be called by your
   * ids (see the example).
   *
   * @returns a new object, not shared with the dataset
   * @throws LightFMError `ERR_INVALID_ARG` for an id or feature name that is an infinite
   *   number (JSON cannot store it)
   * @example
   * ```ts
   * model.mappings = dataset.toJSON();
   * await model.save('model.lightfm');
   * // later, in the server:
   * const loaded = await LightFM.load('model.lightfm');
   * const served = Dataset.fromJSON(loaded.mappings);
   * const top = loaded.recommend(served.userIndex('alice'), { k: 10 });
   * ```
   */
  toJSON(): DatasetJSON {
    return { format: DATASET_FORMAT, version: DATASET_VERSION, users: sideToJSON(this.#users), items: sideToJSON(this.#items) };
  }

  /**
   * A dataset from what `toJSON` returned: the object itself, a copy of it (e.g. a loaded
   * model's `mappings`) or its JSON text. Every field is checked before it is used.
   *
   * @param json the object `toJSON` returned, or `JSON.stringify` of it
   * @returns a new dataset that maps and builds exactly as the saved one did
   * @throws LightFMError `ERR_INVALID_ARG` when `json` is not a dataset's JSON (no
   *   `format: 'lightfm-ts/dataset'`); `ERR_CORRUPT_FILE` naming the first bad field (e.g.
   *   `json.users.ids[3]`), for text that is not JSON, or for a newer format version
   * @example
   * ```ts
   * const dataset = Dataset.fromJSON((await LightFM.load('model.lightfm')).mappings);
   * ```
   */
  static fromJSON(json: unknown): Dataset {
    const { users, items } = datasetFromJSON(json);
    const dataset = new Dataset({ userIdentityFeatures: users.hasIdentity, itemIdentityFeatures: items.hasIdentity });
    dataset.#users = users;
    dataset.#items = items;
    return dataset;
  }

  #shape(side: SideName): Shape {
    const s = side === 'user' ? this.#users : this.#items;
    return [s.rows, s.columns];
  }
}
