// One case of the ingestion benchmark (ingest.ts runs it under /usr/bin/time -v): prints
// `{ rows, seconds }` as JSON on its last line.
//
//   node ingest-case.js csv|parquet|js-dataset|train FILE ROWS THREADS
//
// `train` goes from the file to a served answer: readInteractions, one epoch of BPR, the first
// lookup of a user by external id (which indexes every id), recommend, and prints each step.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Dataset, LightFM, readInteractions } from '@lightfm-ts/core';

const [name, file, limit, threads] = process.argv.slice(2) as [string, string, string, string];

/** The generated files' columns (crates/lightfm-io/examples/ingest_data.rs). */
const READ = { user: 'user_id', item: 'item_id', weight: 'rating', timestamp: 'ts', numThreads: Number(threads) };

async function viaReader(): Promise<number> {
  const { interactions } = await readInteractions(file, READ);
  return interactions.nnz;
}

/** The JavaScript path: split lines, then Dataset.fit and buildInteractions on columns. */
async function viaDataset(): Promise<number> {
  const n = Number(limit);
  const users = new Array<string>(n);
  const items = new Array<string>(n);
  const weights = new Float32Array(n);
  let k = -1;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (k >= 0) {
      const [u, i, w] = line.split(',');
      users[k] = u as string;
      items[k] = i as string;
      weights[k] = Number(w);
    }
    if (++k === n) break;
  }
  const dataset = new Dataset().fit(users, items);
  return dataset.buildInteractions({ users, items, weights }).interactions.nnz;
}

/** File to recommendation by external id, each step timed on stderr. */
async function trainAndRecommend(): Promise<number> {
  let t = performance.now();
  const step = (what: string) => {
    console.error(`${what}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
    t = performance.now();
  };
  const { dataset, interactions } = await readInteractions(file, READ);
  step(`readInteractions (${interactions.nnz} entries, ${dataset.interactionsShape().join(' x ')})`);
  const model = await new LightFM({ loss: 'bpr', noComponents: 64, randomState: 1 }).fit(interactions, { epochs: 1, numThreads: Number(threads) });
  step('fit, one epoch of bpr');
  const user = dataset.userIds()[0] as string;
  const row = dataset.userIndex(user);
  step(`first lookup by external id (${user})`);
  const top = model.recommend(row, { k: 10 });
  const itemIds = dataset.itemIds();
  step(`recommend: ${Array.from(top.items, (i) => itemIds[i]).join(' ')}`);
  return interactions.nnz;
}

const started = performance.now();
const cases: Record<string, () => Promise<number>> = { 'js-dataset': viaDataset, train: trainAndRecommend };
const rows = await (cases[name] ?? viaReader)();
console.log(JSON.stringify({ rows, seconds: (performance.now() - started) / 1000 }));
