// The release's "what is still missing" logic (scripts/lib/release-plan.mjs) and how a publish
// acts on it (scripts/lib/release-publish.mjs): a release that failed half-way is finished by
// running it again. The registry is a local HTTP server, the remote a local bare repository.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/napi.mjs';
import { distTag, planRelease, publishedVersions, releasePackages, releaseTag, remoteTags } from '../lib/release-plan.mjs';
import { ALREADY_PUBLISHED, canTrustPublish, executeRelease } from '../lib/release-publish.mjs';

const work = mkdtempSync(join(tmpdir(), 'lightfm-release-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VERSION = '0.3.0';
const PLATFORMS = ['linux-x64-gnu', 'win32-x64-msvc'];

/** A release on disk: core with its optionalDependencies, its npm/<platform> folders, two companions. */
function fixture(name, { optionalDependencies = true } = {}) {
  const root = join(work, name);
  const write = (dir, json) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(json));
  };
  const platforms = PLATFORMS.map((p) => ({ name: `@x/core-${p}`, version: VERSION, dir: join(root, 'core', 'npm', p), kind: 'platform' }));
  for (const p of platforms) write(p.dir, { name: p.name, version: VERSION });
  const core = { name: '@x/core', version: VERSION, dir: join(root, 'core'), kind: 'core' };
  write(core.dir, { name: core.name, version: VERSION, ...(optionalDependencies && { optionalDependencies: Object.fromEntries(platforms.map((p) => [p.name, VERSION])) }) });
  const companions = ['@x/evaluation', '@x/datasets'].map((n) => ({ name: n, version: VERSION, dir: join(root, n.slice(3)), kind: 'companion' }));
  for (const c of companions) write(c.dir, { name: c.name, version: VERSION });
  return [...companions, core, ...platforms];
}

/** A registry and a remote in memory, and effects that publish and push to them. */
function world(packages, { published = [], tags = [], failOn } = {}) {
  const registry = new Map(packages.map((p) => [p.name, new Set(['0.1.0'])]));
  for (const name of published) registry.get(name).add(VERSION);
  const remote = new Set(tags);
  const calls = [];
  const publishAt = (kind) => async (dir, tag) => {
    const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    calls.push(`${kind} ${name}@${version} --tag ${tag}`);
    if (name === failOn) throw new Error(`npm publish ${name} failed: 503`);
    registry.get(name).add(version);
    return 'published';
  };
  const local = [];
  const effects = {
    publishFolder: publishAt('folder'),
    publishWorkspacePackage: publishAt('pack'),
    createTag: async (tag) => void local.push(tag),
    pushTags: async (pushed) => {
      calls.push(`push ${pushed.join(' ')}`);
      for (const tag of pushed) remote.add(tag);
    },
    log: () => {},
  };
  const plan = () => planRelease({ packages, published: registry, tags: remote });
  return { registry, remote, calls, effects, plan, local };
}

describe('planRelease', () => {
  const packages = fixture('plan');

  it('a first release: everything, platform packages first, then core, then its companions', () => {
    const { plan } = world(packages);
    const p = plan();
    expect(p.publish.map((x) => x.name)).toEqual(['@x/core-linux-x64-gnu', '@x/core-win32-x64-msvc', '@x/core', '@x/datasets', '@x/evaluation']);
    expect(p.tags).toEqual(['@x/core@0.3.0', '@x/datasets@0.3.0', '@x/evaluation@0.3.0']);
    expect(p).toMatchObject({ build: true, done: false, neverPublished: [] });
  });

  it('checks each package and each tag on its own', () => {
    const p = world(packages, { published: ['@x/core-linux-x64-gnu', '@x/core-win32-x64-msvc', '@x/core', '@x/evaluation'], tags: ['@x/evaluation@0.3.0'] }).plan();
    expect(p.publish.map((x) => x.name)).toEqual(['@x/datasets']);
    expect(p.tags).toEqual(['@x/core@0.3.0', '@x/datasets@0.3.0']);
    // Only a companion is missing: no binaries are needed.
    expect(p.build).toBe(false);
  });

  it('needs the binaries while core is missing, even when every platform package is out', () => {
    const p = world(packages, { published: ['@x/core-linux-x64-gnu', '@x/core-win32-x64-msvc'] }).plan();
    expect(p.publish.map((x) => x.name)).toEqual(['@x/core', '@x/datasets', '@x/evaluation']);
    expect(p.build).toBe(true);
  });

  it('a release whose packages are all out still pushes its missing tags', () => {
    const all = packages.map((p) => p.name);
    expect(world(packages, { published: all }).plan()).toMatchObject({ publish: [], tags: ['@x/core@0.3.0', '@x/datasets@0.3.0', '@x/evaluation@0.3.0'], build: false, done: false });
    const tags = packages.filter((p) => p.kind !== 'platform').map(releaseTag);
    expect(world(packages, { published: all, tags }).plan()).toMatchObject({ publish: [], tags: [], done: true });
  });

  it('names the packages the registry has never seen (trusted publishing cannot create them)', () => {
    const published = new Map(packages.map((p) => [p.name, new Set(['0.1.0'])]));
    published.set('@x/datasets', null);
    published.set('@x/core-win32-x64-msvc', null);
    const p = planRelease({ packages, published, tags: new Set() });
    expect(p.neverPublished).toEqual(['@x/core-win32-x64-msvc', '@x/datasets']);
  });

  it('refuses to guess about a package the registry was not asked about', () => {
    expect(() => planRelease({ packages, published: new Map(), tags: new Set() })).toThrow(/no registry answer for/);
  });

  it('publishes prereleases under their own dist-tag', () => {
    expect(distTag('0.3.0')).toBe('latest');
    expect(distTag('0.3.0-beta.2')).toBe('beta');
    expect(distTag('1.0.0-rc.1+build.5')).toBe('rc');
    expect(distTag('1.0.0-0')).toBe('next');
  });
});

describe('executeRelease', () => {
  it('publishes in order, then creates and pushes the tags', async () => {
    const packages = fixture('order');
    const w = world(packages);
    await executeRelease(w.plan(), w.effects);
    expect(w.calls).toEqual([
      'folder @x/core-linux-x64-gnu@0.3.0 --tag latest',
      'folder @x/core-win32-x64-msvc@0.3.0 --tag latest',
      'pack @x/core@0.3.0 --tag latest',
      'pack @x/datasets@0.3.0 --tag latest',
      'pack @x/evaluation@0.3.0 --tag latest',
      'push @x/core@0.3.0 @x/datasets@0.3.0 @x/evaluation@0.3.0',
    ]);
    expect(w.local).toEqual(['@x/core@0.3.0', '@x/datasets@0.3.0', '@x/evaluation@0.3.0']);
    expect(w.plan().done).toBe(true);
  });

  it('a rerun after a failure half-way publishes only what is missing and pushes the tags', async () => {
    const packages = fixture('rerun');
    const w = world(packages, { failOn: '@x/datasets' });
    await expect(executeRelease(w.plan(), w.effects)).rejects.toThrow('npm publish @x/datasets failed: 503');
    expect(w.remote.size).toBe(0);
    expect([...w.registry].filter(([, v]) => v.has(VERSION)).map(([n]) => n)).toEqual(['@x/core', '@x/core-linux-x64-gnu', '@x/core-win32-x64-msvc']);

    // The rerun asks the registry again; the registry is healthy now.
    const rerun = world(packages, { published: ['@x/core', '@x/core-linux-x64-gnu', '@x/core-win32-x64-msvc'] });
    await executeRelease(rerun.plan(), rerun.effects);
    expect(rerun.calls).toEqual(['pack @x/datasets@0.3.0 --tag latest', 'pack @x/evaluation@0.3.0 --tag latest', 'push @x/core@0.3.0 @x/datasets@0.3.0 @x/evaluation@0.3.0']);
    expect(rerun.plan().done).toBe(true);

    // A third run finds nothing to do and does nothing.
    const third = world(packages, { published: packages.map((p) => p.name), tags: [...rerun.remote] });
    await executeRelease(third.plan(), third.effects);
    expect(third.calls).toEqual([]);
  });

  it('a rerun after the tag push failed only pushes the tags', async () => {
    const packages = fixture('tags');
    const w = world(packages, { published: packages.map((p) => p.name), tags: ['@x/core@0.3.0'] });
    await executeRelease(w.plan(), w.effects);
    expect(w.calls).toEqual(['push @x/datasets@0.3.0 @x/evaluation@0.3.0']);
  });

  it('publishes nothing while a package has never been published, and says what to do', async () => {
    const packages = fixture('new');
    const w = world(packages);
    w.registry.set('@x/datasets', null);
    await expect(executeRelease(w.plan(), w.effects)).rejects.toThrow(/@x\/datasets is not on npm yet\. Trusted publishing .* publish a first version by hand/);
    expect(w.calls).toEqual([]);
  });

  it('stops before a platform package whose folder was not assembled', async () => {
    const packages = fixture('unassembled');
    rmSync(packages.find((p) => p.name === '@x/core-linux-x64-gnu').dir, { recursive: true });
    const w = world(packages);
    await expect(executeRelease(w.plan(), w.effects)).rejects.toThrow(/@x\/core-linux-x64-gnu@0\.3\.0 is not on npm and .* does not exist/);
    expect(w.calls).toEqual([]);
  });

  it('stops before publishing a core whose optionalDependencies miss a platform package', async () => {
    const packages = fixture('no-optional', { optionalDependencies: false });
    const w = world(packages, { published: ['@x/core-linux-x64-gnu', '@x/core-win32-x64-msvc'] });
    await expect(executeRelease(w.plan(), w.effects)).rejects.toThrow(/@x\/core's optionalDependencies lack @x\/core-linux-x64-gnu@0\.3\.0, @x\/core-win32-x64-msvc@0\.3\.0/);
    expect(w.calls).toEqual([]);
  });

  it('needs npm 11.5.1 or newer, the first that publishes with the OIDC token', () => {
    for (const ok of ['11.5.1', '11.21.3', '11.10.0', '12.0.0']) expect(canTrustPublish(ok)).toBe(true);
    for (const old of ['11.5.0', '11.4.9', '10.9.2', '10.99.99']) expect(canTrustPublish(old)).toBe(false);
  });

  it('recognises npm saying that a version is already out', () => {
    expect(ALREADY_PUBLISHED.test('npm error 403 403 Forbidden - PUT https://registry.npmjs.org/@x%2fcore - You cannot publish over the previously published versions: 0.3.0.')).toBe(true);
    expect(ALREADY_PUBLISHED.test('npm error code EPUBLISHCONFLICT')).toBe(true);
    expect(ALREADY_PUBLISHED.test('npm error code E404 Not Found - PUT https://registry.npmjs.org/@x%2fcore')).toBe(false);
  });
});

/** A registry that knows `packages` (name → versions) and answers 404 for anything else. */
async function fakeRegistry(packages, requests = []) {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(req.url.slice(1));
    requests.push({ name, accept: req.headers.accept });
    if (name === '@x/broken') return res.writeHead(500).end();
    const versions = packages[name];
    if (!versions) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    res.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' });
    res.end(JSON.stringify({ name, 'dist-tags': { latest: versions.at(-1) }, versions: Object.fromEntries(versions.map((v) => [v, { name, version: v }])) }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve).closeAllConnections()) };
}

describe('publishedVersions', () => {
  it("reads a package's versions from the registry, null for a package it does not know", async () => {
    const requests = [];
    const registry = await fakeRegistry({ '@x/core': ['0.1.0', '0.2.0'] }, requests);
    try {
      expect(await publishedVersions('@x/core', { registry: registry.url })).toEqual(new Set(['0.1.0', '0.2.0']));
      expect(await publishedVersions('@x/new', { registry: registry.url.slice(0, -1) })).toBeNull();
      await expect(publishedVersions('@x/broken', { registry: registry.url })).rejects.toThrow(/published versions of @x\/broken failed: HTTP 500/);
      expect(requests[0]).toEqual({ name: '@x/core', accept: 'application/vnd.npm.install-v1+json' });
    } finally {
      await registry.close();
    }
  });
});

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('remoteTags', () => {
  it('lists lightweight and annotated tags of a remote once each', () => {
    const remote = join(work, 'remote.git');
    const clone = join(work, 'clone');
    git(work, 'init', '-q', '--bare', remote);
    git(work, 'init', '-q', clone);
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'release');
    git(clone, 'tag', '@x/core@0.3.0');
    git(clone, 'tag', '-a', '@x/datasets@0.3.0', '-m', 'annotated');
    expect(remoteTags(remote, clone)).toEqual(new Set());
    git(clone, 'push', '-q', remote, 'HEAD:refs/heads/main', '--tags');
    expect(remoteTags(remote, clone)).toEqual(new Set(['@x/core@0.3.0', '@x/datasets@0.3.0']));
  });
});

describe('the release of this repository', () => {
  it('is core, its six platform packages and the public companions, at one version', async () => {
    const packages = await releasePackages();
    const core = JSON.parse(readFileSync(join(repoRoot, 'packages', 'core', 'package.json'), 'utf8'));
    expect(packages.filter((p) => p.kind === 'platform').map((p) => p.name).sort()).toEqual(
      ['darwin-arm64', 'darwin-x64', 'linux-arm64-gnu', 'linux-x64-gnu', 'linux-x64-musl', 'win32-x64-msvc'].map((p) => `@lightfm-ts/core-${p}`),
    );
    expect(packages.filter((p) => p.kind !== 'platform').map((p) => `${p.kind} ${p.name}`)).toEqual([
      'companion @lightfm-ts/cli',
      'core @lightfm-ts/core',
      'companion @lightfm-ts/datasets',
      'companion @lightfm-ts/evaluation',
      'companion @lightfm-ts/lancedb',
    ]);
    expect(new Set(packages.map((p) => p.version))).toEqual(new Set([core.version]));
    expect(relative(repoRoot, packages.find((p) => p.name === '@lightfm-ts/core-linux-x64-gnu').dir)).toBe(join('packages', 'core', 'npm', 'linux-x64-gnu'));
  });

  it('`release.mjs plan` tells the workflow whether to build and to publish', async () => {
    const packages = await releasePackages();
    const version = packages[0].version;
    const remote = join(work, 'this-remote.git');
    git(work, 'init', '-q', '--bare', remote);
    const plan = async (known, extra = []) => {
      const registry = await fakeRegistry(known);
      const output = join(work, `output-${Math.random()}`);
      writeFileSync(output, '');
      try {
        // Not spawnSync: the registry answers from this process's event loop.
        const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'release.mjs'), 'plan', '--github-output', '--remote', remote, ...extra], {
          env: { ...process.env, npm_config_registry: registry.url, GITHUB_OUTPUT: output },
        });
        return { stdout, output: readFileSync(output, 'utf8') };
      } finally {
        await registry.close();
      }
    };
    const older = Object.fromEntries(packages.map((p) => [p.name, ['0.0.1']]));
    expect((await plan(older)).output).toBe(`version=${version}\nbuild=true\npublish=true\n`);

    const allButDatasets = Object.fromEntries(packages.map((p) => [p.name, p.name === '@lightfm-ts/datasets' ? ['0.0.1'] : ['0.0.1', version]]));
    const partial = await plan(allButDatasets);
    expect(partial.output).toBe(`version=${version}\nbuild=false\npublish=true\n`);
    expect(partial.stdout).toContain(`TO PUBLISH @lightfm-ts/datasets@${version}`);
    expect(partial.stdout).toContain(`published  @lightfm-ts/core@${version}`);

    const fresh = await plan({});
    expect(fresh.output).toBe(`version=${version}\nbuild=false\npublish=false\n`);
    expect(fresh.stdout).toMatch(/::warning::.*must be published once by hand/);
    expect((await plan({}, ['--dry-run'])).output).toBe(`version=${version}\nbuild=true\npublish=false\n`);
  });
});
