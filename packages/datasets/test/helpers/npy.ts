// Writes .npy files the way numpy does (version 1.0 unless asked otherwise).

export function makeNpy(descr: string, shape: number[], data: Uint8Array, opts: { version?: 1 | 2 | 3; fortran?: boolean; header?: string } = {}): Buffer {
  const version = opts.version ?? 1;
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = opts.header ?? `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
  const prefix = version === 1 ? 10 : 12;
  // Pad with spaces so that the data starts on a 64-byte boundary, ending in '\n'.
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header.padEnd(total - prefix - 1, ' ') + '\n';
  const head = Buffer.alloc(prefix);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

export function npyOf(values: Int32Array | Float32Array | Float64Array | BigInt64Array, shape = [values.length]): Buffer {
  const descr = values instanceof Int32Array ? '<i4' : values instanceof Float32Array ? '<f4' : values instanceof Float64Array ? '<f8' : '<i8';
  return makeNpy(descr, shape, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** A `<U{width}` array: UTF-32LE, NUL-padded. */
export function npyStrings(strings: string[], width = Math.max(1, ...strings.map((s) => [...s].length))): Buffer {
  const data = new Uint32Array(strings.length * width);
  strings.forEach((s, k) => [...s].forEach((ch, c) => (data[k * width + c] = ch.codePointAt(0) as number)));
  return makeNpy(`<U${width}`, [strings.length], new Uint8Array(data.buffer));
}
