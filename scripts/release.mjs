#!/usr/bin/env node
// The release workflow's two decisions (docs/platforms.md, "Releasing"):
//
//   node scripts/release.mjs plan [--dry-run] [--github-output]
//       Which package@version and release tag of this checkout are missing on npm and on the
//       remote, and so whether to build the binaries and whether to publish. --github-output
//       writes build, publish and version for the workflow.
//   node scripts/release.mjs publish [--dry-run]
//       Asks again (a rerun must not trust an old answer) and publishes what is missing with
//       npm trusted publishing and provenance, then pushes the missing tags. --dry-run
//       rehearses a release of everything: packs and checks each package, publishes nothing.
//
// The registry is npm_config_registry or registry.npmjs.org; the remote is origin or --remote.
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { currentPlan, describePlan, planRelease, releasePackages } from './lib/release-plan.mjs';
import { ALREADY_PUBLISHED, TRUSTED_PUBLISHING_NPM, canTrustPublish, executeRelease } from './lib/release-publish.mjs';
import { run } from './lib/run.mjs';
import { pnpmPack } from './lib/tarball.mjs';

const { positionals, values: args } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    'github-output': { type: 'boolean', default: false },
    remote: { type: 'string', default: 'origin' },
  },
});
const command = positionals[0];
const dryRun = args['dry-run'];
const { remote } = args;
const registry = process.env.npm_config_registry || undefined;

if (command === 'plan') await plan();
else if (command === 'publish') await publish();
else throw new Error(`usage: node scripts/release.mjs plan|publish [--dry-run] [--github-output] [--remote <remote>] (got ${positionals.join(' ') || 'nothing'})`);

async function plan() {
  const current = await currentPlan({ registry, remote });
  const version = current.packages.find((pkg) => pkg.kind === 'core')?.version;
  console.log(`release ${version}:\n${describePlan(current)}`);
  let build = dryRun || current.build;
  let publish = !dryRun && !current.done;
  if (dryRun) console.log('dry run: building, testing and rehearsing the publish of every package; publishing nothing');
  else if (current.neverPublished.length > 0) {
    console.log(
      `::warning::${current.neverPublished.join(', ')} must be published once by hand before trusted publishing can release them (docs/platforms.md, "First release of a package"): ${version} is not released`,
    );
    build = false;
    publish = false;
  } else if (current.done) console.log('every package and tag is out: nothing to do');
  if (args['github-output']) {
    const file = process.env.GITHUB_OUTPUT;
    if (!file) throw new Error('--github-output needs GITHUB_OUTPUT (it runs in GitHub Actions)');
    appendFileSync(file, `version=${version}\nbuild=${build}\npublish=${publish}\n`);
  }
}

async function publish() {
  const staging = mkdtempSync(join(tmpdir(), 'lightfm-release-'));
  if (dryRun) {
    // Everything as if nothing were out yet: each package is checked and packed.
    const packages = await releasePackages();
    const rehearsal = planRelease({ packages, published: new Map(packages.map((pkg) => [pkg.name, new Set()])), tags: new Set() });
    console.log(`dry run, as if nothing were published:\n${describePlan(rehearsal)}`);
    await executeRelease(rehearsal, {
      publishFolder: async (dir, tag) => note(`would run npm publish --provenance --access public --tag ${tag} in ${dir}`),
      publishWorkspacePackage: async (dir, tag) => note(`would run npm publish ${pnpmPack(dir, staging)} --provenance --access public --tag ${tag}`),
      createTag: async (tag) => void console.log(`would create the tag ${tag}`),
      pushTags: async (tags) => void console.log(`would push ${tags.join(', ')}`),
      log: console.log,
    });
    return;
  }
  checkNpmVersion();
  const current = await currentPlan({ registry, remote });
  console.log(`still to do:\n${describePlan(current)}`);
  await executeRelease(current, {
    publishFolder: async (dir, tag) => npmPublish([], dir, tag),
    publishWorkspacePackage: async (dir, tag) => npmPublish([pnpmPack(dir, staging)], staging, tag),
    createTag: async (tag) => void run('git', ['tag', '-a', tag, '-m', tag]),
    pushTags: async (tags) => void run('git', ['push', remote, ...tags.map((tag) => `refs/tags/${tag}`)]),
    log: console.log,
  });
}

function note(line) {
  console.log(line);
  return 'would be published';
}

/**
 * `npm publish` with provenance; npm authenticates through the workflow's OIDC token when the
 * package names this workflow as its trusted publisher.
 * @returns {'published' | 'already published'}
 */
function npmPublish(target, cwd, tag) {
  const result = run('npm', ['publish', ...target, '--provenance', '--access', 'public', '--tag', tag], { cwd, capture: true, allowFailure: true });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status === 0) return 'published';
  if (ALREADY_PUBLISHED.test(result.stderr + result.stdout)) return 'already published';
  throw new Error(`npm publish ${target.join(' ')} in ${cwd} exited with ${result.status}`);
}

function checkNpmVersion() {
  const version = run('npm', ['--version'], { capture: true }).stdout.trim();
  if (!canTrustPublish(version)) throw new Error(`npm ${version} cannot use trusted publishing: install npm ${TRUSTED_PUBLISHING_NPM} or newer`);
}
