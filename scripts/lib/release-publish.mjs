// Carries out a release plan (./release-plan.mjs): publishes the missing packages, platform
// packages first and core before its companions, so every published package's dependencies
// resolve, then creates and pushes the missing release tags.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distTag } from './release-plan.mjs';

/**
 * What publishing does to the world; the CLI passes the real commands, tests record them.
 * @typedef {{
 *   publishFolder: (dir: string, tag: string) => Promise<string>,
 *   publishWorkspacePackage: (dir: string, tag: string) => Promise<string>,
 *   createTag: (tag: string) => Promise<void>,
 *   pushTags: (tags: string[]) => Promise<void>,
 *   log: (line: string) => void,
 * }} ReleaseEffects
 *   `publishFolder` publishes a folder as it is (a generated platform package);
 *   `publishWorkspacePackage` packs a workspace package (turning `workspace:` ranges into
 *   versions) and publishes the tarball. Both resolve to what happened, in words
 *   (`published`, or `already published` when the registry had the version after all).
 */

/** npm's answer when the version exists: the registry was slower to show it than to accept it. */
export const ALREADY_PUBLISHED = /cannot publish over the previously published versions|EPUBLISHCONFLICT/i;

/** The first npm that publishes with the workflow's OIDC token (trusted publishing). */
export const TRUSTED_PUBLISHING_NPM = '11.5.1';

/** Whether npm `version` (`npm --version`) can publish through trusted publishing. */
export function canTrustPublish(version) {
  const have = version.split(/[.-]/).map(Number);
  const need = TRUSTED_PUBLISHING_NPM.split('.').map(Number);
  const first = need.findIndex((n, i) => have[i] !== n);
  return first === -1 || (have[first] ?? 0) > (need[first] ?? 0);
}

/** Why a trusted-publishing release cannot create these packages, and what to do. */
function newPackagesError(names) {
  return new Error(
    `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not on npm yet. Trusted publishing can only publish new versions of ` +
      'packages that exist and name this workflow as their trusted publisher: publish a first version by hand and add the ' +
      'trusted publisher (docs/platforms.md, "First release of a package"), then rerun this workflow.',
  );
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Stops before publishing a platform folder that is not the package the plan expects. */
function checkPlatformFolder(pkg) {
  const manifest = join(pkg.dir, 'package.json');
  if (!existsSync(manifest)) {
    throw new Error(`${pkg.name}@${pkg.version} is not on npm and ${pkg.dir} does not exist: the binaries must be built and assembled (napi create-npm-dirs, napi artifacts) in this run`);
  }
  const { name, version } = readJson(manifest);
  if (name !== pkg.name || version !== pkg.version) throw new Error(`${manifest} is ${name}@${version}, expected ${pkg.name}@${pkg.version}`);
}

/** Stops before publishing a core whose optionalDependencies would miss a platform package. */
function checkCoreOptionalDependencies(core, platforms) {
  const optional = readJson(join(core.dir, 'package.json')).optionalDependencies ?? {};
  const wrong = platforms.filter((p) => optional[p.name] !== p.version).map((p) => `${p.name}@${p.version}`);
  if (wrong.length > 0) {
    throw new Error(
      `${core.name}'s optionalDependencies lack ${wrong.join(', ')}: run napi pre-publish -t npm --no-gh-release --skip-optional-publish after assembling the platform packages`,
    );
  }
}

/**
 * Publishes what `plan` says is missing, then tags. A failure stops the run; rerunning the
 * release plans again and continues where this one stopped.
 * @param {import('./release-plan.mjs').ReleasePlan} plan
 * @param {ReleaseEffects} effects
 */
export async function executeRelease(plan, effects) {
  if (plan.neverPublished.length > 0) throw newPackagesError(plan.neverPublished);
  const platforms = plan.packages.filter((pkg) => pkg.kind === 'platform');
  for (const pkg of plan.publish) {
    const tag = distTag(pkg.version);
    let outcome;
    if (pkg.kind === 'platform') {
      checkPlatformFolder(pkg);
      outcome = await effects.publishFolder(pkg.dir, tag);
    } else {
      if (pkg.kind === 'core') checkCoreOptionalDependencies(pkg, platforms);
      outcome = await effects.publishWorkspacePackage(pkg.dir, tag);
    }
    effects.log(`${pkg.name}@${pkg.version}: ${outcome} (dist-tag ${tag})`);
  }
  for (const tag of plan.tags) await effects.createTag(tag);
  if (plan.tags.length > 0) await effects.pushTags(plan.tags);
  if (plan.done) effects.log('nothing to do: every package and tag of this release is out');
}
