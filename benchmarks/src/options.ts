// Command-line options of the benchmark driver (`pnpm bench -- [options]`).
import { parseArgs } from 'node:util';
import { DATASET_NAMES, type DatasetName } from './datasets.js';

export const USAGE = `pnpm bench -- [options]

  --quick               short run: MovieLens 100k and the 1M table, fewer epochs, one repetition
  --datasets LIST       ml100k,ml1m,synthetic10m,synthetic100m,synthetic100m-hybrid (default: all
                        that are available); one name runs that set alone
  --losses LIST         default bpr,warp,logistic
  --threads LIST        default 1,2
  --reps N              repetitions of each configuration, alternating LightFM and lightfm-ts
                        (default 5 on the MovieLens sets, whose processes take seconds;
                        3 on the 10M set; 1 on the 100M sets, whose single epoch takes minutes)
  --epochs N            epochs for every data set (default: 10 on ml100k, 5 on ml1m, 1 on the
                        synthetic sets; quick runs halve them)
  --components N        embedding size (default 64)
  --out FILE            results file (default benchmarks/RESULTS.md; quick runs write
                        benchmarks/.cache/RESULTS-quick.md)
  --skip-implicit       leave out implicit's BPR (run on ml1m and synthetic100m) and the
                        lightfm-ts runs to its best precision@10 (ml1m)
  --implicit-epochs N   epoch cap of those curve runs (default 100 on ml1m, 15 on synthetic100m)
  --prepare-only        prepare the data sets into benchmarks/.cache/data and stop (generating
                        the 100M sets takes minutes: do it before a quiet window)
  --skip-build          reuse the release addon already in benchmarks/.cache
  --resume LOG          continue the run logged in LOG (benchmarks/.cache/logs/runs-*.jsonl):
                        reuse the configurations it holds, run the rest, append to it (the
                        same committed code, see docs/benchmarks.md)
  --timeout-minutes N   per worker run (default 60: a 1-thread LightFM run on a 100M set takes
                        about 15 minutes on an idle 2-core machine)
  --help`;

export interface Options {
  quick: boolean;
  datasets: DatasetName[] | undefined;
  losses: string[];
  threads: number[];
  /** Undefined: each set's standard count ({@link repsFor}). */
  reps: number | undefined;
  epochs: number | undefined;
  components: number;
  out: string | undefined;
  prepareOnly: boolean;
  skipImplicit: boolean;
  implicitEpochs: number | undefined;
  skipBuild: boolean;
  resume: string | undefined;
  timeoutMinutes: number;
  help: boolean;
}

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

export function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

/** Parses `argv` (without node and the script). Throws with a readable message on bad input. */
export function parseOptions(argv: string[]): Options {
  // pnpm passes a literal `--` through when the script is run as `pnpm bench -- --quick`.
  const args = argv.filter((a) => a !== '--');
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      datasets: { type: 'string' },
      losses: { type: 'string' },
      threads: { type: 'string' },
      reps: { type: 'string' },
      epochs: { type: 'string' },
      components: { type: 'string' },
      out: { type: 'string' },
      'prepare-only': { type: 'boolean', default: false },
      'skip-implicit': { type: 'boolean', default: false },
      'implicit-epochs': { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      resume: { type: 'string' },
      'timeout-minutes': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const datasets = list(values.datasets);
  for (const d of datasets ?? []) {
    if (!(DATASET_NAMES as readonly string[]).includes(d)) throw new Error(`unknown data set '${d}'; choose from ${DATASET_NAMES.join(', ')}`);
  }
  const threads = (list(values.threads) ?? ['1', '2']).map((t) => positive('threads', t, 1));
  const quick = values.quick ?? false;
  return {
    quick,
    datasets: (datasets as DatasetName[] | undefined) ?? (quick ? ['ml100k', 'ml1m'] : undefined),
    losses: list(values.losses) ?? ['bpr', 'warp', 'logistic'],
    threads,
    reps: values.reps === undefined ? (quick ? 1 : undefined) : positive('reps', values.reps, 1),
    epochs: values.epochs === undefined ? undefined : positive('epochs', values.epochs, 1),
    components: positive('components', values.components, 64),
    out: values.out,
    prepareOnly: values['prepare-only'] ?? false,
    skipImplicit: values['skip-implicit'] ?? false,
    implicitEpochs: values['implicit-epochs'] === undefined ? undefined : positive('implicit-epochs', values['implicit-epochs'], 1),
    skipBuild: values['skip-build'] ?? false,
    resume: values.resume,
    timeoutMinutes: positive('timeout-minutes', values['timeout-minutes'], 60),
    help: values.help ?? false,
  };
}

/** Repetitions of a data set's configurations in this run. */
export function repsFor(o: Options, standard: number): number {
  return o.reps ?? standard;
}

/** Epochs of a data set in this run. */
export function epochsFor(o: Options, standard: number): number {
  if (o.epochs !== undefined) return o.epochs;
  return o.quick ? Math.max(1, Math.ceil(standard / 2)) : standard;
}
