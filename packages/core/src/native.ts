// The generated napi loader. Only the wrapper modules import values from here; everything
// else imports types.
import { createRequire } from 'node:module';
import type * as Binding from '../binding.cjs';

const require = createRequire(import.meta.url);

const PLATFORM_PREFIX = '@lightfm-ts/core-';
const PLATFORMS_DOC = 'https://github.com/lightfm-ts/lightfm-ts/blob/main/docs/platforms.md';

function load(): typeof Binding {
  try {
    return require('../binding.cjs') as typeof Binding;
  } catch (cause) {
    throw loadError(cause);
  }
}

/** napi's name for this machine (`linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, ...). */
function hostPlatform(): string {
  const { platform, arch } = process;
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function isMusl(): boolean {
  // Node built against glibc reports the glibc it runs on; musl builds report none.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime === undefined;
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Says why the binary did not load and what to do. The platforms with a prebuilt binary are the
 * `optionalDependencies` that `napi pre-publish` writes into the published package.json; a
 * workspace checkout has none and builds its binary with Rust.
 */
function loadError(cause: unknown): Error {
  const pkg = require('../package.json') as { version: string; optionalDependencies?: Record<string, string> };
  const platform = hostPlatform();
  const name = `${PLATFORM_PREFIX}${platform}`;
  const prebuilt = Object.keys(pkg.optionalDependencies ?? {})
    .filter((dep) => dep.startsWith(PLATFORM_PREFIX))
    .map((dep) => dep.slice(PLATFORM_PREFIX.length));
  let advice: string;
  if (prebuilt.length === 0) {
    advice =
      'This is a source checkout: build the binary with `pnpm -F @lightfm-ts/core build:native` (needs Rust).';
  } else if (!prebuilt.includes(platform)) {
    advice =
      `There is no prebuilt binary for ${platform}; prebuilt platforms: ${prebuilt.join(', ')}. ` +
      `To build one from source, see ${PLATFORMS_DOC}.`;
  } else if (!isInstalled(name)) {
    advice =
      `Its platform package ${name}@${pkg.version} is not installed. Package managers skip optional ` +
      'dependencies under --no-optional / --omit=optional, and a lockfile made on another OS, CPU or libc ' +
      `can leave it out. Reinstall without those flags, or add it: npm install ${name}@${pkg.version}`;
  } else {
    advice =
      `${name} is installed but did not load (see the cause): it must be version ${pkg.version} ` +
      'and match this machine; reinstalling dependencies usually fixes it.';
  }
  return new Error(
    `@lightfm-ts/core could not load its native binary for ${platform} (Node ${process.version}). ${advice}`,
    { cause },
  );
}

export const native = load();
export type { Binding };
