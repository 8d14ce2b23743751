// What the loader says when the native binary cannot be loaded: which case it is and what to do.
import { fileURLToPath } from 'node:url';
import { LightFMError } from './errors.js';
import { type FoundPackage, hostPlatform, isInstalledFrom } from './native-locate.js';
import { PACKAGE_NAME, VERSION } from './self.js';

const PLATFORM_PREFIX = `${PACKAGE_NAME}-`;
const DOCS = 'https://github.com/lightfm-ts/lightfm-ts/blob/main/docs';

/** How to keep the packages out of a bundle, per bundler. */
export const EXTERNAL_FLAGS =
  "esbuild: --external:'@lightfm-ts/*'; rolldown / rollup: external: [/^@lightfm-ts\\//]; " +
  "webpack: externals: [/^@lightfm-ts\\//] with externalsType 'module' (ESM output) or 'commonjs'; " +
  "vite: ssr.external: ['@lightfm-ts/core', '@lightfm-ts/evaluation', '@lightfm-ts/datasets']";

function nativeError(message: string, cause?: unknown): LightFMError {
  const head = `@lightfm-ts/core could not load its native binary for ${hostPlatform()} (Node ${process.version}).`;
  return new LightFMError('ERR_NATIVE_LOAD', `${head} ${message}`, cause === undefined ? undefined : { cause });
}

/**
 * An installed package did not load. For core, the platforms with a prebuilt binary are the
 * `optionalDependencies` that `napi pre-publish` writes into the published package.json; a
 * workspace checkout has none and builds its binary with Rust.
 */
export function loadFailed(pkg: FoundPackage, cause: unknown): LightFMError {
  const platform = hostPlatform();
  const name = `${PLATFORM_PREFIX}${platform}`;
  const version = pkg.json.version ?? VERSION;
  if (pkg.json.name !== PACKAGE_NAME) {
    return nativeError(
      `${pkg.json.name}@${version} in ${pkg.dir} is installed but did not load (see the cause): ` +
        'it must match this machine; reinstalling it usually fixes it.',
      cause,
    );
  }
  const prebuilt = Object.keys(pkg.json.optionalDependencies ?? {})
    .filter((dep) => dep.startsWith(PLATFORM_PREFIX))
    .map((dep) => dep.slice(PLATFORM_PREFIX.length));
  if (prebuilt.length === 0) {
    return nativeError('This is a source checkout: build the binary with `pnpm -F @lightfm-ts/core build:native` (needs Rust).', cause);
  }
  if (!prebuilt.includes(platform)) {
    return nativeError(
      `There is no prebuilt binary for ${platform}; prebuilt platforms: ${prebuilt.join(', ')}. ` +
        `To build one from source, see ${DOCS}/platforms.md.`,
      cause,
    );
  }
  if (!isInstalledFrom(pkg.dir, name)) {
    return nativeError(
      `Its platform package ${name}@${version} is not installed. Package managers skip optional ` +
        'dependencies under --no-optional / --omit=optional, and a lockfile made on another OS, CPU or libc ' +
        `can leave it out. Reinstall without those flags, or add it: npm install ${name}@${version}`,
      cause,
    );
  }
  return nativeError(
    `${name} is installed but did not load (see the cause): it must be version ${version} ` +
      'and match this machine; reinstalling dependencies usually fixes it.',
    cause,
  );
}

/** The NAPI_RS_NATIVE_LIBRARY_PATH override of a bundled copy did not load. */
export function overrideFailed(path: string, cause: unknown): LightFMError {
  return nativeError(
    `NAPI_RS_NATIVE_LIBRARY_PATH=${path} did not load (see the cause): it must be the ` +
      `lightfm.${hostPlatform()}.node of ${PLATFORM_PREFIX}${hostPlatform()}@${VERSION}.`,
    cause,
  );
}

/** A bundled copy found an installed package of another version, whose binary it cannot use. */
export function versionMismatch(found: FoundPackage): LightFMError {
  return nativeError(
    `This bundle holds @lightfm-ts/core ${VERSION}, but the ${found.json.name} it found in ${found.dir} is ` +
      `version ${found.json.version}, and a binary works only with the JavaScript of its own version. Install ` +
      `${found.json.name}@${VERSION} there, or keep @lightfm-ts/* out of the bundle so that it uses the installed ` +
      `package (${EXTERNAL_FLAGS}).`,
  );
}

/** A bundled copy found no binary at all. */
export function bundledNotFound(url: string | undefined, platform: string): LightFMError {
  const where = url?.startsWith('file:') ? fileURLToPath(url) : 'a bundle';
  const platformPackage = `${PLATFORM_PREFIX}${platform}@${VERSION}`;
  return nativeError(
    `Its JavaScript was bundled into ${where}, and a native binary cannot be bundled: neither ` +
      `@lightfm-ts/core nor ${PLATFORM_PREFIX}${platform} can be found from there or from ${process.cwd()}. ` +
      `Mark @lightfm-ts/* as external in the bundler (${EXTERNAL_FLAGS}) and install the packages beside ` +
      `the bundle; or ship ${platformPackage} in a node_modules folder beside it; or set ` +
      `NAPI_RS_NATIVE_LIBRARY_PATH to its lightfm.${platform}.node. See ${DOCS}/deployment.md.`,
  );
}
