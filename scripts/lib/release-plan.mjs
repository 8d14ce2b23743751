// What a release still has to do: which package@version of this release is not on npm yet and
// which release tag is not on the remote. Each is checked on its own, so a release that failed
// half-way (core out, a companion or the tag push not) is finished by running it again.
import { join } from 'node:path';
import { readNapiConfig, repoRoot } from './napi.mjs';
import { run } from './run.mjs';

/**
 * @typedef {{ name: string, version: string, dir: string, kind: 'platform' | 'core' | 'companion' }} ReleasePackage
 *   `platform`: a generated `npm/<platform>` package of core; `core`: the package that owns
 *   `napi.targets`; `companion`: every other public workspace package.
 * @typedef {{
 *   packages: ReleasePackage[],
 *   publish: ReleasePackage[],
 *   tags: string[],
 *   neverPublished: string[],
 *   build: boolean,
 *   done: boolean,
 * }} ReleasePlan
 *   `publish`: the packages whose version is not on the registry, in publishing order
 *   (platform packages, core, companions); `tags`: the missing release tags; `neverPublished`:
 *   missing packages the registry does not know at all (trusted publishing cannot create a
 *   package); `build`: the binaries are needed (a platform package or core is missing).
 */

const ORDER = { platform: 0, core: 1, companion: 2 };

/** The release tag of a workspace package, as changesets names it. */
export function releaseTag(pkg) {
  return `${pkg.name}@${pkg.version}`;
}

/**
 * Compares a release with what the registry and the remote already have.
 * @param {{ packages: ReleasePackage[], published: Map<string, Set<string> | null>, tags: Set<string> }} state
 *   `published`: each package's versions on the registry, `null` for a package it does not know;
 *   `tags`: the tags on the remote.
 * @returns {ReleasePlan}
 */
export function planRelease({ packages, published, tags }) {
  const ordered = [...packages].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.name.localeCompare(b.name));
  const publish = ordered.filter((pkg) => {
    if (!published.has(pkg.name)) throw new Error(`no registry answer for ${pkg.name}`);
    return !published.get(pkg.name)?.has(pkg.version);
  });
  const missingTags = ordered.filter((pkg) => pkg.kind !== 'platform' && !tags.has(releaseTag(pkg))).map(releaseTag);
  return {
    packages: ordered,
    publish,
    tags: missingTags,
    neverPublished: publish.filter((pkg) => published.get(pkg.name) === null).map((pkg) => pkg.name),
    build: publish.some((pkg) => pkg.kind !== 'companion'),
    done: publish.length === 0 && missingTags.length === 0,
  };
}

/** The npm dist-tag of a version: `latest`, or the prerelease's name (`0.2.0-beta.1` → `beta`, else `next`). */
export function distTag(version) {
  const pre = /^\d+\.\d+\.\d+-([^+]*)/.exec(version)?.[1];
  if (pre === undefined) return 'latest';
  return /^[a-z][a-z-]*/i.exec(pre)?.[0].toLowerCase() ?? 'next';
}

/**
 * Every package a release publishes: the public workspace packages (pnpm's own list) and one
 * platform package per target in core's `napi.targets`, all read from this checkout.
 * @returns {Promise<ReleasePackage[]>}
 */
export async function releasePackages(root = repoRoot) {
  const listed = JSON.parse(run('pnpm', ['-r', 'ls', '--json', '--depth', '-1'], { cwd: root, capture: true }).stdout);
  const workspace = listed.filter((p) => !p.private && p.name && p.version);
  const config = await readNapiConfig(join(root, 'packages', 'core', 'package.json'));
  const core = workspace.find((p) => p.name === config.packageName);
  if (!core) throw new Error(`${config.packageName} (napi.packageName) is not a public workspace package`);
  return [
    ...config.targets.map((t) => ({
      name: `${config.packageName}-${t.platformArchABI}`,
      version: core.version,
      dir: join(core.path, 'npm', t.platformArchABI),
      kind: /** @type {const} */ ('platform'),
    })),
    ...workspace.map((p) => ({
      name: p.name,
      version: p.version,
      dir: p.path,
      kind: /** @type {const} */ (p.name === core.name ? 'core' : 'companion'),
    })),
  ];
}

/**
 * The versions of `name` on the registry, or `null` when the registry does not know the package.
 * @param {string} name
 * @param {{ registry?: string, fetch?: typeof fetch }} [options] `fetch` is the seam for tests
 * @returns {Promise<Set<string> | null>}
 */
export async function publishedVersions(name, options = {}) {
  const { registry = 'https://registry.npmjs.org/', fetch: get = fetch } = options;
  const url = new URL(name.replace('/', '%2f'), registry.endsWith('/') ? registry : `${registry}/`);
  // The abbreviated document: versions without their readmes.
  const res = await get(url, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`asking ${url} for the published versions of ${name} failed: HTTP ${res.status}`);
  const doc = await res.json();
  return new Set(Object.keys(doc.versions ?? {}));
}

/**
 * The tags on a git remote (`git ls-remote --tags`).
 * @returns {Set<string>}
 */
export function remoteTags(remote = 'origin', cwd = repoRoot) {
  const out = run('git', ['ls-remote', '--tags', remote], { cwd, capture: true }).stdout;
  const tags = out
    .split('\n')
    .map((line) => /\trefs\/tags\/(.+?)(\^\{\})?$/.exec(line.trim())?.[1])
    .filter((tag) => tag !== undefined);
  return new Set(tags);
}

/**
 * Asks the registry and the remote what is missing for the release in this checkout.
 * @param {{ registry?: string, remote?: string, root?: string, fetch?: typeof fetch }} [options]
 * @returns {Promise<ReleasePlan>}
 */
export async function currentPlan(options = {}) {
  const { registry, remote, root, fetch: get } = options;
  const packages = await releasePackages(root);
  const published = new Map(
    await Promise.all(packages.map(async (pkg) => [pkg.name, await publishedVersions(pkg.name, { registry, fetch: get })])),
  );
  return planRelease({ packages, published, tags: remoteTags(remote, root) });
}

/** The plan in words, one line per package and tag. */
export function describePlan(plan) {
  const missing = new Set(plan.publish.map((pkg) => pkg.name));
  const lines = plan.packages.map((pkg) => {
    if (!missing.has(pkg.name)) return `  published  ${pkg.name}@${pkg.version}`;
    return `  TO PUBLISH ${pkg.name}@${pkg.version}${plan.neverPublished.includes(pkg.name) ? ' (new package)' : ''}`;
  });
  const missingTags = new Set(plan.tags);
  for (const pkg of plan.packages.filter((p) => p.kind !== 'platform')) {
    const tag = releaseTag(pkg);
    lines.push(`  ${missingTags.has(tag) ? 'TO TAG    ' : 'tagged    '} ${tag}`);
  }
  return lines.join('\n');
}
