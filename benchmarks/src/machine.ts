// Where and with what a run happened, for the header of RESULTS.md.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, release, platform } from 'node:os';

function output(command: string, args: string[], cwd?: string): string | undefined {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Markdown bullet lines describing the machine, the toolchains and the checkout. */
export function describeMachine(repo: string, python: Record<string, string>): string[] {
  const cpu = cpus();
  const commit = output('git', ['rev-parse', '--short', 'HEAD'], repo) ?? 'unknown';
  const dirty = (output('git', ['status', '--porcelain'], repo) ?? '').length > 0;
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} logical CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}`,
    `- lightfm-ts: commit ${commit}${dirty ? ' with uncommitted changes' : ''}, release build of the addon (portable x86-64, no target-cpu flags); Node ${process.version}; ${output('rustc', ['--version']) ?? 'rustc unknown'}`,
    `- LightFM: ${python.lightfm ?? '?'} from PyPI (built from source by pip with its setup.py flags -ffast-math -march=native on top of Python's CFLAGS, OpenMP), Python ${python.python ?? '?'}, numpy ${python.numpy ?? '?'}, scipy ${python.scipy ?? '?'}`,
    ...(python.implicit ? [`- implicit: ${python.implicit} from PyPI (its prebuilt CPU wheel), in the same environment`] : []),
  ];
}
