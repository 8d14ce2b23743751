// Builds interactions and item features for 10M synthetic interactions (1M users, 100k
// items, 5 features per item) through Dataset and reports wall time and peak RSS.
//
//   node packages/core/bench/dataset-10m.mjs [--ids number|string] [--input tuples|columns]
//
// Needs a built package (`pnpm -F @lightfm-ts/core build`). Targets: < 10 s, < 1.5 GiB.
import { parseArgs } from 'node:util';
import { Dataset } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    ids: { type: 'string', default: 'number' },
    input: { type: 'string', default: 'tuples' },
    interactions: { type: 'string', default: '10000000' },
  },
});
const USERS = 1_000_000;
const ITEMS = 100_000;
const FEATURES = 1_000; // distinct feature names
const PER_ITEM = 5;
const N = Number(args.interactions);

// xorshift32: a fixed, fast stream so every run builds the same data.
let state = 0x9e3779b9;
const next = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
};

// String ids are made once up front, as a parser holding them would.
const userIds = args.ids === 'string' ? Array.from({ length: USERS }, (_, i) => `user-${i}`) : null;
const itemIds = args.ids === 'string' ? Array.from({ length: ITEMS }, (_, i) => `item-${i}`) : null;
const user = userIds ? (i) => userIds[i] : (i) => i;
const item = itemIds ? (i) => itemIds[i] : (i) => i;
const featureNames = Array.from({ length: FEATURES }, (_, i) => `tag:${i}`);

function* range(n, f) {
  for (let i = 0; i < n; i++) yield f(i);
}

function* interactionTuples() {
  for (let k = 0; k < N; k++) yield [user(next() % USERS), item(next() % ITEMS), (next() % 5) + 1];
}

function interactionColumns() {
  const users = userIds ? new Array(N) : new Int32Array(N);
  const items = itemIds ? new Array(N) : new Int32Array(N);
  const weights = new Float32Array(N);
  for (let k = 0; k < N; k++) {
    users[k] = user(next() % USERS);
    items[k] = item(next() % ITEMS);
    weights[k] = (next() % 5) + 1;
  }
  return { users, items, weights };
}

function* itemFeatureRows() {
  for (let i = 0; i < ITEMS; i++) yield [item(i), Array.from({ length: PER_ITEM }, () => featureNames[next() % FEATURES])];
}

const mib = (kib) => (kib / 1024).toFixed(0);
// Wall time, and CPU time (user + system) which other load on the machine inflates less.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const times = {};
const cpuTimes = {};
let t = performance.now();
let c = cpu();
const lap = (name) => {
  const now = performance.now();
  const used = cpu();
  times[name] = ((now - t) / 1000).toFixed(2);
  cpuTimes[name] = (used - c).toFixed(2);
  t = now;
  c = used;
};

const columns = args.input === 'columns' ? interactionColumns() : null;
if (columns) lap('makeColumns (input, not in total)');
const start = performance.now();
const startCpu = cpu();
t = start;
c = startCpu;
const dataset = new Dataset().fit(range(USERS, user), range(ITEMS, item), { itemFeatures: featureNames });
lap('fit');
const { interactions, weights } = dataset.buildInteractions(columns ?? interactionTuples());
lap('buildInteractions');
const itemFeatures = dataset.buildItemFeatures(itemFeatureRows());
lap('buildItemFeatures');
const total = ((performance.now() - start) / 1000).toFixed(2);
const totalCpu = (cpu() - startCpu).toFixed(2);

console.log(
  JSON.stringify(
    {
      node: process.version,
      ids: args.ids,
      input: args.input,
      interactions: interactions.nnz,
      interactionsShape: interactions.shape,
      weightsNnz: weights.nnz,
      itemFeaturesShape: itemFeatures.shape,
      itemFeaturesNnz: itemFeatures.nnz,
      seconds: { ...times, total },
      cpuSeconds: { ...cpuTimes, total: totalCpu },
      peakRssMiB: Number(mib(process.resourceUsage().maxRSS)),
    },
    null,
    2,
  ),
);
