// The versions a release gives the packages. They are one `fixed` group in .changeset/config.json
// and the companions name core as a peer dependency; changesets' default would turn any minor
// release of a 0.x peer into a major one of its dependents (1.0.0 for all three), which the
// patch in patches/ prevents. `changeset version` runs on a copy of the workspace's manifests.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const changesetBin = createRequire(join(root, 'package.json')).resolve('@changesets/cli/bin.js');
const PUBLISHED = ['core', 'evaluation', 'datasets'];
const work: string[] = [];
afterEach(() => {
  for (const dir of work.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const versionOf = (dir: string, name: string): string =>
  (JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8')) as { version: string }).version;

/** The workspace's manifests and changesets config in a temporary folder. */
function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-release-plan-'));
  work.push(dir);
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  for (const parent of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, parent))) {
      const manifest = join(parent, name, 'package.json');
      if (!existsSync(join(root, manifest))) continue;
      mkdirSync(join(dir, parent, name), { recursive: true });
      copyFileSync(join(root, manifest), join(dir, manifest));
    }
  }
  mkdirSync(join(dir, 'benchmarks'));
  copyFileSync(join(root, 'benchmarks', 'package.json'), join(dir, 'benchmarks', 'package.json'));
  // changesets loads the changelog generator named in the config from here.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

describe('changeset version', () => {
  it.each(['patch', 'minor'] as const)('gives all three packages the next %s version after a core changeset', (bump) => {
    const dir = copyWorkspace();
    const before = versionOf(dir, 'core');
    writeFileSync(join(dir, '.changeset', 'core-change.md'), `---\n'@lightfm-ts/core': ${bump}\n---\n\nA change.\n`);
    execFileSync(process.execPath, [changesetBin, 'version'], { cwd: dir, stdio: 'pipe' });
    const [major, minor, patch] = before.split('.').map(Number) as [number, number, number];
    const expected = bump === 'patch' ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
    expect(PUBLISHED.map((name) => versionOf(dir, name))).toEqual([expected, expected, expected]);
  });
});
