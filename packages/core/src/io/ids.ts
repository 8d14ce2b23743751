// Ids between a Dataset and the Rust reader: the reader keys ids by type and text (`1` and
// `'1'` are different ids, as in Dataset), so known ids go as text with their type, and new
// ones come back as text with their column's type.
import type { Binding } from '../native.js';
import { LightFMError } from '../errors.js';
import type { Id } from '../dataset/ids.js';

/** A dataset's ids (by row) as the reader takes them. */
export function knownIds(ids: readonly Id[]): Binding.KnownIds {
  return { ids: ids.map(String), numeric: ids.map((id) => typeof id === 'number') };
}

/** New ids from the reader, as numbers when their column holds integers. */
export function newIds(where: string, side: string, got: Binding.NewIds): Id[] {
  if (!got.numeric) return got.ids;
  return got.ids.map((text) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) {
      throw new LightFMError('ERR_INVALID_ARG', `${where}: ${side} id ${text} is beyond JavaScript's safe integers (2^53) and would collide with others; store the ${side} ids as strings`);
    }
    return n;
  });
}
