// The approximate index the service can answer through (`--index <file>`): loaded with the
// model it was built from, or built from it and saved when the file is missing. For large
// catalogues, where the exact recommend scans every item on every request.
import { existsSync } from 'node:fs';
import { ItemIndex } from '@lightfm-ts/core';
import type { Serving } from '@lightfm-ts/cli';

/**
 * The index in `path` for `serving`'s model, built (on two threads) and saved there first
 * when there is no file.
 *
 * @param serving - The loaded model with its item features (the index holds one vector per item row).
 * @param path - Where the index file is, or goes.
 * @param log - Receives a notice when the index is built.
 * @returns The index, tied to `serving.model`.
 * @throws {LightFMError} `ERR_INVALID_ARG` when the file was built from another model
 *   (delete it to rebuild), `ERR_CORRUPT_FILE` / `ERR_CHECKSUM` when it is damaged.
 * @example
 * ```ts
 * const index = await indexFor(serving, 'model.index', console.log);
 * ```
 */
export async function indexFor(serving: Serving, path: string, log: (line: string) => void): Promise<ItemIndex> {
  if (existsSync(path)) return ItemIndex.load(path, serving.model);
  log(`no index at ${path}; building one`);
  const index = await serving.model.buildIndex({ itemFeatures: serving.itemFeatures, numThreads: 2 });
  await index.save(path);
  return index;
}
