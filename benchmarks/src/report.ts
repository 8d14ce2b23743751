// Turns worker results into markdown: medians per configuration, ratios, and the issue's
// acceptance targets with PASS / MISS.
import type { Library, RunResult } from './result.js';
import { type Check, checkTable, fixed, table } from './markdown.js';
import { mean, median } from './stats.js';

/** One (data set, loss, threads) cell with both libraries' medians. */
export interface Row {
  dataset: string;
  loss: string;
  threads: number;
  lightfm?: Summary;
  ours?: Summary;
}

/** Medians over the repetitions of one configuration of one library. */
export interface Summary {
  runs: number;
  secondsPerEpoch: number;
  /** CPU seconds (all threads) per epoch: robust to other processes taking the cores. */
  cpuSecondsPerEpoch: number;
  samplesPerSecond: number;
  auc: number;
  precisionAt10: number;
  evalSeconds: number;
  recommendSeconds: number | null;
  recommendUsers: number;
  peakRssBytes: number;
  /** RSS with the runtime and library loaded, before any data (undefined from older workers). */
  baseRssBytes: number | undefined;
  epochs: number;
}


function summarize(runs: RunResult[]): Summary {
  // Median over a run's epochs: one epoch disturbed by another process on the machine should
  // not move the figure (the same statistic for both libraries).
  const perEpoch = runs.map((r) => median(r.epochSeconds));
  const rec = runs.map((r) => r.recommendSeconds).filter((v): v is number => v !== null);
  const first = runs[0] as RunResult;
  const secondsPerEpoch = median(perEpoch);
  return {
    runs: runs.length,
    secondsPerEpoch,
    cpuSecondsPerEpoch: median(runs.map((r) => median(r.epochCpuSeconds))),
    samplesPerSecond: first.trainSamples / secondsPerEpoch,
    auc: mean(runs.map((r) => r.auc)),
    precisionAt10: mean(runs.map((r) => r.precisionAt10)),
    evalSeconds: median(runs.map((r) => r.evalSeconds)),
    recommendSeconds: rec.length ? median(rec) : null,
    recommendUsers: first.recommendUsers,
    peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
    baseRssBytes: runs.every((r) => r.baseRssBytes !== undefined) ? median(runs.map((r) => r.baseRssBytes as number)) : undefined,
    epochs: first.epochs,
  };
}

/** Groups results into rows, in first-seen order. */
export function toRows(results: RunResult[]): Row[] {
  const rows = new Map<string, Row>();
  const runs = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.dataset}|${r.loss}|${r.threads}`;
    if (!rows.has(key)) rows.set(key, { dataset: r.dataset, loss: r.loss, threads: r.threads });
    const libKey = `${key}|${r.library}`;
    runs.set(libKey, [...(runs.get(libKey) ?? []), r]);
  }
  for (const [key, row] of rows) {
    const get = (lib: Library) => runs.get(`${key}|${lib}`);
    const [lfm, ts] = [get('lightfm'), get('lightfm-ts')];
    if (lfm) row.lightfm = summarize(lfm);
    if (ts) row.ours = summarize(ts);
  }
  return [...rows.values()];
}

const ratio = (a: number | undefined | null, b: number | undefined | null) => (a && b ? `${(a / b).toFixed(1)}x` : 'n/a');
const mib = (b: number | undefined) => (b === undefined ? 'n/a' : (b / 2 ** 20).toFixed(0));


const label = (r: Row) => [r.dataset, r.loss, String(r.threads)];

/** The four result tables. */
export function resultTables(rows: Row[]): string {
  const training = table(
    ['data', 'loss', 'thr', 'LightFM s/epoch', 'lightfm-ts s/epoch', 'LightFM M samples/s', 'lightfm-ts M samples/s', 'speed-up'],
    rows.map((r) => [
      ...label(r),
      fixed(r.lightfm?.secondsPerEpoch, 3),
      fixed(r.ours?.secondsPerEpoch, 3),
      fixed(r.lightfm && r.lightfm.samplesPerSecond / 1e6, 2),
      fixed(r.ours && r.ours.samplesPerSecond / 1e6, 2),
      ratio(r.ours?.samplesPerSecond, r.lightfm?.samplesPerSecond),
    ]),
  );
  const cpu = table(
    ['data', 'loss', 'thr', 'LightFM CPU-s/epoch', 'lightfm-ts CPU-s/epoch', 'LightFM / lightfm-ts'],
    rows.map((r) => [...label(r), fixed(r.lightfm?.cpuSecondsPerEpoch, 3), fixed(r.ours?.cpuSecondsPerEpoch, 3), ratio(r.lightfm?.cpuSecondsPerEpoch, r.ours?.cpuSecondsPerEpoch)]),
  );
  const accuracy = table(
    ['data', 'loss', 'thr', 'epochs', 'LightFM AUC', 'lightfm-ts AUC', 'ΔAUC', 'LightFM P@10', 'lightfm-ts P@10'],
    rows.map((r) => [
      ...label(r),
      String(r.ours?.epochs ?? r.lightfm?.epochs ?? 'n/a'),
      fixed(r.lightfm?.auc, 4),
      fixed(r.ours?.auc, 4),
      r.lightfm && r.ours ? (r.ours.auc - r.lightfm.auc).toFixed(4) : 'n/a',
      fixed(r.lightfm?.precisionAt10, 4),
      fixed(r.ours?.precisionAt10, 4),
    ]),
  );
  const serving = table(
    ['data', 'loss', 'thr', 'LightFM eval s', 'lightfm-ts eval s', 'eval speed-up', 'users served', 'LightFM top-10 s', 'lightfm-ts top-10 s', 'top-10 speed-up'],
    rows.map((r) => [
      ...label(r),
      fixed(r.lightfm?.evalSeconds, 3),
      fixed(r.ours?.evalSeconds, 3),
      ratio(r.lightfm?.evalSeconds, r.ours?.evalSeconds),
      String(r.ours?.recommendUsers ?? r.lightfm?.recommendUsers ?? 'n/a'),
      fixed(r.lightfm?.recommendSeconds, 3),
      fixed(r.ours?.recommendSeconds, 3),
      ratio(r.lightfm?.recommendSeconds, r.ours?.recommendSeconds),
    ]),
  );
  // The peak includes each runtime's baseline (the process once the library is loaded); the
  // last columns show what the workload itself added above it.
  const above = (s?: Summary) => (s?.baseRssBytes === undefined ? undefined : s.peakRssBytes - s.baseRssBytes);
  const memory = table(
    ['data', 'loss', 'thr', 'LightFM peak RSS MiB', 'lightfm-ts peak RSS MiB', 'lightfm-ts / LightFM', 'LightFM baseline MiB', 'lightfm-ts baseline MiB', 'LightFM above baseline MiB', 'lightfm-ts above baseline MiB'],
    rows.map((r) => [
      ...label(r),
      mib(r.lightfm?.peakRssBytes),
      mib(r.ours?.peakRssBytes),
      r.lightfm && r.ours ? (r.ours.peakRssBytes / r.lightfm.peakRssBytes).toFixed(2) : 'n/a',
      mib(r.lightfm?.baseRssBytes),
      mib(r.ours?.baseRssBytes),
      mib(above(r.lightfm)),
      mib(above(r.ours)),
    ]),
  );
  return [
    '### Training (per epoch, wall time of one fitPartial / fit_partial call)',
    training,
    '### Training CPU time per epoch (all threads; less sensitive to other load on the machine than wall time)',
    cpu,
    '### Accuracy on the test split (train items excluded)',
    accuracy,
    '### Evaluation (AUC + precision@10) and top-10 recommendation',
    serving,
    '### Peak memory (whole process; baseline: the process with the runtime and library loaded, before any data)',
    memory,
  ].join('\n\n');
}

/** 2-thread over 1-thread throughput per data set, loss and library. */
export function scalingTable(rows: Row[]): string {
  const body: string[][] = [];
  for (const r of rows.filter((x) => x.threads === 2)) {
    const one = rows.find((x) => x.dataset === r.dataset && x.loss === r.loss && x.threads === 1);
    if (!one) continue;
    const s = (two?: Summary, single?: Summary) => (two && single ? (two.samplesPerSecond / single.samplesPerSecond).toFixed(2) : 'n/a');
    body.push([r.dataset, r.loss, s(r.lightfm, one.lightfm), s(r.ours, one.ours)]);
  }
  return body.length ? table(['data', 'loss', 'LightFM 2t/1t', 'lightfm-ts 2t/1t'], body) : '';
}

/** The acceptance targets of issue 8, checked on these rows. */
export function targetTable(rows: Row[]): string {
  const checks: Check[] = [];
  const both = rows.filter((r) => r.lightfm && r.ours) as Required<Row>[];
  for (const r of both.filter((x) => x.dataset === 'ml1m' && x.threads === 2)) {
    const speed = r.ours.samplesPerSecond / r.lightfm.samplesPerSecond;
    checks.push({ target: `training samples/s >= 3x LightFM, ml1m ${r.loss} 2 threads`, value: `${speed.toFixed(2)}x`, pass: speed >= 3 });
    const d = r.ours.auc - r.lightfm.auc;
    checks.push({ target: `test AUC within 0.005 of LightFM or better, ml1m ${r.loss}`, value: `${d >= 0 ? '+' : ''}${d.toFixed(4)}`, pass: d >= -0.005 });
  }
  for (const r of rows.filter((x) => x.threads === 2 && x.ours && (x.dataset === 'ml1m' || x.dataset === 'synthetic10m'))) {
    const one = rows.find((x) => x.dataset === r.dataset && x.loss === r.loss && x.threads === 1)?.ours;
    if (!one || !r.ours) continue;
    const s = r.ours.samplesPerSecond / one.samplesPerSecond;
    checks.push({ target: `2-thread speed-up >= 1.7x, ${r.dataset} ${r.loss}`, value: `${s.toFixed(2)}x`, pass: s >= 1.7 });
  }
  // Serving targets compare with LightFM's faster thread count (its per-user predict calls
  // can be slower with more threads), so they never flatter lightfm-ts.
  for (const r of both.filter((x) => x.dataset === 'ml1m')) {
    const lfm = both.filter((x) => x.dataset === r.dataset && x.loss === r.loss).map((x) => x.lightfm);
    const bestRec = Math.min(...lfm.map((s) => s.recommendSeconds ?? Infinity));
    const rec = r.ours.recommendSeconds && Number.isFinite(bestRec) ? bestRec / r.ours.recommendSeconds : undefined;
    checks.push({ target: `recommend-all-users >= 20x (vs LightFM's fastest), ml1m ${r.loss} ${r.threads}t`, value: rec ? `${rec.toFixed(1)}x` : 'not measured', pass: rec === undefined ? undefined : rec >= 20 });
    const ev = Math.min(...lfm.map((s) => s.evalSeconds)) / r.ours.evalSeconds;
    checks.push({ target: `evaluation >= 5x (vs LightFM's fastest), ml1m ${r.loss} ${r.threads}t`, value: `${ev.toFixed(1)}x`, pass: ev >= 5 });
  }
  for (const r of both) {
    const m = r.ours.peakRssBytes / r.lightfm.peakRssBytes;
    checks.push({ target: `peak RSS <= LightFM's, ${r.dataset} ${r.loss} ${r.threads}t`, value: m.toFixed(2), pass: m <= 1 });
  }
  return checkTable(checks);
}

/** "median X (min-max)" of the load averages recorded before each run. */
export function loadSummary(results: { loadAverage?: number }[]): string {
  const loads = results.map((r) => r.loadAverage).filter((v): v is number => v !== undefined);
  if (!loads.length) return 'not recorded';
  return `median ${median(loads).toFixed(2)} (${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)})`;
}
