// What the release uploads for each published package, packed the same way: a README
// (the npm page) and the LICENSE, the built code and declarations behind every entry of
// `exports`, nothing else of the repository, and a manifest whose workspace links became
// versions, with @lightfm-ts/core as a peer of its companions.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type TarEntry, pnpmPack, readTarball } from '../../../scripts/lib/tarball.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lightfm-tarballs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Manifest {
  name: string;
  version: string;
  license?: string;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const PUBLISHED = ['core', 'evaluation', 'datasets', 'lancedb', 'cli'];

/** Packs `packages/<name>` as the release does (scripts/release.mjs) and reads the tarball. */
function pack(name: string): { files: Map<string, Buffer>; manifest: Manifest } {
  const entries: TarEntry[] = readTarball(pnpmPack(join(root, 'packages', name), join(work, name)));
  const files = new Map(entries.map((e) => [e.path.replace(/^package\//, ''), e.data]));
  return { files, manifest: JSON.parse((files.get('package.json') as Buffer).toString('utf8')) as Manifest };
}

/** Every file `exports`, `main` and `types` point at. */
function entryFiles(m: Manifest): string[] {
  const targets = Object.values(m.exports ?? {}).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  return [...targets, m.main, m.types].filter((t): t is string => t !== undefined).map((t) => t.replace(/^\.\//, ''));
}

const coreVersion = (JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8')) as Manifest).version;

describe.each(PUBLISHED)('the @lightfm-ts/%s tarball', (name) => {
  const { files, manifest } = pack(name);

  it('ships its README (the npm page) and the Apache-2.0 LICENSE of the repository', () => {
    expect(files.get('README.md')?.toString('utf8')).toBe(readFileSync(join(root, 'packages', name, 'README.md'), 'utf8'));
    expect(files.get('LICENSE')?.equals(readFileSync(join(root, 'LICENSE')))).toBe(true);
    expect(manifest.license).toBe('Apache-2.0');
  });

  it('ships the code and declarations behind every entry point', () => {
    const entries = entryFiles(manifest);
    expect(entries).toContain('dist/index.js');
    expect(entries).toContain('dist/index.d.ts');
    for (const file of entries) expect(files.has(file), `${file} (named in package.json) is not in the tarball`).toBe(true);
  });

  it('ships nothing else of the repository (no sources, tests or native binaries)', () => {
    const allowed = /^(README\.md|LICENSE|package\.json|dist\/.+\.(js|d\.ts)(\.map)?|binding\.cjs|binding\.d\.cts)$/;
    expect([...files.keys()].filter((f) => !allowed.test(f))).toEqual([]);
  });

  it('names versions, not workspace links, and core as a peer of the companions', () => {
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    if (name === 'core') return;
    expect(manifest.peerDependencies).toEqual({ '@lightfm-ts/core': `^${coreVersion}` });
    expect(manifest.dependencies?.['@lightfm-ts/core']).toBeUndefined();
    expect(manifest.version).toBe(coreVersion);
  });
});
