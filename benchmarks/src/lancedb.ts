// LanceDB serving at catalogue scale (`pnpm bench:lancedb`): a planted-structure hybrid model
// (catalogue.ts), its items written with @lightfm-ts/lancedb's writeItems (IVF_FLAT above 20k
// rows), then recall@10 against exact `recommend`, users/s batched, single-user p50/p99, build
// time and peak memory, for a few nprobes values.
//
//   pnpm bench:lancedb [-- --items 1000000 --users 1000 --threads 2 --nprobes 20,50,100 --dir DIR]
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LanceItems, writeItems } from '@lightfm-ts/lancedb';
import { plantedCatalogue } from './catalogue.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '1000' },
    threads: { type: 'string', default: '2' },
    components: { type: 'string', default: '64' },
    nprobes: { type: 'string', default: '' },
    dir: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'lancedb') },
  },
});
const items = Number(values.items);
const queryUsers = Number(values.users);
const threads = Number(values.threads);
const dir = resolve(values.dir);
const K = 10;
const rssMiB = () => process.resourceUsage().maxRSS / 1024;
const log = (line: string) => console.log(`${line}  [load ${loadavg()[0]?.toFixed(1)}]`);

log(`catalogue: ${items} items, ${queryUsers} query users, ${values.components} components, ${threads} threads`);
const { model, itemFeatures, train, trainSeconds } = await plantedCatalogue({ items, users: Math.max(queryUsers, 10_000), components: Number(values.components), threads, seed: 42 });
log(`trained in ${trainSeconds.toFixed(1)} s; peak RSS ${rssMiB().toFixed(0)} MiB`);
const users = Array.from({ length: queryUsers }, (_, u) => u);

let t = performance.now();
const exact = model.recommend(users, { k: K, exclude: train, itemFeatures, numThreads: threads });
const exactSeconds = (performance.now() - t) / 1000;
log(`exact recommend: ${(queryUsers / exactSeconds).toFixed(0)} users/s batched`);

rmSync(dir, { recursive: true, force: true });
const rssBefore = rssMiB();
t = performance.now();
const written = await writeItems(model, { uri: dir, itemFeatures, numThreads: threads });
const buildSeconds = (performance.now() - t) / 1000;
log(`writeItems: ${written.rows} rows, indexed ${written.indexed}, ${buildSeconds.toFixed(1)} s (export, write, index); peak RSS ${rssMiB().toFixed(0)} MiB (before ${rssBefore.toFixed(0)})`);

const store = await LanceItems.open(model, { uri: dir });
const probes = values.nprobes ? values.nprobes.split(',').map(Number) : [undefined];
const rows = ['| nprobes | recall@10 | users/s batched | p50 single user | p99 single user |', '| --- | --- | --- | --- | --- |'];
for (const nprobes of probes) {
  const options = { k: K, exclude: train, nprobes };
  t = performance.now();
  const top = await store.recommend(users, options);
  const batched = queryUsers / ((performance.now() - t) / 1000);
  let hits = 0;
  for (let u = 0; u < queryUsers; u++) {
    const truth = new Set(exact.items.subarray(u * exact.k, (u + 1) * exact.k));
    for (const id of top.items.slice(u * top.k, (u + 1) * top.k)) if (truth.has(id as number)) hits++;
  }
  const latencies: number[] = [];
  for (const u of users.slice(0, 200)) {
    const s = performance.now();
    await store.recommend(u, options);
    latencies.push(performance.now() - s);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] as number).toFixed(1);
  rows.push(`| ${nprobes ?? 'default'} | ${(hits / (queryUsers * K)).toFixed(3)} | ${batched.toFixed(0)} | ${at(0.5)} ms | ${at(0.99)} ms |`);
  log(rows.at(-1) as string);
}
store.close();
console.log(`\n${items} items, dim ${Number(values.components) + 2}; exact recommend ${(queryUsers / exactSeconds).toFixed(0)} users/s (${threads} threads); LanceDB build ${buildSeconds.toFixed(1)} s, peak RSS ${rssMiB().toFixed(0)} MiB\n`);
console.log(rows.join('\n'));
