#!/usr/bin/env node
// Release gate, run after `napi create-npm-dirs` and `napi artifacts`: every target in
// packages/core's napi.targets has its npm/<platform> package, at core's version, holding a
// binary built for that OS and CPU (and, for glibc, linked against no glibc newer than the floor
// that napi's cross toolchain gives). Publishing stops here instead of shipping a hole.
//
//   node scripts/check-npm-dirs.mjs [--glibc-floor 2.17] [--package-dir packages/core]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coreDir, readNapiConfig } from './lib/napi.mjs';

const { values: args } = parseArgs({
  options: { 'glibc-floor': { type: 'string', default: '2.17' }, 'package-dir': { type: 'string', default: coreDir } },
});
const packageDir = resolve(args['package-dir']);
const floor = args['glibc-floor'].split('.').map(Number);

/** What the first bytes of a binary say about its format and CPU. */
function describeBinary(bytes) {
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = bytes.readUInt16LE(18);
    return { os: 'linux', arch: { 62: 'x64', 183: 'arm64' }[machine] ?? `elf-machine-${machine}` };
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { os: 'darwin', arch: { 0x01000007: 'x64', 0x0100000c: 'arm64' }[cpu] ?? `macho-cpu-${cpu}` };
  }
  if (bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    const machine = bytes.readUInt16LE(pe + 4);
    return { os: 'win32', arch: { 0x8664: 'x64', 0xaa64: 'arm64' }[machine] ?? `pe-machine-${machine}` };
  }
  return { os: 'unknown', arch: 'unknown' };
}

/** The newest `GLIBC_2.x` symbol version the binary asks for, as [2, x], or undefined. */
function newestGlibc(bytes) {
  const versions = [...bytes.toString('latin1').matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  return versions.sort((a, b) => a[0] - b[0] || a[1] - b[1]).at(-1);
}

const config = await readNapiConfig(join(packageDir, 'package.json'));
const version = config.packageJson.version;
const npmDir = join(packageDir, 'npm');
const problems = [];
const rows = [];

for (const target of config.targets) {
  const dir = join(npmDir, target.platformArchABI);
  const fail = (why) => problems.push(`${target.triple}: ${why}`);
  if (!existsSync(join(dir, 'package.json'))) {
    fail(`no ${dir}/package.json (run napi create-npm-dirs)`);
    continue;
  }
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const expectedName = `${config.packageName}-${target.platformArchABI}`;
  if (pkg.name !== expectedName) fail(`package name ${pkg.name}, expected ${expectedName}`);
  if (pkg.version !== version) fail(`version ${pkg.version}, core is ${version}`);
  if (pkg.scripts?.postinstall || pkg.scripts?.install) fail('platform packages must have no install scripts');
  const file = join(dir, pkg.main ?? '');
  if (!pkg.main || !existsSync(file)) {
    fail(`no binary ${pkg.main} in ${dir} (was the bindings-${target.triple} artifact downloaded?)`);
    continue;
  }
  const bytes = readFileSync(file);
  const found = describeBinary(bytes);
  if (found.os !== target.platform || found.arch !== target.arch) {
    fail(`${pkg.main} is a ${found.os}/${found.arch} binary, expected ${target.platform}/${target.arch}`);
  }
  let glibc = '';
  if (target.abi === 'musl' && newestGlibc(bytes)) fail(`${pkg.main} links against glibc, not musl`);
  if (target.abi === 'gnu') {
    const newest = newestGlibc(bytes);
    glibc = newest ? ` glibc>=${newest.join('.')}` : '';
    if (newest && (newest[0] > floor[0] || (newest[0] === floor[0] && newest[1] > floor[1]))) {
      fail(`${pkg.main} needs GLIBC_${newest.join('.')}, newer than the ${floor.join('.')} floor (build with --use-napi-cross)`);
    }
  }
  rows.push(`${expectedName}@${pkg.version}: ${pkg.main} ${(statSync(file).size / 1024).toFixed(0)} KiB ${found.os}/${found.arch}${glibc}`);
}

const expected = new Set(config.targets.map((t) => t.platformArchABI));
for (const extra of existsSync(npmDir) ? readdirSync(npmDir) : []) {
  if (!expected.has(extra)) problems.push(`npm/${extra} is not in napi.targets`);
}

for (const row of rows) console.log(`ok  ${row}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`BAD ${problem}`);
  process.exit(1);
}
console.log(`all ${config.targets.length} platform packages are complete`);
