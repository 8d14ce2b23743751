// Where things are, and what napi-rs says about our targets. Target names come from the napi CLI
// itself (`readNapiConfig`), never from a table of our own.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const coreDir = join(repoRoot, 'packages', 'core');

const requireFromCore = createRequire(join(coreDir, 'package.json'));

/** The napi CLI's programmatic API (`readNapiConfig`, `parseTriple`, ...). */
export const napiCli = requireFromCore('@napi-rs/cli');

/** The napi CLI entry, run as `node <napiBin> <command>` so no shell shim is involved. */
export const napiBin = join(dirname(requireFromCore.resolve('@napi-rs/cli/package.json')), 'dist', 'cli.js');

/**
 * Reads the `napi` block of a package.json the way the CLI does.
 * @param {string} [packageJson] defaults to `packages/core/package.json`
 * @returns {Promise<{ binaryName: string, packageName: string, targets: { triple: string, platformArchABI: string, platform: string, arch: string, abi: string | null }[], packageJson: Record<string, any> }>}
 */
export function readNapiConfig(packageJson = join(coreDir, 'package.json')) {
  return napiCli.readNapiConfig(packageJson);
}

/** The libc/ABI part of napi's platform name for this process: `gnu`, `musl`, `msvc` or null. */
export function hostAbi() {
  if (process.platform === 'win32') return 'msvc';
  if (process.platform !== 'linux') return null;
  const header = /** @type {{ header?: { glibcVersionRuntime?: string } }} */ (process.report.getReport()).header;
  return header?.glibcVersionRuntime ? 'gnu' : 'musl';
}

/**
 * The configured target this process runs on, or undefined when there is none.
 * @template {{ platform: string, arch: string, abi: string | null }} T
 * @param {T[]} targets
 * @returns {T | undefined}
 */
export function hostTarget(targets) {
  const abi = hostAbi();
  return targets.find((t) => t.platform === process.platform && t.arch === process.arch && (t.abi ?? null) === abi);
}
