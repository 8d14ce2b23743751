#!/usr/bin/env node
// The "no compiler" install check (docs/platforms.md). Packs @lightfm-ts/core the way the release
// does, builds this machine's platform package from the release profile, installs everything from
// tarballs into a throwaway project and runs scripts/smoke/consumer.mjs there with cargo, rustc
// and cc unreachable.
//
//   pnpm smoke:pack                            build the host binary (release profile) and check it
//   pnpm smoke:pack --binary <file.node>       check a prebuilt binary (release CI artifacts)
//   pnpm smoke:pack --target <triple> --binary <file.node> --out <dir> --no-run
//                                              prepare a project for another libc (run it in a container)
//
// Run it after `pnpm install`; it rebuilds the TypeScript packages itself.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coreDir, hostTarget, napiBin, readNapiConfig, repoRoot } from './lib/napi.mjs';
import { run } from './lib/run.mjs';
import { extractPackage, pnpmPack, readTarball } from './lib/tarball.mjs';

const COMPANIONS = ['datasets', 'evaluation', 'lancedb', 'cli'];
const started = Date.now();
const summary = [];
const note = (line) => console.log(`\n== ${line}`);

const { values: args } = parseArgs({
  options: {
    binary: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string' },
    'no-run': { type: 'boolean', default: false },
  },
});

const config = await readNapiConfig();
const host = hostTarget(config.targets);
const target = args.target ? config.targets.find((t) => t.triple === args.target) : host;
if (!target) {
  const known = config.targets.map((t) => t.triple).join(', ');
  throw new Error(args.target ? `${args.target} is not in napi.targets (${known})` : `this machine is none of napi.targets (${known})`);
}
const native = target === host;
if (!native && !args.binary) throw new Error(`--target ${target.triple} is not this machine: pass --binary too`);
const runConsumer = native && !args['no-run'];
const platformPkg = `${config.packageName}-${target.platformArchABI}`;
const version = config.packageJson.version;
const work = args.out ? resolve(args.out) : mkdtempSync(join(tmpdir(), 'lightfm-smoke-'));
if (args.out) rmSync(work, { recursive: true, force: true });
for (const dir of ['tarballs', 'stage', 'app', 'home', 'bin']) mkdirSync(join(work, dir), { recursive: true });
console.log(`smoke-pack: ${platformPkg}@${version} in ${work}`);

// Shipped binaries must run on every CPU of their target.
const rustflags = `${process.env.RUSTFLAGS ?? ''} ${process.env.CARGO_ENCODED_RUSTFLAGS ?? ''}`;
const cargoConfig = readFileSync(join(repoRoot, '.cargo', 'config.toml'), 'utf8');
if (/target-cpu\s*=\s*native/.test(rustflags + cargoConfig)) throw new Error('target-cpu=native must not be used for shipped binaries');

note('building the TypeScript packages');
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'build'], { cwd: repoRoot });

let binary = args.binary && resolve(args.binary);
if (!binary) {
  note('building the binary from the release profile (LTO, one codegen unit, stripped)');
  const out = join(work, 'native');
  const t0 = Date.now();
  const manifest = join('..', '..', 'crates', 'lightfm-node', 'Cargo.toml');
  run(process.execPath, [napiBin, 'build', '--platform', '--release', '--manifest-path', manifest, '-o', out, '--no-js'], {
    cwd: coreDir,
  });
  binary = join(out, `${config.binaryName}.${target.platformArchABI}.node`);
  summary.push(`release build took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
if (!existsSync(binary)) throw new Error(`no binary at ${binary}`);
summary.push(`binary ${basename(binary)}: ${(statSync(binary).size / 1024).toFixed(0)} KiB`);

note('packing @lightfm-ts/core');
const coreTgz = pack(coreDir, 'workspace');
const coreFiles = readTarball(coreTgz).map((e) => e.path);
assertNoBinary(coreTgz);
for (const needed of ['package/dist/index.js', 'package/binding.cjs', 'package/binding.d.cts']) {
  if (!coreFiles.includes(needed)) throw new Error(`the core tarball lacks ${needed}`);
}
summary.push(`core tarball: ${coreFiles.length} files, no .node`);

note(`staging the release: napi create-npm-dirs + pre-publish for ${target.triple}`);
const stage = join(work, 'stage', 'core');
extractPackage(coreTgz, stage);
const stagedJson = join(stage, 'package.json');
const staged = JSON.parse(readFileSync(stagedJson, 'utf8'));
// Only this target: the consumer installs offline, and the other platform packages do not exist yet.
staged.napi.targets = [target.triple];
writeFileSync(stagedJson, `${JSON.stringify(staged, null, 2)}\n`);
run(process.execPath, [napiBin, 'create-npm-dirs', '--cwd', stage]);
const platformDir = join(stage, 'npm', target.platformArchABI);
copyFileSync(binary, join(platformDir, `${config.binaryName}.${target.platformArchABI}.node`));
run(process.execPath, [napiBin, 'pre-publish', '--cwd', stage, '-t', 'npm', '--skip-optional-publish', '--no-gh-release']);
const optional = JSON.parse(readFileSync(stagedJson, 'utf8')).optionalDependencies ?? {};
if (optional[platformPkg] !== version) {
  throw new Error(`pre-publish wrote optionalDependencies ${JSON.stringify(optional)}, expected ${platformPkg}@${version}`);
}
const platformTgz = pack(platformDir);
const { os, cpu, libc } = JSON.parse(readTarball(platformTgz).find((e) => e.path === 'package/package.json').data);
summary.push(`platform package ${platformPkg}: ${(statSync(platformTgz).size / 1024).toFixed(0)} KiB packed, ${JSON.stringify({ os, cpu, libc })}`);
const stagedCoreTgz = pack(stage);
assertNoBinary(stagedCoreTgz);

const tarballs = { '@lightfm-ts/core': stagedCoreTgz };
for (const name of COMPANIONS) {
  const dir = join(repoRoot, 'packages', name);
  if (existsSync(join(dir, 'package.json'))) tarballs[`@lightfm-ts/${name}`] = pack(dir);
  else summary.push(`NOT CHECKED: packages/${name} does not exist yet`);
}

note('installing the tarballs into a fresh project');
const app = join(work, 'app');
// Relative specs: the project may be mounted elsewhere (a container) and Windows paths have drive letters.
const fileSpec = (tgz) => `file:${relative(app, tgz).replaceAll('\\', '/')}`;
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({ name: 'lightfm-smoke-app', private: true, type: 'module', dependencies: Object.fromEntries(Object.entries(tarballs).map(([n, t]) => [n, fileSpec(t)])) }, null, 2)}\n`,
);
// The companions name core as a peer (the published range `^<version>`), which the app's own
// core tarball satisfies; the overrides point any other resolution of core and the companions
// (the cli depends on evaluation), and core's optional platform dependency, at the local tarballs. Install the target's platform package even when
// pnpm's own view of the machine differs (x64 Node under Rosetta, another libc).
const libcLine = target.abi === 'musl' ? ['  libc: [musl]'] : target.abi === 'gnu' ? ['  libc: [glibc]'] : [];
const workspace = [
  'overrides:',
  ...Object.entries(tarballs).map(([name, tgz]) => `  '${name}': '${fileSpec(tgz)}'`),
  `  '${platformPkg}': '${fileSpec(platformTgz)}'`,
  // @lancedb/lancedb's embedding-function integrations (optional, large, unused by @lightfm-ts/lancedb).
  'ignoredOptionalDependencies:',
  "  - '@huggingface/transformers'",
  '  - openai',
  'supportedArchitectures:',
  `  os: [${target.platform}]`,
  `  cpu: [${target.arch}]`,
  ...libcLine,
];
writeFileSync(join(app, 'pnpm-workspace.yaml'), `${workspace.join('\n')}\n`);
copyFileSync(join(repoRoot, 'scripts', 'smoke', 'consumer.mjs'), join(app, 'consumer.mjs'));
run('pnpm', ['install', '--prefer-offline', '--config.confirm-modules-purge=false'], { cwd: app });
// A missing optional dependency installs "successfully": make sure it is really there.
const storeDirs = readdirSync(join(app, 'node_modules', '.pnpm'));
const platformStoreDir = storeDirs.find((d) => d.startsWith(`${platformPkg.replace('/', '+')}@`));
if (!platformStoreDir) throw new Error(`${platformPkg} was not installed (node_modules/.pnpm has ${storeDirs.join(', ')})`);
summary.push(`installed ${Object.keys(tarballs).join(', ')} and ${platformPkg} from tarballs`);

if (runConsumer) {
  note('running the consumer with no cargo, rustc or cc on PATH');
  const env = bareEnvironment();
  const result = run(process.execPath, ['consumer.mjs'], { cwd: app, env, allowFailure: true });
  if (result.status !== 0) throw new Error(`the consumer failed (project kept in ${work})`);

  note('checking the message when the platform package is missing');
  // Hide the package itself: pnpm links it from more than one place (core's deps, the hoisted .pnpm/node_modules).
  const installedAt = join(app, 'node_modules', '.pnpm', platformStoreDir);
  renameSync(installedAt, `${installedAt}.hidden`);
  try {
    const missing = run(process.execPath, ['consumer.mjs', '--expect-missing', `${platformPkg}@${version}`], { cwd: app, env, allowFailure: true });
    if (missing.status !== 0) throw new Error('a missing platform package was not reported clearly');
  } finally {
    renameSync(`${installedAt}.hidden`, installedAt);
  }
  summary.push('consumer passed without a Rust toolchain; a missing platform package gives a clear error');
} else {
  summary.push(`consumer NOT run here: run \`node consumer.mjs\` in ${app} on ${target.triple}`);
}

console.log(`\nsmoke-pack summary (${((Date.now() - started) / 1000).toFixed(0)} s):`);
for (const line of summary) console.log(`  - ${line}`);
if (!args.out && runConsumer) rmSync(work, { recursive: true, force: true });

/** `pnpm pack`s a package folder into `tarballs/<sub>` and returns the tarball path. */
function pack(dir, sub = '') {
  return pnpmPack(dir, join(work, 'tarballs', sub));
}

function assertNoBinary(tgz) {
  const binaries = readTarball(tgz).filter((e) => e.path.endsWith('.node'));
  if (binaries.length > 0) throw new Error(`${basename(tgz)} ships native binaries: ${binaries.map((e) => e.path)}`);
}

/**
 * An environment with only node on PATH (no cargo, rustc or cc), a fresh HOME, and napi's loader
 * told to reject a platform package whose version differs from core's.
 */
function bareEnvironment() {
  const env = { HOME: join(work, 'home'), NAPI_RS_ENFORCE_VERSION_CHECK: '1' };
  if (process.env.LIGHTFM_DATA_HOME) env.LIGHTFM_DATA_HOME = process.env.LIGHTFM_DATA_HOME;
  if (process.platform === 'win32') {
    const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
    return { ...env, SystemRoot: systemRoot, TEMP: tmpdir(), TMP: tmpdir(), PATH: `${dirname(process.execPath)};${join(systemRoot, 'System32')}` };
  }
  const bin = join(work, 'bin');
  symlinkSync(process.execPath, join(bin, 'node'));
  return { ...env, PATH: bin };
}
