// Wide versus long feature tables (issue 23): readFeatures on a wide CSV of items (a genre, 1-3
// `|`-separated tags, two numbers) and on the long CSV it stands for (one `item,feature,weight`
// row per feature), best of `--repeat` runs each, in this process.
//
//   pnpm bench:ingest-wide [--items 1000000] [--threads 2] [--repeat 3]
//
// The files are generated once into benchmarks/.cache/ingest-wide (gitignored). Run it on a
// quiet machine; the load average is printed with the numbers.
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Dataset, type ReadFeaturesOptions, readFeatures } from '@lightfm-ts/core';

const here = dirname(fileURLToPath(import.meta.url));
const cache = join(resolve(here, '..', '..'), 'benchmarks', '.cache', 'ingest-wide');

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    threads: { type: 'string', default: '2' },
    repeat: { type: 'string', default: '3' },
  },
});
const items = Number(args.items);

/** Writes `lines` to `path` with back-pressure. */
async function write(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Item `k`'s attributes, the same for both files. */
function item(k: number) {
  const tags = Array.from({ length: 1 + (k % 3) }, (_, t) => `t${(k * 7 + t * 13) % 100}`);
  return { id: `i${k}`, genre: `g${k % 20}`, tags, year: ((k * 31) % 50) / 50, pop: ((k * 17) % 1000) / 1000 };
}

function* wideLines() {
  yield 'item_id,genre,tags,year,pop\n';
  for (let k = 0; k < items; k++) {
    const i = item(k);
    yield `${i.id},${i.genre},${i.tags.join('|')},${i.year},${i.pop}\n`;
  }
}

function* longLines() {
  yield 'item_id,feature,weight\n';
  for (let k = 0; k < items; k++) {
    const i = item(k);
    yield `${i.id},genre:${i.genre},1\n${i.tags.map((t) => `${i.id},tags:${t},1\n`).join('')}${i.id},year,${i.year}\n${i.id},pop,${i.pop}\n`;
  }
}

async function files(): Promise<{ wide: string; long: string }> {
  mkdirSync(cache, { recursive: true });
  const wide = join(cache, `wide-${items}.csv`);
  const long = join(cache, `long-${items}.csv`);
  if (!existsSync(wide)) await write(wide, wideLines());
  if (!existsSync(long)) await write(long, longLines());
  return { wide, long };
}

const ids = Array.from({ length: items }, (_, k) => `i${k}`);
const numThreads = Number(args.threads);

/** Best time of `repeat` reads, each into a fresh dataset; and the matrix's stored entries. */
async function best(path: string, options: ReadFeaturesOptions): Promise<{ seconds: number; nnz: number }> {
  let seconds = Infinity;
  let nnz = 0;
  for (let r = 0; r < Number(args.repeat); r++) {
    const dataset = new Dataset({ itemIdentityFeatures: false }).fit(['u'], ids);
    const started = performance.now();
    const m = await readFeatures(path, dataset, options);
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
    nnz = m.nnz;
  }
  return { seconds, nnz };
}

const { wide, long } = await files();
const load = loadavg()[0]?.toFixed(2);
const results = [
  { case: 'wide', ...(await best(wide, { side: 'item', layout: 'wide', id: 'item_id', categorical: ['genre', 'tags'], numeric: ['year', 'pop'], separator: '|', numThreads })) },
  { case: 'long', ...(await best(long, { side: 'item', id: 'item_id', feature: 'feature', weight: 'weight', numThreads })) },
];
console.log(`\nreadFeatures, ${items.toLocaleString('en-US')} items, ${numThreads} threads, best of ${args.repeat}, load average before: ${load}\n`);
console.log('| layout | entries | seconds | entries/s |');
console.log('| --- | ---: | ---: | ---: |');
for (const m of results) {
  console.log(`| ${m.case} | ${m.nnz.toLocaleString('en-US')} | ${m.seconds.toFixed(2)} | ${Math.round(m.nnz / m.seconds).toLocaleString('en-US')} |`);
}
