// The napi binding. Only the wrapper modules import values from here; everything else imports
// types.
//
// From the package folder (the usual case), the generated loader binding.cjs beside dist/
// picks this machine's binary. When an application bundled this package's JavaScript into its
// own file, that folder is not beside the code any more: the binding is then looked up from
// the bundle's folder and the working directory (native-locate.ts), and if it cannot be found
// the error says how to keep the package out of the bundle (native-errors.ts).
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Binding from '../binding.cjs';
import { bundledNotFound, loadFailed, overrideFailed, versionMismatch } from './native-errors.js';
import { type FoundPackage, findPackage, hostPlatform, ownPackage } from './native-locate.js';
import { PACKAGE_NAME, VERSION, moduleUrl } from './self.js';

type BindingModule = typeof Binding;

function load(): BindingModule {
  const url = moduleUrl();
  const own = url === undefined ? undefined : ownPackage(url);
  return own ? fromPackage(own) : fromBundle(url);
}

/** Through the package's own napi loader, which also honours NAPI_RS_NATIVE_LIBRARY_PATH. */
function fromPackage(pkg: FoundPackage): BindingModule {
  // A computed path: bundlers must not try to follow it into the .node files.
  const binding = join(pkg.dir, 'binding.cjs');
  try {
    return createRequire(binding)(binding) as BindingModule;
  } catch (cause) {
    throw loadFailed(pkg, cause);
  }
}

/**
 * This code was bundled. The binary is, in order: NAPI_RS_NATIVE_LIBRARY_PATH (napi's own
 * override, a `.node` file); @lightfm-ts/core installed beside the bundle, if it is this
 * version; its platform package alone (`@lightfm-ts/core-linux-x64-gnu`, ...), same rule.
 */
function fromBundle(url: string | undefined): BindingModule {
  const override = process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
  if (override) {
    const file = resolve(override);
    try {
      return createRequire(file)(file) as BindingModule;
    } catch (cause) {
      throw overrideFailed(override, cause);
    }
  }
  const bases = [url, pathToFileURL(join(process.cwd(), 'package.json')).href].filter((b) => b !== undefined);
  const core = findPackage(PACKAGE_NAME, bases);
  if (core) {
    if (core.json.version !== VERSION) throw versionMismatch(core);
    return fromPackage(core);
  }
  const platform = hostPlatform();
  const platformPackage = findPackage(`${PACKAGE_NAME}-${platform}`, bases);
  if (platformPackage) {
    if (platformPackage.json.version !== VERSION) throw versionMismatch(platformPackage);
    try {
      return createRequire(platformPackage.dir)(platformPackage.dir) as BindingModule;
    } catch (cause) {
      throw loadFailed(platformPackage, cause);
    }
  }
  throw bundledNotFound(url, platform);
}

export const native = load();
export type { Binding };
