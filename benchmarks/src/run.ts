// The benchmark driver: sets up LightFM, implicit and the release addon, prepares the data
// sets, runs every configuration in fresh processes alternating LightFM and lightfm-ts
// (A B A B), then the curve runs (implicit's BPR, and lightfm-ts racing to its best), and
// writes the markdown report.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { curveSections } from './curve-report.js';
import { type CurveResult, IMPLICIT_SETS, readCurve } from './curves.js';
import { type DatasetName, DATASET_NAMES, prepareDataset, standardReps, unavailable } from './datasets.js';
import type { DatasetMeta } from './data-files.js';
import { describeMachine } from './machine.js';
import { epochsFor, type Options, parseOptions, repsFor, USAGE } from './options.js';
import { loadSummary, resultTables, scalingTable, targetTable, toRows } from './report.js';
import { type Library, parseResult, type RunResult } from './result.js';
import { RunLog } from './run-log.js';
import { buildReleaseAddon, ensureImplicit, ensureLightFM } from './setup.js';
import { issue22Targets } from './targets-issue22.js';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = resolve(here, '..');
const repo = resolve(benchDir, '..');
const cacheDir = join(benchDir, '.cache');
const logDir = join(cacheDir, 'logs');

/** `LIGHTFM_DATA_HOME`, else `../shared/data` next to the checkout when it exists. */
function dataHome(): string | undefined {
  if (process.env.LIGHTFM_DATA_HOME) return resolve(process.env.LIGHTFM_DATA_HOME);
  const shared = resolve(repo, '..', 'shared', 'data');
  return existsSync(shared) ? shared : undefined;
}

type PreparedSet = { dir: string; meta: DatasetMeta };

interface Job {
  library: Library;
  dataset: PreparedSet;
  loss: string;
  threads: number;
  epochs: number;
}

interface Runtime {
  python: string;
  addon: string;
  options: Options;
}

/** Runs a worker in a fresh process and returns its result line (or throws with its stderr). */
function runWorker<T>(command: string, args: string[], tag: string, rt: Runtime): Promise<T> {
  const env = { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: rt.addon };
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), rt.options.timeoutMinutes * 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = parseResult<T>(stdout);
      if (code === 0 && result) ok(result);
      else fail(new Error(`${tag} exited with ${signal ?? code}:\n${stderr.slice(-4000)}`));
    });
  });
}

function runJob(job: Job, rt: Runtime): Promise<RunResult> {
  const args = ['--data', job.dataset.dir, '--loss', job.loss, '--threads', String(job.threads), '--epochs', String(job.epochs), '--components', String(rt.options.components)];
  const [command, script] = job.library === 'lightfm' ? [rt.python, join(benchDir, 'python', 'lightfm_worker.py')] : [process.execPath, join(here, 'worker-ts.js')];
  return runWorker(command, [script, ...args], `${job.library} ${job.dataset.meta.name} ${job.loss} t${job.threads}`, rt);
}

/** One curve run: implicit's BPR to its own best, or lightfm-ts to `target`. */
interface CurveJob {
  library: CurveResult['library'];
  dataset: PreparedSet;
  loss: string;
  threads: number;
  maxEpochs: number;
  target?: number;
}

function runCurve(job: CurveJob, rt: Runtime): Promise<CurveResult> {
  const args = ['--data', job.dataset.dir, '--threads', String(job.threads), '--max-epochs', String(job.maxEpochs), '--components', String(rt.options.components)];
  const [command, script, extra] =
    job.library === 'implicit'
      ? [rt.python, join(benchDir, 'python', 'implicit_worker.py'), []]
      : [process.execPath, join(here, 'worker-ts-curve.js'), ['--loss', job.loss, ...(job.target === undefined ? [] : ['--target', String(job.target)])]];
  return runWorker(command, [script, ...args, ...extra], `${job.library} curve ${job.dataset.meta.name} ${job.loss} t${job.threads}`, rt);
}

const maxReps = (o: Options, datasets: PreparedSet[]) => Math.max(0, ...datasets.map((d) => repsFor(o, standardReps(d.meta.name))));

function plan(o: Options, datasets: PreparedSet[]): Job[] {
  const jobs: Job[] = [];
  for (let rep = 0; rep < maxReps(o, datasets); rep++) {
    for (const dataset of datasets.filter((d) => rep < repsFor(o, standardReps(d.meta.name)))) {
      for (const loss of o.losses) {
        for (const threads of o.threads) {
          for (const library of ['lightfm', 'lightfm-ts'] as const) {
            jobs.push({ library, dataset, loss, threads, epochs: epochsFor(o, dataset.meta.epochs) });
          }
        }
      }
    }
  }
  return jobs;
}

function line(r: RunResult): string {
  const perEpoch = r.epochSeconds.reduce((a, b) => a + b, 0) / r.epochSeconds.length;
  const rec = r.recommendSeconds === null ? 'n/a' : `${r.recommendSeconds.toFixed(2)} s`;
  return `${perEpoch.toFixed(3)} s/epoch (${(r.trainSamples / perEpoch / 1e6).toFixed(2)} M/s), AUC ${r.auc.toFixed(4)}, P@10 ${r.precisionAt10.toFixed(4)}, eval ${r.evalSeconds.toFixed(2)} s, top-10 ${rec}, RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`;
}

function report(o: Options, results: RunResult[], curves: CurveResult[], datasets: DatasetMeta[], skipped: string[], machine: string[], failures: string[]): string {
  const rows = toRows(results);
  const sets = datasets.map((m) => `- \`${m.name}\`: ${m.description}; ${m.users} users x ${m.items} items, ${m.train} train / ${m.test} test entries; evaluated: ${m.evaluated}; top-10 for ${m.recommendUsers} users; ${epochsFor(o, m.epochs)} epochs; ${repsFor(o, standardReps(m.name))} repetition(s)`);
  return [
    '# lightfm-ts vs LightFM',
    '',
    `Generated by \`pnpm bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).filter((a) => a !== '--').join(' ')}` : ''}\` (benchmarks/src/run.ts); see docs/benchmarks.md for the method.`,
    '',
    ...machine,
    `- 1-minute load average when each run started: ${loadSummary([...results, ...curves])} on ${cpus().length} logical CPUs. Anything well above the thread count means other processes shared the cores and wall times are inflated (CPU-time columns are less affected).`,
    `- Model: ${o.components} components, adagrad, learning rate 0.05, no regularisation, seed 42; repetitions per configuration as listed under each data set, each in a fresh process, LightFM and lightfm-ts alternating; medians of the repetitions.`,
    '',
    '## Data sets',
    '',
    ...sets,
    ...skipped.map((s) => `- skipped: ${s}`),
    '',
    '## Targets (issue 22)',
    '',
    'Ratios at 2 threads; the two-thread speed-up on ml1m and synthetic100m; memory on synthetic100m.',
    '',
    issue22Targets(rows, curves),
    '',
    '## Targets (issue 8)',
    '',
    targetTable(rows),
    '',
    '## Results',
    '',
    resultTables(rows),
    '',
    '### Two-thread scaling (samples/s with 2 threads over 1 thread)',
    '',
    scalingTable(rows),
    '',
    ...(curves.length ? curveSections(curves, rows) : []),
    ...(failures.length ? ['## Failed runs', '', ...failures.map((f) => `- ${f.split('\n')[0]}`), ''] : []),
  ].join('\n');
}

/** The curve runs: per repetition, implicit's BPR where it runs, then each loss of lightfm-ts racing to its best. */
async function runCurves(o: Options, datasets: PreparedSet[], rt: Runtime, log: RunLog, failures: string[]): Promise<CurveResult[]> {
  const out: CurveResult[] = [];
  const attempt = async (job: CurveJob): Promise<CurveResult | undefined> => {
    const tag = `curve ${job.dataset.meta.name} ${job.loss} t${job.threads} ${job.library}`;
    const logged = log.takeCurve({ ...job, dataset: job.dataset.meta.name, components: o.components, target: job.target ?? null });
    if (logged) {
      out.push(logged);
      console.log(`${tag}: from the log: ${curveLine(logged)}`);
      return logged;
    }
    try {
      const load = loadavg()[0] as number;
      const r = { ...(await runCurve(job, rt)), loadAverage: load };
      out.push(r);
      log.appendCurve(r);
      console.log(`${tag}: ${curveLine(r)}`);
      return r;
    } catch (error) {
      failures.push(`${tag}: ${(error as Error).message}`);
      console.error(`${tag}: FAILED ${(error as Error).message}`);
      return undefined;
    }
  };
  for (let rep = 0; rep < maxReps(o, datasets); rep++) {
    for (const dataset of datasets.filter((d) => rep < repsFor(o, standardReps(d.meta.name)))) {
      const setting = IMPLICIT_SETS[dataset.meta.name as DatasetName];
      if (!setting) continue;
      const maxEpochs = o.implicitEpochs ?? setting.maxEpochs;
      for (const threads of o.threads) {
        const imp = await attempt({ library: 'implicit', dataset, loss: 'bpr', threads, maxEpochs });
        if (!imp || !setting.race) continue;
        const target = readCurve(imp).best;
        for (const loss of o.losses) await attempt({ library: 'lightfm-ts', dataset, loss, threads, maxEpochs, target });
      }
    }
  }
  return out;
}

function curveLine(r: CurveResult): string {
  const p = readCurve(r);
  const reached = r.target === null ? '' : p.secondsToTarget === null ? `, target ${r.target.toFixed(4)} not reached` : `, target ${r.target.toFixed(4)} at epoch ${p.targetEpoch} (${p.secondsToTarget.toFixed(2)} s)`;
  return `${r.precisionAt10.length} epochs, ${(p.samplesPerSecond / 1e6).toFixed(2)} M/s, best P@10 ${p.best.toFixed(4)} at epoch ${p.bestEpoch} (${p.secondsToBest.toFixed(2)} s)${reached}, RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.help) {
    console.log(USAGE);
    return;
  }
  mkdirSync(logDir, { recursive: true });
  const home = dataHome();
  const wanted: DatasetName[] = o.datasets ?? [...DATASET_NAMES];
  const skipped = wanted.flatMap((d) => {
    const why = unavailable(d, home);
    return why ? [`${d}: ${why}`] : [];
  });
  skipped.forEach((s) => console.log(`Skipping ${s}`));

  const datasets = [];
  for (const name of wanted.filter((d) => !unavailable(d, home))) {
    const started = Date.now();
    const prepared = await prepareDataset(name, join(cacheDir, 'data'), home);
    console.log(`Data set ${name}: ${prepared.meta.train} train / ${prepared.meta.test} test entries (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    datasets.push(prepared);
  }
  if (o.prepareOnly) return;
  const lightfm = ensureLightFM(join(benchDir, '.venv'), join(benchDir, 'python', 'requirements.txt'), logDir);
  const python = o.skipImplicit ? lightfm : ensureImplicit(lightfm, join(benchDir, 'python', 'requirements-implicit.txt'), logDir);
  const addonPath = join(cacheDir, 'lightfm.node');
  const addon = o.skipBuild && existsSync(addonPath) ? addonPath : buildReleaseAddon(repo, cacheDir, logDir);

  const jobs = plan(o, datasets);
  const rt: Runtime = { python: python.python, addon, options: o };
  const results: RunResult[] = [];
  const failures: string[] = [];
  const log = o.resume ? RunLog.resume(resolve(o.resume), repo) : RunLog.create(join(logDir, `runs-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`), repo);
  const begin = Date.now();
  for (const [n, job] of jobs.entries()) {
    const tag = `[${n + 1}/${jobs.length}] ${job.dataset.meta.name} ${job.loss} t${job.threads} ${job.library}`;
    const logged = log.take({ ...job, dataset: job.dataset.meta.name, components: o.components });
    if (logged) {
      results.push(logged);
      console.log(`${tag}: from the log: ${line(logged)}`);
      continue;
    }
    try {
      const load = loadavg()[0] as number;
      const r = { ...(await runJob(job, rt)), loadAverage: load };
      results.push(r);
      log.append(r);
      console.log(`${tag}: ${line(r)}`);
    } catch (error) {
      failures.push(`${tag}: ${(error as Error).message}`);
      console.error(`${tag}: FAILED ${(error as Error).message}`);
    }
  }
  const curves = o.skipImplicit ? [] : await runCurves(o, datasets, rt, log, failures);
  console.log(`\n${jobs.length + curves.length} runs (${log.reused} from the log) in ${((Date.now() - begin) / 1000).toFixed(0)} s; raw results in ${log.path}\n`);

  const resumed = o.resume ? [`- Resumed (\`--resume\`): ${log.reused} of the ${results.length + curves.length} runs come from earlier windows of this run, on the same code (see docs/benchmarks.md), logged in ${log.path}; their load averages are in the summary below.`] : [];
  const text = report(o, results, curves, datasets.map((d) => d.meta), skipped, [...describeMachine(repo, python.versions), ...resumed], failures);
  const out = o.out ? resolve(o.out) : o.quick ? join(cacheDir, 'RESULTS-quick.md') : join(benchDir, 'RESULTS.md');
  writeFileSync(out, `${text}\n`);
  console.log(text);
  console.log(`\nWrote ${out}`);
  if (failures.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
