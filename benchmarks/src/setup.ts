// Everything a fresh clone needs before the first run: LightFM and implicit from PyPI in a
// virtual environment, and a release build of the lightfm-ts addon.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** LightFM's PyPI release, and the fork with the same code that installs on newer Pythons. */
const LIGHTFM = 'lightfm==1.17';
const LIGHTFM_FORK = 'rectools-lightfm==1.17.3';

/** The Python side: interpreter in the venv and the versions it reports. */
export interface PythonSide {
  python: string;
  versions: Record<string, string>;
}

/** Runs a command, logging its output to `log`; throws with the log's tail on failure. */
function run(command: string, args: string[], log: string, cwd?: string): boolean {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  const output = `$ ${command} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n`;
  writeFileSync(log, output, { flag: 'a' });
  return r.status === 0;
}

function must(ok: boolean, what: string, log: string): void {
  if (!ok) throw new Error(`${what} failed; see ${log}`);
}

function venvPython(venv: string): string {
  return process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

function versions(python: string): Record<string, string> | undefined {
  const probe =
    'import json, sys, platform, numpy, scipy, lightfm; ' +
    "print(json.dumps({'python': platform.python_version(), 'lightfm': lightfm.__version__, 'numpy': numpy.__version__, 'scipy': scipy.__version__}))";
  const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
  return r.status === 0 ? (JSON.parse(r.stdout) as Record<string, string>) : undefined;
}

/**
 * Creates `venv` with LightFM unless it already works. LightFM's `setup.py` breaks under PEP
 * 517 build isolation (lyst/lightfm#687), so the build dependencies are installed first
 * and LightFM is built with `--no-build-isolation`; if that fails, the `rectools-lightfm`
 * fork (same code) is tried.
 */
export function ensureLightFM(venv: string, requirements: string, logDir: string): PythonSide {
  const python = venvPython(venv);
  const ready = existsSync(python) ? versions(python) : undefined;
  if (ready) return { python, versions: ready };
  const log = join(logDir, 'python-setup.log');
  const base = process.env.PYTHON ?? 'python3';
  console.log(`Setting up LightFM in ${venv} (log: ${log}) ...`);
  if (!existsSync(python)) must(run(base, ['-m', 'venv', venv], log), `${base} -m venv`, log);
  const pip = ['-m', 'pip', 'install', '--disable-pip-version-check'];
  must(run(python, [...pip, '-r', requirements], log), 'pip install of the build dependencies', log);
  const installed =
    run(python, [...pip, '--no-build-isolation', LIGHTFM], log) || run(python, [...pip, '--no-build-isolation', LIGHTFM_FORK], log);
  must(installed, `pip install ${LIGHTFM} (and ${LIGHTFM_FORK})`, log);
  const found = versions(python);
  if (!found) throw new Error(`LightFM was installed but cannot be imported; see ${log}`);
  return { python, versions: found };
}

/**
 * Installs implicit (pinned in `requirements`, its prebuilt CPU wheel) into the LightFM
 * environment unless it already imports there.
 * @returns `side` with implicit's version added.
 */
export function ensureImplicit(side: PythonSide, requirements: string, logDir: string): PythonSide {
  const probe = () => {
    const r = spawnSync(side.python, ['-c', 'import implicit; print(implicit.__version__)'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  let version = probe();
  if (!version) {
    const log = join(logDir, 'python-setup.log');
    console.log(`Installing implicit into the benchmark environment (log: ${log}) ...`);
    must(run(side.python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', requirements], log), 'pip install of implicit', log);
    version = probe();
    if (!version) throw new Error(`implicit was installed but cannot be imported; see ${log}`);
  }
  return { python: side.python, versions: { ...side.versions, implicit: version } };
}

function cargoTargetDir(repo: string): string {
  const r = spawnSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`cargo metadata failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { target_directory: string }).target_directory;
}

/**
 * Builds the addon with the release profile (what npm users get) and copies it to
 * `<cacheDir>/lightfm.node`, leaving the debug addon that tests use untouched.
 * @returns The path for `NAPI_RS_NATIVE_LIBRARY_PATH`.
 */
export function buildReleaseAddon(repo: string, cacheDir: string, logDir: string): string {
  const log = join(logDir, 'cargo-release.log');
  console.log(`Building the release addon (cargo build --release -p lightfm-node; log: ${log}) ...`);
  must(run('cargo', ['build', '--release', '-p', 'lightfm-node'], log, repo), 'cargo build --release -p lightfm-node', log);
  const file = { win32: 'lightfm_node.dll', darwin: 'liblightfm_node.dylib' }[process.platform as string] ?? 'liblightfm_node.so';
  const out = join(cacheDir, 'lightfm.node');
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(join(cargoTargetDir(repo), 'release', file), out);
  return out;
}
