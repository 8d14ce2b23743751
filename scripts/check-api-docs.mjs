#!/usr/bin/env node
// Checks the API reference that `typedoc` wrote into docs/api (part of `pnpm lint`): every
// "Defined in" link points into this repository on GitHub (the `repository` of the packages'
// package.json), at a file that exists here and a line that file has. TypeDoc itself already
// failed on warnings (an undocumented export or option, a broken {@link}).
//
//   node scripts/check-api-docs.mjs [--out docs/api]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({ options: { out: { type: 'string', default: join(repoRoot, 'docs', 'api') } } });
const out = resolve(args.out);

const { repository } = JSON.parse(readFileSync(join(repoRoot, 'packages', 'core', 'package.json'), 'utf8'));
const repo = /github\.com\/([^/]+\/[^/.]+)/.exec(repository.url)?.[1];
if (!repo) throw new Error(`packages/core/package.json: repository.url ${repository.url} is not a GitHub URL`);
const prefix = `https://github.com/${repo}/blob/main/`;

/** Every .html file under `dir`. */
function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

if (!existsSync(join(out, 'index.html'))) throw new Error(`no API reference in ${out}: run typedoc first`);
const lineCounts = new Map();
const problems = [];
let links = 0;
for (const page of htmlFiles(out)) {
  const html = readFileSync(page, 'utf8');
  for (const [, href] of html.matchAll(/Defined in <a href="([^"]*)"/g)) {
    links++;
    const where = `${relative(repoRoot, page)}: ${href}`;
    const match = href.startsWith(prefix) ? /^([^#]+)#L(\d+)$/.exec(href.slice(prefix.length)) : null;
    if (!match) {
      problems.push(`${where} is not ${prefix}<path>#L<line>`);
      continue;
    }
    const [, path, line] = match;
    const file = join(repoRoot, path);
    if (!lineCounts.has(file)) lineCounts.set(file, existsSync(file) ? readFileSync(file, 'utf8').split('\n').length : 0);
    if (lineCounts.get(file) === 0) problems.push(`${where}: ${path} does not exist`);
    else if (Number(line) > lineCounts.get(file)) problems.push(`${where}: ${path} has ${lineCounts.get(file)} lines`);
  }
  if (/Defined in (?!<a )/.test(html)) problems.push(`${relative(repoRoot, page)}: a "Defined in" without a source link`);
}
if (links === 0) problems.push(`no "Defined in" links in ${out}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`API reference: ${links} source links into ${prefix}, all to existing lines`);
