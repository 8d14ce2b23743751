// One case of the ingestion benchmark (ingest.ts runs it under /usr/bin/time -v): prints
// `{ rows, seconds }` as JSON on its last line.
//
//   node ingest-case.js csv|parquet|js-dataset FILE ROWS THREADS
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Dataset, readInteractions } from '@lightfm-ts/core';

const [name, file, limit, threads] = process.argv.slice(2) as [string, string, string, string];

async function viaReader(): Promise<number> {
  const { interactions } = await readInteractions(file, { user: 'user_id', item: 'item_id', weight: 'rating', timestamp: 'ts', numThreads: Number(threads) });
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

const started = performance.now();
const rows = name === 'js-dataset' ? await viaDataset() : await viaReader();
console.log(JSON.stringify({ rows, seconds: (performance.now() - started) / 1000 }));
