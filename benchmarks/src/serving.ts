// Serving at catalogue scale (`pnpm bench:serving`): the approximate index against the exact
// `recommend` on a model with planted structure (planted-model.ts). Reports recall@k of the
// index against exact results (with and without exclusions), batched users/s, single-user
// p50/p99 latency, build time and peak memory, as a markdown table.
//
// By default it builds the release addon (as `pnpm bench` does) and runs against it in a
// child process; `--skip-build` reuses benchmarks/.cache/lightfm.node, and with
// NAPI_RS_NATIVE_LIBRARY_PATH set it runs on that addon directly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CsrMatrix, type LightFM, type TopItems } from '@lightfm-ts/core';
import { positive } from './options.js';
import { plantedModel } from './planted-model.js';
import { buildReleaseAddon } from './setup.js';

const USAGE = `pnpm bench:serving -- [options]

  --items N             catalogue size (default 1000000)
  --users N             users in the model and in the batched run (default 10000)
  --components N        embedding size (default 64: vectors of 66 floats)
  --threads N           threads for the build and the batched queries (default 2)
  --k N                 items per list (default 10)
  --ef LIST             search breadths to measure (default 64,96,128; 96 is the index's default)
  --m N, --ef-construction N   build settings (default: the index's defaults)
  --exact-users N       users ranked exactly for the recall reference (default 1000)
  --single N            single-user queries timed for p50/p99 (default 2000)
  --skip-build          reuse the release addon in benchmarks/.cache
  --out FILE            also write the table to FILE`;

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = resolve(here, '..');
const cacheDir = join(benchDir, '.cache');

/** Resets this process's peak RSS (Linux), so a later VmHWM reading is the phase's peak. */
function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: peaks then cover the whole run.
  }
}

function statusMiB(field: 'VmHWM' | 'VmRSS'): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    if (line) return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

function seconds<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** Share of the exact rows' items the approximate rows hold. */
function recall(approx: TopItems, exact: TopItems): number {
  let [hit, total] = [0, 0];
  for (let r = 0; r < exact.items.length / exact.k; r++) {
    const got = new Set(approx.items.subarray(r * approx.k, (r + 1) * approx.k));
    for (const id of exact.items.subarray(r * exact.k, (r + 1) * exact.k)) {
      if (id < 0) continue;
      total++;
      if (got.has(id)) hit++;
    }
  }
  return hit / total;
}

/** The sampled users' exact top items as a (every user) x item matrix: exclusions that remove the best answers. */
function topAsExclusions(top: TopItems, sample: number[], users: number, items: number): CsrMatrix {
  const indptr = new Int32Array(users + 1);
  sample.forEach((u) => (indptr[u + 1] = top.k));
  for (let u = 0; u < users; u++) indptr[u + 1] = (indptr[u + 1] as number) + (indptr[u] as number);
  const indices = new Int32Array(top.items.length);
  sample.forEach((u, r) => indices.set(top.items.subarray(r * top.k, (r + 1) * top.k).slice().sort(), indptr[u]));
  return new CsrMatrix(indptr, indices, new Float32Array(indices.length).fill(1), [users, items]);
}

interface Latency {
  p50: number;
  p99: number;
  /** CPU time of the 99th percentile query (the process's; only the querying thread works then). */
  cpuP99: number;
}

/** Wall and CPU time percentiles of `count` single-user queries (CPU time shows how much of the wall time is the machine's other work). */
function singleUser(users: number, count: number, query: (u: number) => unknown): Latency {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let q = 0; q < count; q++) {
    const u = (q * 7919) % users;
    const before = process.cpuUsage();
    wall.push(seconds(() => query(u))[1] * 1000);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  const sorted = (v: number[]) => v.sort((a, b) => a - b);
  const [w, c] = [sorted(wall), sorted(cpu)];
  return { p50: percentile(w, 0.5), p99: percentile(w, 0.99), cpuP99: percentile(c, 0.99) };
}

interface Row {
  what: string;
  recall: string;
  recallExcluding: string;
  usersPerSecond: number;
  latency: Latency;
  build: string;
  memory: string;
}

async function measure(values: Record<string, string | boolean | undefined>): Promise<string> {
  const n = (name: string, fallback: number) => positive(name, values[name] as string | undefined, fallback);
  const [items, users, components, threads, k] = [n('items', 1_000_000), n('users', 10_000), n('components', 64), n('threads', 2), n('k', 10)];
  const [exactUsers, single] = [Math.min(n('exact-users', 1000), users), n('single', 2000)];
  const model: LightFM = plantedModel({ users, items, components, clusters: Math.max(16, Math.round(items / 1000)), seed: 7 });
  const sample = Array.from({ length: exactUsers }, (_, i) => Math.floor((i * users) / exactUsers));
  const all = Array.from({ length: users }, (_, i) => i);

  const [exact, exactSeconds] = seconds(() => model.recommend(sample, { k, numThreads: threads }));
  // Exclusions that remove each sampled user's best 2k items: the search must go past them.
  const seen = topAsExclusions(model.recommend(sample, { k: 2 * k, numThreads: threads }), sample, users, items);
  const exactExcluding = model.recommend(sample, { k, exclude: seen, numThreads: threads });
  const exactLatency = singleUser(users, Math.min(single, 50), (u) => model.recommend(u, { k }));
  const rows: Row[] = [
    {
      what: 'exact recommend',
      recall: '1 (reference)',
      recallExcluding: '1 (reference)',
      usersPerSecond: exactUsers / exactSeconds,
      latency: exactLatency,
      build: '-',
      memory: '-',
    },
  ];

  resetPeak();
  const before = statusMiB('VmRSS');
  const m = values.m === undefined ? undefined : n('m', 16);
  const efConstruction = values['ef-construction'] === undefined ? undefined : n('ef-construction', 128);
  const built = process.hrtime.bigint();
  const index = await model.buildIndex({ numThreads: threads, ...(m && { m }), ...(efConstruction && { efConstruction }) });
  const buildSeconds = Number(process.hrtime.bigint() - built) / 1e9;
  const peak = statusMiB('VmHWM') - before;
  const efs = ((values.ef as string | undefined) ?? '64,96,128').split(',').map((v) => positive('ef', v, 1));
  for (const ef of efs) {
    const [batched, batchSeconds] = seconds(() => index.recommend(all, { k, ef, numThreads: threads }));
    const sampled = Int32Array.from(sample.flatMap((u) => Array.from(batched.items.subarray(u * k, (u + 1) * k))));
    const approx = { items: sampled, scores: new Float32Array(0), k };
    const excluding = index.recommend(sample, { k, ef, exclude: seen, numThreads: threads });
    rows.push({
      what: `index, ef ${ef}`,
      recall: recall(approx, exact).toFixed(4),
      recallExcluding: recall(excluding, exactExcluding).toFixed(4),
      usersPerSecond: users / batchSeconds,
      latency: singleUser(users, single, (u) => index.recommend(u, { k, ef })),
      build: `${buildSeconds.toFixed(1)} s (m ${index.m}, efConstruction ${index.efConstruction})`,
      memory: `${(index.bytes / 2 ** 20).toFixed(0)} MiB held, peak +${peak.toFixed(0)} MiB`,
    });
  }
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return [
    `Serving ${items.toLocaleString('en')} items (${components} components, vectors of ${index.dim} floats), ${users.toLocaleString('en')} users, k = ${k}, ${threads} threads; load average ${load}`,
    '',
    '| method | recall@k | recall@k, top-2k excluded | users/s batched | p50 single user | p99 single user (CPU time) | build | memory |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.what} | ${r.recall} | ${r.recallExcluding} | ${Math.round(r.usersPerSecond).toLocaleString('en')} | ${r.latency.p50.toFixed(3)} ms | ${r.latency.p99.toFixed(3)} ms (${r.latency.cpuP99.toFixed(3)} ms) | ${r.build} | ${r.memory} |`),
    '',
    `Exact batched users/s from ${exactUsers} users, exact single-user latency from ${Math.min(single, 50)} users; recall over ${exactUsers} users; exclusions: each user's exact top ${2 * k}.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const { values } = parseArgs({
    args,
    options: {
      items: { type: 'string' }, users: { type: 'string' }, components: { type: 'string' }, threads: { type: 'string' },
      k: { type: 'string' }, ef: { type: 'string' }, m: { type: 'string' }, 'ef-construction': { type: 'string' },
      'exact-users': { type: 'string' }, single: { type: 'string' }, out: { type: 'string' },
      'skip-build': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (!process.env.NAPI_RS_NATIVE_LIBRARY_PATH) {
    const cached = join(cacheDir, 'lightfm.node');
    const repo = resolve(benchDir, '..');
    const addon = values['skip-build'] && existsSync(cached) ? cached : buildReleaseAddon(repo, cacheDir, join(cacheDir, 'logs'));
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { stdio: 'inherit', env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: addon } });
    process.exit(child.status ?? 1);
  }
  const table = await measure(values);
  console.log(table);
  if (values.out) writeFileSync(values.out, `${table}\n`);
}

await main();
