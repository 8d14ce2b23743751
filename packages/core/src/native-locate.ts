// Where the package's files are: its own folder when its code runs from it, or an installed
// copy that Node's resolution finds from a bundle's folder or the working directory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_NAME } from './self.js';

export interface PackageJson {
  name?: string;
  version?: string;
  optionalDependencies?: Record<string, string>;
}

/** An installed package: its folder and its package.json. */
export interface FoundPackage {
  dir: string;
  json: PackageJson;
}

function readPackageJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/**
 * The package folder this code runs from (`dist/` and `src/` sit one level below it), or
 * undefined when the folder above is not @lightfm-ts/core: the code was bundled into an
 * application, whose own package.json says nothing about this package.
 */
export function ownPackage(url: string): FoundPackage | undefined {
  let dir: string;
  try {
    dir = fileURLToPath(new URL('..', url));
  } catch {
    return undefined; // not a file: URL
  }
  const json = readPackageJson(join(dir, 'package.json'));
  return json?.name === PACKAGE_NAME ? { dir, json } : undefined;
}

/** `name` as Node resolves it from the first of `bases` (file URLs) that has it installed. */
export function findPackage(name: string, bases: string[]): FoundPackage | undefined {
  for (const base of bases) {
    let file: string;
    try {
      file = createRequire(base).resolve(`${name}/package.json`);
    } catch {
      continue;
    }
    const json = readPackageJson(file);
    if (json?.name === name) return { dir: dirname(file), json };
  }
  return undefined;
}

/** napi's name for this machine (`linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, ...). */
export function hostPlatform(): string {
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

/** Whether `name` can be resolved from the package folder `dir`. */
export function isInstalledFrom(dir: string, name: string): boolean {
  try {
    createRequire(join(dir, 'package.json')).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}
