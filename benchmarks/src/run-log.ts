// The JSON-lines log of a benchmark run, and resuming a run from it.
//
// A full run takes hours (the two 100M sets dominate), longer than many quiet windows. With
// `--resume LOG` the driver reuses every configuration LOG already holds and runs only the
// rest, appending to the same file, so one full run can be spread over several windows. A log
// starts with a header naming the code it measured: the git trees of everything a result
// depends on (the Rust crates, the packages, the benchmark sources, the lockfiles). Resuming
// needs the same trees and no uncommitted change to them, then and now, so a report never
// mixes results of different code; commits to docs or notes in between do not matter.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { CurveResult } from './curves.js';
import type { RunResult } from './result.js';

interface Header {
  header: true;
  /** The commit at the start, for people reading the log. */
  commit: string;
  /** Tree hashes of {@link CODE}, in order: what must match to resume. */
  code: string;
  /** Whether {@link CODE} had no uncommitted changes. */
  clean: boolean;
}

/** What a result depends on. */
const CODE = ['crates', 'packages', 'benchmarks/src', 'benchmarks/python', 'Cargo.lock', 'pnpm-lock.yaml'];

/** What makes two runs the same configuration (the repetition is their order in the log). */
const RESULT_KEYS = ['library', 'dataset', 'loss', 'threads', 'epochs', 'components'] as const satisfies (keyof RunResult)[];
const CURVE_KEYS = ['library', 'dataset', 'loss', 'threads', 'maxEpochs', 'components'] as const satisfies (keyof CurveResult)[];
type Key = Pick<RunResult, (typeof RESULT_KEYS)[number]>;
type CurveKey = Pick<CurveResult, (typeof CURVE_KEYS)[number]>;

function checkout(repo: string): Header {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  const trees = git('rev-parse', ...CODE.map((p) => `HEAD:${p}`));
  return {
    header: true,
    commit: head.status === 0 ? head.stdout.trim() : 'unknown',
    code: trees.status === 0 ? trees.stdout.trim().split('\n').join(' ') : 'unknown',
    clean: git('status', '--porcelain', '--', ...CODE).stdout.trim() === '',
  };
}

function same<T extends object>(a: T, b: T, keys: readonly (keyof T)[]): boolean {
  return keys.every((k) => a[k] === b[k]);
}

export class RunLog {
  /** Runs read back from the log and not yet handed out, in log order. */
  readonly #results: RunResult[] = [];
  readonly #curves: CurveResult[] = [];
  /** How many runs were handed out from the log instead of run. */
  reused = 0;

  private constructor(readonly path: string) {}

  /** A new log at `path`, starting with the checkout's header. */
  static create(path: string, repo: string): RunLog {
    appendFileSync(path, `${JSON.stringify(checkout(repo))}\n`);
    return new RunLog(path);
  }

  /**
   * The log at `path`, to be continued. Throws unless it was written from the same code,
   * committed, and the checkout's code is still that, with no uncommitted changes.
   */
  static resume(path: string, repo: string): RunLog {
    if (!existsSync(path)) throw new Error(`--resume: no log at ${path}`);
    const [first, ...lines] = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const header = first === undefined ? undefined : (JSON.parse(first) as Partial<Header>);
    const now = checkout(repo);
    if (!header?.header) throw new Error(`--resume: ${path} has no header line (written before --resume existed); start a new run`);
    if (!header.clean || !now.clean || header.code !== now.code || now.code === 'unknown') {
      const at = (h: Partial<Header>) => `${h.commit}${h.clean ? '' : ' with uncommitted changes'}`;
      throw new Error(
        `--resume: ${path} was written at ${at(header)}, the checkout is at ${at(now)}, and ${header.code === now.code ? 'one has uncommitted changes to' : 'they differ in'} ${CODE.join(', ')}; results of different code cannot share a report (commit, or start a new run)`,
      );
    }
    const log = new RunLog(path);
    for (const line of lines) {
      const r = JSON.parse(line) as (RunResult | CurveResult) & { curve?: boolean };
      if (r.curve) log.#curves.push(r as CurveResult);
      else log.#results.push(r as RunResult);
    }
    return log;
  }

  /** A logged run of `job`'s configuration, removed so that each repetition gets its own. */
  take(job: Key): RunResult | undefined {
    return this.#pick(this.#results, (r) => same<Key>(r, job, RESULT_KEYS));
  }

  /** A logged curve run of `job`'s configuration (lightfm-ts's also racing to the same target). */
  takeCurve(job: CurveKey & { target: number | null }): CurveResult | undefined {
    return this.#pick(this.#curves, (r) => same<CurveKey>(r, job, CURVE_KEYS) && r.target === job.target);
  }

  append(r: RunResult): void {
    appendFileSync(this.path, `${JSON.stringify(r)}\n`);
  }

  appendCurve(r: CurveResult): void {
    appendFileSync(this.path, `${JSON.stringify({ curve: true, ...r })}\n`);
  }

  #pick<T>(from: T[], match: (r: T) => boolean): T | undefined {
    const i = from.findIndex(match);
    if (i < 0) return undefined;
    this.reused++;
    return from.splice(i, 1)[0];
  }
}
