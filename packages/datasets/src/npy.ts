import { LightFMError } from '@lightfm-ts/core';

/**
 * A strict reader for NumPy's `.npy` format (versions 1.0, 2.0 and 3.0), enough for the
 * numeric and fixed-width string arrays that dataset files hold. It refuses anything it
 * cannot read exactly: object arrays (which would need pickle), Fortran order, big-endian
 * or structured dtypes, and any length that does not add up.
 *
 * Format: magic `\x93NUMPY`, major and minor version bytes, a header length (u16 LE for
 * v1, u32 LE for v2/v3), an ASCII (v3: UTF-8) Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }`, then the data in C order.
 */

/** Element types `parseNpy` reads. */
export type NpyArray =
  | { kind: 'int' | 'uint' | 'float' | 'bool'; shape: number[]; descr: string; values: ArrayLike<number> }
  | { kind: 'int64' | 'uint64'; shape: number[]; descr: string; values: BigInt64Array | BigUint64Array }
  | { kind: 'string'; shape: number[]; descr: string; values: string[] };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedCtor = { new (buffer: ArrayBuffer): ArrayLike<number>; BYTES_PER_ELEMENT: number };
const NUMERIC: Record<string, { kind: 'int' | 'uint' | 'float' | 'bool'; ctor: TypedCtor }> = {
  i1: { kind: 'int', ctor: Int8Array },
  u1: { kind: 'uint', ctor: Uint8Array },
  b1: { kind: 'bool', ctor: Uint8Array },
  i2: { kind: 'int', ctor: Int16Array },
  u2: { kind: 'uint', ctor: Uint16Array },
  i4: { kind: 'int', ctor: Int32Array },
  u4: { kind: 'uint', ctor: Uint32Array },
  f4: { kind: 'float', ctor: Float32Array },
  f8: { kind: 'float', ctor: Float64Array },
};

function bad(name: string, why: string): LightFMError {
  return new LightFMError('ERR_CORRUPT_FILE', `${name} is not a readable .npy array: ${why}`);
}

/**
 * Parses one `.npy` file.
 *
 * @param bytes - The whole file.
 * @param name - Used in error messages (e.g. `data.npz:labels.npy`).
 * @returns The dtype kind, the shape and a copy of the values (typed arrays for numbers,
 *   strings with trailing NULs removed for `<U` / `|S` dtypes).
 * @throws LightFMError `ERR_CORRUPT_FILE` for anything malformed or unsupported.
 */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad(name, 'the magic string \\x93NUMPY is missing');
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw bad(name, 'the header is truncated');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw bad(name, `format version ${major}.${bytes[7]} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw bad(name, `the header claims ${headerLen} bytes but the file has ${bytes.length - headerStart}`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const header = parseHeader(headerText, name);
  if (header.fortran_order !== false) throw bad(name, 'Fortran-ordered arrays are not supported');
  const descr = header.descr;
  const shape = header.shape;
  if (typeof descr !== 'string') throw bad(name, "the header's 'descr' is not a simple dtype string (structured arrays are not supported)");
  if (!Array.isArray(shape)) throw bad(name, "the header's 'shape' is not a tuple");
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw bad(name, `the shape (${shape.join(', ')}) is too large`);
  return readData(bytes.subarray(dataStart), descr, shape, count, name);
}

function readData(data: Uint8Array, descr: string, shape: number[], count: number, name: string): NpyArray {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw bad(name, `the dtype '${descr}' is not supported${descr.includes('O') ? ' (object arrays need pickle, which is never loaded)' : ''}`);
  const [, order, letter, widthText] = m as unknown as [string, string, string, string];
  const width = Number(widthText);
  const itemBytes = letter === 'U' ? 4 * width : width;
  // A zero-width dtype would let any shape pass the byte count below and then allocate one
  // value per claimed element (numpy itself never writes one).
  if (itemBytes === 0) throw bad(name, `the zero-width dtype '${descr}' is not supported`);
  if (order === '>' && itemBytes > 1) throw bad(name, `big-endian dtype '${descr}' is not supported`);
  if (order === '=' && itemBytes > 1 && !LITTLE_ENDIAN_HOST) throw bad(name, `native-endian dtype '${descr}' is ambiguous`);
  // Checked against the bytes present before anything is allocated.
  const expected = count * itemBytes;
  if (data.length !== expected) {
    throw bad(name, `shape (${shape.join(', ')}) of '${descr}' needs ${expected} data bytes, the file has ${data.length}`);
  }
  if (letter === 'U' || letter === 'S') return { kind: 'string', shape, descr, values: readStrings(data, letter, width, count) };
  const key = `${letter}${width}`;
  if (key === 'i8' || key === 'u8') {
    const copy = littleEndianCopy(data, 8);
    const values = key === 'i8' ? new BigInt64Array(copy) : new BigUint64Array(copy);
    return { kind: key === 'i8' ? 'int64' : 'uint64', shape, descr, values };
  }
  const numeric = NUMERIC[key];
  if (!numeric) throw bad(name, `the dtype '${descr}' is not supported`);
  return { kind: numeric.kind, shape, descr, values: new numeric.ctor(littleEndianCopy(data, width)) };
}

/** A fresh, aligned copy of little-endian elements in host byte order. */
function littleEndianCopy(data: Uint8Array, width: number): ArrayBuffer {
  const copy = new Uint8Array(data);
  if (!LITTLE_ENDIAN_HOST && width > 1) {
    for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  }
  return copy.buffer;
}

function readStrings(data: Uint8Array, letter: string, width: number, count: number): string[] {
  const out: string[] = new Array(count);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const latin1 = new TextDecoder('latin1');
  for (let k = 0; k < count; k++) {
    if (letter === 'S') {
      const item = data.subarray(k * width, (k + 1) * width);
      const end = item.indexOf(0);
      out[k] = latin1.decode(end < 0 ? item : item.subarray(0, end));
      continue;
    }
    // '<U': UTF-32LE code points, NUL-padded.
    let s = '';
    for (let c = 0; c < width; c++) {
      const cp = view.getUint32((k * width + c) * 4, true);
      if (cp === 0) break;
      s += String.fromCodePoint(Math.min(cp, 0x10ffff));
    }
    out[k] = s;
  }
  return out;
}

type HeaderValue = string | boolean | number[] | Record<string, unknown>;

/** Parses the header dict literal; only strings, True/False and tuples of integers appear. */
function parseHeader(text: string, name: string): Record<string, HeaderValue> {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) throw bad(name, `malformed header near position ${i}: expected '${ch}'`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') throw bad(name, `malformed header near position ${i}: expected a string`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) throw bad(name, 'malformed header: unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): HeaderValue => {
    ws();
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (text[i] === "'" || text[i] === '"') return str();
    if (text[i] === '(') {
      i++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') return i++, dims;
        const m = /^\d+/.exec(text.slice(i));
        if (!m) throw bad(name, `malformed header near position ${i}: expected a dimension`);
        dims.push(Number(m[0]));
        i += m[0].length;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') throw bad(name, `malformed header near position ${i}: expected ',' or ')'`);
      }
    }
    // Lists (structured dtypes) and anything else are not supported.
    throw bad(name, `unsupported value in header near position ${i}`);
  };
  const out: Record<string, HeaderValue> = {};
  expect('{');
  for (;;) {
    ws();
    if (text[i] === '}') {
      i++;
      break;
    }
    const key = str();
    expect(':');
    out[key] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw bad(name, `malformed header near position ${i}: expected ',' or '}'`);
  }
  if (text.slice(i).trim() !== '') throw bad(name, 'trailing bytes after the header dict');
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in out)) throw bad(name, `the header has no '${key}'`);
  }
  return out;
}

/**
 * The values of an integer array as `Int32Array`, each checked to lie in `[0, bound)`.
 * @throws LightFMError `ERR_CORRUPT_FILE` for a non-integer dtype or a value out of range.
 */
export function indexValues(arr: NpyArray, bound: number, name: string): Int32Array {
  if (arr.kind !== 'int' && arr.kind !== 'uint' && arr.kind !== 'int64' && arr.kind !== 'uint64') {
    throw bad(name, `expected an integer array, found dtype '${arr.descr}'`);
  }
  const src = arr.values;
  const out = new Int32Array(src.length);
  for (let k = 0; k < src.length; k++) {
    const v = Number(src[k]);
    if (!(v >= 0 && v < bound)) throw bad(name, `value ${v} at position ${k} is outside [0, ${bound})`);
    out[k] = v;
  }
  return out;
}

/**
 * The values of a numeric array as `Float64Array` (exact for every supported dtype up to 2^53).
 * @throws LightFMError `ERR_CORRUPT_FILE` for strings or non-finite values.
 */
export function numberValues(arr: NpyArray, name: string): Float64Array {
  if (arr.kind === 'string') throw bad(name, `expected a numeric array, found dtype '${arr.descr}'`);
  const src = arr.values;
  const out = new Float64Array(src.length);
  for (let k = 0; k < src.length; k++) {
    const v = Number(src[k]);
    if (!Number.isFinite(v)) throw bad(name, `value ${v} at position ${k} is not finite`);
    out[k] = v;
  }
  return out;
}
