// Every options object of the public API is read by one rule: only known keys, so a
// misspelled or foreign key (LightFM's snake_case names) is ERR_INVALID_ARG naming it and the
// intended key, never silently ignored. The table below must cover every function the
// compiler sees taking an options object.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optionTakers } from '@lightfm-ts/test-utils/api-surface';
import { CooMatrix, Dataset, LightFM, leaveKOutSplit, randomTrainTestSplit, readFeatures, readInteractions, temporalSplit, writeEmbeddings } from '../src/index.js';
import { METRICS, type MetricName } from '../src/metric-names.js';
import { intendedKey } from '../src/option-names.js';
import { rejected } from './errors.js';
import { randomInteractions } from './helpers.js';

const train = randomInteractions(20, 30, 120, 3);
const test = randomInteractions(20, 30, 40, 5);
const times = Float64Array.from({ length: train.nnz }, (_, k) => k);
const fitted = () => new LightFM({ randomState: 1 }).fitSync(train);
const model = fitted();
const dataset = () => new Dataset().fit(['a'], ['x']);

type Call = (options: never) => unknown;

/** Each function taking options: a call with them, and a foreign key with the key it means. */
const CALLS: Record<string, [call: Call, wrong: string, meant: string]> = {
  'new LightFM': [(o) => new LightFM(o), 'no_components', 'noComponents'],
  'LightFM#setParams': [(o) => new LightFM().setParams(o), 'learning_rate', 'learningRate'],
  'LightFM#fit': [(o) => new LightFM().fit(train, o), 'item_features', 'itemFeatures'],
  'LightFM#fitPartial': [(o) => new LightFM().fitPartial(train, o), 'sample_weight', 'sampleWeight'],
  'LightFM#fitSync': [(o) => new LightFM().fitSync(train, o), 'epoch', 'epochs'],
  'LightFM#fitPartialSync': [(o) => new LightFM().fitPartialSync(train, o), 'num_threads', 'numThreads'],
  'LightFM#predict': [(o) => model.predict(0, [0, 1], o), 'user_features', 'userFeatures'],
  'LightFM#predictRank': [(o) => model.predictRank(test, o), 'train_interactions', 'trainInteractions'],
  'LightFM#recommend': [(o) => model.recommend([0], o), 'excludes', 'exclude'],
  'LightFM#similarItems': [(o) => model.similarItems(0, o), 'item_features', 'itemFeatures'],
  'LightFM#similarUsers': [(o) => model.similarUsers(0, o), 'K', 'k'],
  'LightFM#exportEmbeddings': [(o) => model.exportEmbeddings(o), 'item_ids', 'itemIds'],
  'LightFM#resize': [(o) => fitted().resize(o), 'users', 'userFeatures'],
  'LightFM#buildIndex': [(o) => model.buildIndex(o), 'ef_construction', 'efConstruction'],
  'ItemIndex#recommend': [(o) => model.buildIndex().then((index) => index.recommend([0], o)), 'excludes', 'exclude'],
  'ItemIndex#similarItems': [(o) => model.buildIndex().then((index) => index.similarItems(0, o)), 'num_threads', 'numThreads'],
  'new Dataset': [(o) => new Dataset(o), 'user_identity_features', 'userIdentityFeatures'],
  'Dataset#fit': [(o) => new Dataset().fit(['a'], ['x'], o), 'item_features', 'itemFeatures'],
  'Dataset#fitPartial': [(o) => dataset().fitPartial(['b'], null, o), 'user-features', 'userFeatures'],
  randomTrainTestSplit: [(o) => randomTrainTestSplit(train, o), 'test_percentage', 'testPercentage'],
  leaveKOutSplit: [(o) => leaveKOutSplit(train, o), 'random_state', 'randomState'],
  temporalSplit: [(o) => temporalSplit(train, times, o), 'per_user', 'perUser'],
  readInteractions: [(o) => readInteractions('ratings.csv', o), 'skip_invalid', 'skipInvalid'],
  readFeatures: [(o) => readFeatures('features.csv', dataset(), o), 'num_threads', 'numThreads'],
  writeEmbeddings: [(o) => writeEmbeddings('items.parquet', { ids: [], vectors: new Float32Array(0), dim: 1 }, o), 'fromat', 'format'],
};

/** Functions with an object parameter that is not options, and why. */
const NOT_OPTIONS: Record<string, string> = {
  'Dataset#buildInteractions': 'data columns, which may carry other columns; only a misspelt one is refused (tested below)',
  'new LightFMError': "Error's own `{ cause }`, read as Error reads it",
  'CooMatrix.fromNative': 'the native binding hands it over; users build matrices with the constructor',
  'CsrMatrix.fromNative': 'the native binding hands it over',
};

describe('unknown option keys', () => {
  it('the table covers every exported function that takes an options object', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    expect([...Object.keys(CALLS), ...Object.keys(NOT_OPTIONS)].sort()).toEqual(optionTakers(entry));
  });

  it.each(Object.entries(CALLS))('%s refuses an unknown key, naming it', async (_name, [call]) => {
    const e = await rejected(() => call({ bogus: 1 } as never));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toMatch(/unknown (option|key) 'bogus'/);
    expect(e.message).not.toMatch(/did you mean/);
  });

  it.each(Object.entries(CALLS))('%s names the intended key of a foreign one', async (_name, [call, wrong, meant]) => {
    const e = await rejected(() => call({ [wrong]: 1 } as never));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toContain(`'${wrong}'`);
    expect(e.message).toContain(`did you mean '${meant}'?`);
  });

  it("refuses the issue's examples with the fix", async () => {
    const itemFeatures = CooMatrix.fromTriplets([0], [0], [1], [30, 1]);
    expect((await rejected(() => new LightFM().fit(train, { item_features: itemFeatures } as never))).message).toBe(
      "fit(): unknown option 'item_features'; did you mean 'itemFeatures'? (the options are userFeatures, itemFeatures, sampleWeight, epochs, numThreads, signal, onEpoch, validation, progress)",
    );
    expect((await rejected(() => model.recommend([0], { excludes: train } as never))).message).toMatch(/did you mean 'exclude'\?/);
    expect((await rejected(() => new LightFM().fit(train, { epoch: 5 } as never))).message).toMatch(/did you mean 'epochs'\?/);
    expect((await rejected(() => fitted().resize({ users: 100 } as never))).message).toMatch(/did you mean 'userFeatures'\?/);
    expect((await rejected(() => randomTrainTestSplit(train, { test_percentage: 0.5 } as never))).message).toMatch(/did you mean 'testPercentage'\?/);
  });

  it('checks nested options by the same rule, naming the path', async () => {
    const e = await rejected(() => new LightFM().fit(train, { validation: { interactions: test, metirc: 'auc' } } as never));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toBe(
      "fit(): unknown option 'validation.metirc'; did you mean 'validation.metric'? (the options of validation are interactions, metric, k, patience, restoreBest, trainInteractions, checkIntersections)",
    );
    const wrongType = await rejected(() => new LightFM().fitSync(train, { validation: { interactions: test, k: 0 } }));
    expect(wrongType.message).toBe('fitSync(): options.validation.k must be an integer >= 1, got 0');
    expect((await rejected(() => new LightFM().fit(train, { validation: 5 } as never))).message).toBe('fit(): options.validation must be an object, got 5');
  });

  it('names what LightFM and similar libraries call an option', async () => {
    const meant = async (f: () => unknown) => /did you mean '(\w+)'/.exec((await rejected(f)).message)?.[1];
    expect(await meant(() => new LightFM({ seed: 1 } as never))).toBe('randomState');
    expect(await meant(() => new LightFM().fitSync(train, { verbose: true } as never))).toBe('progress');
    expect(await meant(() => new LightFM().fitSync(train, { n_iter: 3 } as never))).toBe('epochs');
    expect(await meant(() => model.recommend(0, { N: 3 } as never))).toBe('k');
  });

  it('buildInteractions takes other columns along but refuses a misspelt one', async () => {
    const columns = { users: ['a', 'a'], items: ['x', 'x'], times: [1, 2] };
    expect(dataset().buildInteractions(columns).interactions.nnz).toBe(2);
    const e = await rejected(() => dataset().buildInteractions({ ...columns, weight: [2, 3] } as never));
    expect(e.message).toBe("buildInteractions: unknown key 'weight' in columns; did you mean 'weights'? (the keys are users, items, weights)");
  });

  it('treats known keys holding undefined as absent, and ignores symbol keys', () => {
    expect(model.recommend(0, { k: undefined, exclude: undefined })).toEqual(model.recommend(0));
    const tagged = { epochs: undefined, validation: undefined, [Symbol('tag')]: true };
    expect(new LightFM({ randomState: 2 }).fitSync(train, tagged).getState('item')).toEqual(new LightFM({ randomState: 2 }).fitSync(train).getState('item'));
    // A null-prototype object is a plain object.
    expect(model.recommend(0, Object.assign(Object.create(null) as object, { k: 2 })).k).toBe(2);
  });

  it('refuses options that are not a plain object', async () => {
    for (const [f, message] of [
      [() => new LightFM().fit(train, 5 as never), 'fit(): options must be an object, got 5'],
      [() => model.predict(0, [0], null as never), 'predict(): options must be an object, got null'],
      [() => model.recommend(0, [] as never), 'recommend(): options must be an object, got an array of length 0'],
      [() => new LightFM().fit(train, train as never), /^fit\(\): options must be a plain object with the keys userFeatures, .*, got CooMatrix$/],
      // Settings a Map or class instance holds are invisible to the key check: refused too.
      [() => model.recommend(0, new Map([['k', 5]]) as never), /^recommend\(\): options must be a plain object with the keys k, .*, got Map$/],
      [() => model.predict(0, [0], new (class Settings {})() as never), /^predict\(\): options must be a plain object .*, got Settings$/],
      [() => new LightFM(new Date() as never), /^new LightFM\(\): options must be a plain object .*, got Date$/],
    ] as const) {
      const e = await rejected(f);
      expect(e.code).toBe('ERR_INVALID_ARG');
      expect(e.message).toMatch(message);
    }
  });
});

describe('option values are read once', () => {
  /** An options object whose `key` getter gives `first`, then `later` on every other read. */
  const fickle = (key: string, first: unknown, later: unknown) => {
    let reads = 0;
    const o = Object.defineProperty({}, key, { enumerable: true, get: () => (reads++ === 0 ? first : later) });
    return { o, reads: () => reads };
  };

  it('a getter is read exactly once, so what was checked is what is used', async () => {
    const k = fickle('k', 3, 1e9);
    expect(model.recommend(0, k.o).k).toBe(3);
    expect(k.reads()).toBe(1);
    // onEpoch present when the model copy is decided, gone later: the copy must still be taken,
    // so the throwing callback leaves the model as it was.
    const before = model.getState('item');
    const epoch = fickle('onEpoch', () => { throw new Error('stop'); }, undefined);
    await expect(model.fitPartial(train, epoch.o as never)).rejects.toThrow('stop');
    expect(epoch.reads()).toBe(1);
    expect(model.getState('item')).toEqual(before);
  });
});

describe("omitted options take the core's defaults", () => {
  it('k is 10 for recommend and the similarity searches; early stopping watches auc', () => {
    expect([model.recommend(0).k, model.similarItems(0).k, model.similarUsers(0).k]).toEqual([10, 10, 10]);
    const validated = new LightFM({ randomState: 1 }).fitSync(train, { epochs: 2, validation: { interactions: test } });
    expect(validated.lastValidation?.metric).toBe('auc');
    expect(validated.lastValidation?.values).toHaveLength(2);
  });
});

describe('intendedKey', () => {
  const known = ['userFeatures', 'itemFeatures', 'epochs', 'numThreads', 'k', 'metric', 'exclude'];
  it.each([
    ['item_features', 'itemFeatures'],
    ['item-features', 'itemFeatures'],
    ['ItemFeatures', 'itemFeatures'],
    ['num_threads', 'numThreads'],
    ['epoch', 'epochs'],
    ['excludes', 'exclude'],
    ['metirc', 'metric'],
    ['K', 'k'],
    ['n_jobs', 'numThreads'],
  ])('%s -> %s', (key, meant) => {
    expect(intendedKey(key, known)).toBe(meant);
  });

  it.each(['n', 'bogus', 'users', 'metrics_list'])('%s has no intended key', (key) => {
    expect(intendedKey(key, known)).toBeUndefined();
  });

  it('prefers the call’s own aliases, and only known targets', () => {
    expect(intendedKey('users', known, { users: 'userFeatures' })).toBe('userFeatures');
    expect(intendedKey('users', known, { users: 'somethingElse' })).toBeUndefined();
    expect(intendedKey('verbose', known)).toBeUndefined();
    expect(intendedKey('verbose', [...known, 'onEpoch'])).toBe('onEpoch');
  });
});

describe('metric names', () => {
  it("the MetricName type spells exactly the core's metrics", () => {
    // A Record over the type: the compiler refuses a missing or extra name here.
    const every: Record<MetricName, true> = {
      precision: true,
      recall: true,
      auc: true,
      reciprocalRank: true,
      ndcg: true,
      map: true,
      hitRate: true,
      catalogCoverage: true,
      rmse: true,
      mae: true,
    };
    expect([...METRICS].sort()).toEqual(Object.keys(every).sort());
  });
});
