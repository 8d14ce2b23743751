// Types of tarball.mjs, for the TypeScript tests that read packed tarballs.

/** A regular file of a tarball: its path as stored (`package/...`), contents and mode. */
export interface TarEntry {
  path: string;
  data: Buffer;
  mode: number;
}

/** Lists the regular files of a `.tgz` with their contents. */
export function readTarball(file: string): TarEntry[];

/** Extracts a package tarball into `dest`, dropping the leading `package/` folder. */
export function extractPackage(file: string, dest: string): void;

/**
 * `pnpm pack`s the package in `dir` into the folder `dest` (created if needed), turning
 * `workspace:` ranges into versions as a publish does, and returns the tarball's path.
 */
export function pnpmPack(dir: string, dest: string): string;
