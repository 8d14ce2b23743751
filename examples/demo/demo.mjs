// pnpm demo: train a WARP model on MovieLens 100k (or a synthetic set when the data is not
// available) and print LightFM's metrics.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CooMatrix, LightFM } from '@lightfm-ts/core';

const home = process.env.LIGHTFM_DATA_HOME;
const folder = home && join(home, 'movielens100k', 'ml-100k');

function ratings(file) {
  const lines = readFileSync(join(folder, file), 'utf8').trim().split('\n');
  const rows = [], cols = [];
  for (const line of lines) {
    const [u, i, r] = line.split('\t').map(Number);
    if (r >= 4) (rows.push(u - 1), cols.push(i - 1));
  }
  return CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [943, 1682]);
}

function synthetic() {
  const rows = [], cols = [];
  let s = 7;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let u = 0; u < 1000; u++) for (let k = 0; k < 30; k++) {
    const i = rand() < 0.8 ? Math.floor(rand() * 100) * 10 + (u % 10) : Math.floor(rand() * 1000);
    rows.push(u), cols.push(i);
  }
  const all = CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [1000, 1000]).toCsr().toCoo();
  const pick = (keep) => {
    const idx = [...all.row.keys()].filter(keep);
    return CooMatrix.fromTriplets(idx.map((k) => all.row[k]), idx.map((k) => all.col[k]), idx.map(() => 1), all.shape);
  };
  return [pick((k) => k % 5 !== 0), pick((k) => k % 5 === 0)];
}

const real = folder && existsSync(join(folder, 'ua.base'));
if (!real) console.log('MovieLens 100k not found (set LIGHTFM_DATA_HOME); using a synthetic data set instead.');
const [train, test] = real ? [ratings('ua.base'), ratings('ua.test')] : synthetic();

const model = new LightFM({ loss: 'warp', noComponents: 32, randomState: 42 });
await model.fit(train, {
  epochs: 10,
  numThreads: 2,
  onEpoch: ({ epoch, epochs, seconds }) => console.log(`epoch ${epoch}/${epochs} ${(seconds * 1000).toFixed(0)} ms`),
});

function metrics(testSet, trainSet) {
  const ranks = model.predictRank(testSet, { trainInteractions: trainSet, numThreads: 2 });
  const n = testSet.shape[1];
  let auc = 0, p10 = 0, users = 0;
  for (let u = 0; u < testSet.shape[0]; u++) {
    const r = Float64Array.from(ranks.row(u).data).sort();
    if (!r.length) continue;
    const negatives = n - r.length - (trainSet ? trainSet.row(u).indices.length : 0);
    auc += r.reduce((s, x, i) => s + 1 - Math.max(0, x - i) / negatives, 0) / r.length;
    p10 += r.filter((x) => x < 10).length / 10;
    users++;
  }
  return `precision@10 ${(p10 / users).toFixed(3)}  AUC ${(auc / users).toFixed(3)}`;
}

console.log(`train: ${metrics(train.toCsr())}`);
console.log(`test:  ${metrics(test.toCsr(), train.toCsr())}`);
