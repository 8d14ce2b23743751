// The versions `changeset version` gives the published packages. They are one `fixed` group
// (.changeset/config.json) and the companions name core as a peer dependency; changesets'
// default would turn any minor release of a 0.x peer into a major one of its dependents (1.0.0
// for all of them), which the patch in patches/ prevents. Runs on a copy of the workspace's
// manifests.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/napi.mjs';

const changesetBin = createRequire(join(repoRoot, 'package.json')).resolve('@changesets/cli/bin.js');
const PUBLISHED = ['core', 'evaluation', 'datasets', 'lancedb', 'cli'];
const work = [];
afterEach(() => {
  for (const dir of work.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const versionOf = (dir, name) => JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8')).version;

/** The workspace's manifests and changesets config in a temporary folder. */
function copyWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-changeset-versions-'));
  work.push(dir);
  const manifests = ['packages', 'examples'].flatMap((parent) =>
    readdirSync(join(repoRoot, parent)).map((name) => join(parent, name, 'package.json')),
  );
  for (const file of ['package.json', 'pnpm-workspace.yaml', join('.changeset', 'config.json'), join('benchmarks', 'package.json'), ...manifests]) {
    if (!existsSync(join(repoRoot, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(dir, file));
  }
  // changesets loads the changelog generator named in the config from here.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

describe('changeset version', () => {
  it.each(['patch', 'minor'])('gives every published package the next %s version after a core changeset', (bump) => {
    const dir = copyWorkspace();
    const [major, minor, patch] = versionOf(dir, 'core').split('.').map(Number);
    writeFileSync(join(dir, '.changeset', 'core-change.md'), `---\n'@lightfm-ts/core': ${bump}\n---\n\nA change.\n`);
    execFileSync(process.execPath, [changesetBin, 'version'], { cwd: dir, stdio: 'pipe' });
    const expected = bump === 'patch' ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
    expect(PUBLISHED.map((name) => versionOf(dir, name))).toEqual(PUBLISHED.map(() => expected));
  });
});
