#!/usr/bin/env node
// Bundles a published package's JavaScript: one file per entry point in dist/, plus chunks they
// share. Run from the package directory; tsc then writes the declarations beside them.
//
//   node ../../scripts/bundle.mjs src/index.ts [src/internal.ts ...]
//
// Why bundle: Node's ESM loader keeps about 0.3 MiB resident per module it loads, so
// @lightfm-ts/core as 20 modules cost 9.4 MiB on import where one bundle costs 3.4 MiB, the addon
// included (docs/benchmarks.md). Other packages, node: built-ins and the napi loader
// (binding.cjs, required at run time) stay imports. `__PACKAGE_VERSION__` in the source becomes
// the package's version, so bundled copies of it still know their version.
import { readFileSync, rmSync } from 'node:fs';
import { basename, extname, isAbsolute } from 'node:path';
import { build } from 'rolldown';

const entries = process.argv.slice(2);
if (entries.length === 0) throw new Error('usage: bundle.mjs <entry.ts> [<entry.ts> ...]');

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const isBareSpecifier = (id) => !id.startsWith('.') && !isAbsolute(id);

rmSync('dist', { recursive: true, force: true });
await build({
  input: Object.fromEntries(entries.map((entry) => [basename(entry, extname(entry)), entry])),
  platform: 'node',
  external: (id) => isBareSpecifier(id) || id.endsWith('binding.cjs'),
  transform: { define: { __PACKAGE_VERSION__: JSON.stringify(version) } },
  logLevel: 'warn',
  output: { dir: 'dist', format: 'esm', sourcemap: true, chunkFileNames: '[name]-[hash].js' },
});
