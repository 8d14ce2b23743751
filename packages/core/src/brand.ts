// Two copies of @lightfm-ts/core can end up in one program: a companion package that resolved
// its own copy, or a bundle next to an installed package. `instanceof` knows only this copy's
// classes, so each public class also carries a brand under a registry symbol, which every copy
// shares: a copy recognises the others' objects and can say where they come from.
import { fileURLToPath } from 'node:url';
import { VERSION, moduleUrl } from './self.js';

const BRAND = Symbol.for('@lightfm-ts/core.brand');

/** Which class an object belongs to, and which copy of the package made it. */
export interface Brand {
  readonly kind: string;
  readonly version: string;
  /** The file that copy runs from. */
  readonly location: string;
}

function location(): string {
  const url = moduleUrl();
  return url?.startsWith('file:') ? fileURLToPath(url) : (url ?? 'an unknown file');
}

const LOCATION = location();
const own = new Set<Brand>();

/** Marks the instances of `cls` as `kind` objects of this copy. */
export function brand(cls: { prototype: object }, kind: string): void {
  const value: Brand = Object.freeze({ kind, version: VERSION, location: LOCATION });
  own.add(value);
  Object.defineProperty(cls.prototype, BRAND, { value });
}

function brandOf(v: unknown): Brand | undefined {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return undefined;
  try {
    const b = (v as { [BRAND]?: unknown })[BRAND];
    return typeof b === 'object' && b !== null ? (b as Brand) : undefined;
  } catch {
    return undefined; // a Proxy or getter that throws is no brand
  }
}

/**
 * The brand of `v` when it is a `kind` made by another copy of @lightfm-ts/core; undefined
 * for this copy's objects and for anything else.
 */
export function foreignBrand(v: unknown, kind: string): Brand | undefined {
  const b = brandOf(v);
  return b !== undefined && b.kind === kind && !own.has(b) ? b : undefined;
}

/** How to end up with a single copy, for messages about two copies. */
export function twoCopies(other: Brand): string {
  return (
    `two copies of @lightfm-ts/core are loaded: ${other.version} from ${other.location} and ${VERSION} from ` +
    `${LOCATION}. Install one: list @lightfm-ts/core once, at a version every @lightfm-ts package accepts, ` +
    'then run npm dedupe (or pnpm dedupe, yarn dedupe); `npm ls @lightfm-ts/core` shows the copies'
  );
}
