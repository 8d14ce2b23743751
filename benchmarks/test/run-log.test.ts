import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CurveResult } from '../src/curves.js';
import type { RunResult } from '../src/result.js';
import { RunLog } from '../src/run-log.js';

function run(over: Partial<RunResult>): RunResult {
  return {
    library: 'lightfm-ts', version: '0.1.0', dataset: 'ml1m', loss: 'warp', threads: 2, components: 64, epochs: 5, trainSamples: 900_000,
    epochSeconds: [0.3], epochCpuSeconds: [0.6], evalSeconds: 0.2, auc: 0.93, precisionAt10: 0.2, recommendSeconds: 0.05, recommendUsers: 6040,
    peakRssBytes: 2 ** 27, ...over,
  };
}

function curve(over: Partial<CurveResult>): CurveResult {
  return {
    library: 'implicit', version: '0.7.3', dataset: 'ml1m', loss: 'bpr', threads: 2, components: 64, trainSamples: 900_000,
    epochSeconds: [1], precisionAt10: [0.1], target: null, maxEpochs: 100, peakRssBytes: 2 ** 27, ...over,
  };
}

describe('RunLog', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  const commit = (file: string) => {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), file);
    git('add', file);
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', file);
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'run-log-'));
    git('init', '-q');
    for (const f of ['crates/a.rs', 'packages/a.ts', 'benchmarks/src/a.ts', 'benchmarks/python/a.py', 'Cargo.lock', 'pnpm-lock.yaml']) commit(f);
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('hands each logged repetition out once, curves by configuration and target, and appends to the same file', () => {
    const path = join(tmpdir(), `run-log-${process.pid}.jsonl`);
    rmSync(path, { force: true });
    const first = RunLog.create(path, repo);
    first.append(run({ auc: 0.91 }));
    first.append(run({ auc: 0.92 }));
    first.append(run({ library: 'lightfm', auc: 0.5 }));
    first.appendCurve(curve({}));
    first.appendCurve(curve({ library: 'lightfm-ts', loss: 'warp', target: 0.1 }));

    const log = RunLog.resume(path, repo);
    const key = { library: 'lightfm-ts', dataset: 'ml1m', loss: 'warp', threads: 2, epochs: 5, components: 64 } as const;
    expect(log.take(key)?.auc).toBe(0.91);
    expect(log.take(key)?.auc).toBe(0.92);
    expect(log.take(key)).toBeUndefined();
    expect(log.take({ ...key, threads: 1 })).toBeUndefined();
    expect(log.take({ ...key, library: 'lightfm' })?.auc).toBe(0.5);
    const imp = { library: 'implicit', dataset: 'ml1m', loss: 'bpr', threads: 2, maxEpochs: 100, components: 64, target: null } as const;
    expect(log.takeCurve(imp)?.library).toBe('implicit');
    expect(log.takeCurve({ ...imp, library: 'lightfm-ts', loss: 'warp', target: 0.2 })).toBeUndefined();
    expect(log.takeCurve({ ...imp, library: 'lightfm-ts', loss: 'warp', target: 0.1 })?.target).toBe(0.1);
    expect(log.reused).toBe(5);

    log.append(run({ threads: 1 }));
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(RunLog.resume(path, repo).take({ ...key, threads: 1 })?.threads).toBe(1);
    rmSync(path);
  });

  it('refuses a log of other code or of uncommitted code, but not one a docs commit separates', () => {
    const path = join(repo, '..', `run-log-other-${process.pid}.jsonl`);
    rmSync(path, { force: true });
    RunLog.create(path, repo);
    commit('README.md');
    expect(RunLog.resume(path, repo).reused).toBe(0);
    commit('crates/x.rs');
    expect(() => RunLog.resume(path, repo)).toThrow(/they differ in crates/);
    rmSync(path);

    RunLog.create(path, repo);
    writeFileSync(join(repo, 'crates/x.rs'), 'changed');
    expect(() => RunLog.resume(path, repo)).toThrow(/with uncommitted changes, and one has uncommitted changes to/);
    writeFileSync(join(repo, 'crates/x.rs'), 'crates/x.rs');
    writeFileSync(join(repo, 'notes.md'), 'a note');
    expect(RunLog.resume(path, repo).reused).toBe(0);
    rmSync(path);

    writeFileSync(path, `${JSON.stringify(run({}))}\n`);
    expect(() => RunLog.resume(path, repo)).toThrow(/no header line/);
    expect(() => RunLog.resume(`${path}.missing`, repo)).toThrow(/no log at/);
    rmSync(path);
  });
});
