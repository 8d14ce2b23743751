import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZipMembers } from '../src/zip.js';
import { tempDir } from './helpers/data.js';
import { makeZip, type TestZipEntry } from './helpers/zip.js';

const text = (s: string) => new TextEncoder().encode(s);

function zipFile(entries: TestZipEntry[] | Buffer): string {
  const path = join(tempDir(), 'a.zip');
  writeFileSync(path, Array.isArray(entries) ? makeZip(entries) : entries);
  return path;
}

async function expectCorrupt(p: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(p).rejects.toMatchObject({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(message) });
}

describe('readZipMembers', () => {
  it('reads stored and deflated members, ignoring the others', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const path = zipFile([
      { name: 'd/a.txt', data: text('hello'), deflate: false },
      { name: 'd/big.bin', data: big },
      { name: 'other', data: text('x') },
    ]);
    const out = await readZipMembers(path, ['d/a.txt', 'd/big.bin']);
    expect(out.get('d/a.txt')?.toString()).toBe('hello');
    expect(Buffer.compare(out.get('d/big.bin') as Buffer, Buffer.from(big))).toBe(0);
    expect(out.size).toBe(2);
  });

  it('checks every CRC-32', async () => {
    const path = zipFile([{ name: 'a', data: text('hello'), crc: 0x1234 }]);
    await expectCorrupt(readZipMembers(path, ['a']), /CRC-32 mismatch in a \(expected 0x00001234, found 0x3610a686\)/);
  });

  it('refuses zip-slip entry names, even ones it was not asked for', async () => {
    for (const name of ['../evil.txt', 'ml-100k/../../evil', '/etc/passwd', 'C:/x', 'a\\..\\b']) {
      const path = zipFile([
        { name: 'ok', data: text('1') },
        { name, data: text('2') },
      ]);
      await expectCorrupt(readZipMembers(path, ['ok']), /not a usable zip archive: (invalid relative path|absolute path|invalid characters)/);
    }
  });

  it('refuses missing and repeated members', async () => {
    await expectCorrupt(readZipMembers(zipFile([{ name: 'a', data: text('1') }]), ['a', 'b']), /has no entry b/);
    const twice = zipFile([
      { name: 'a', data: text('1') },
      { name: 'a', data: text('2') },
    ]);
    await expectCorrupt(readZipMembers(twice, ['a']), /entry a appears twice/);
  });

  it('refuses files that are not zips, naming the path', async () => {
    const path = zipFile(Buffer.from('<html>404</html>'));
    await expectCorrupt(readZipMembers(path, ['a']), new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a usable zip archive`));
    const truncated = makeZip([{ name: 'a', data: new Uint8Array(5000).fill(3) }]);
    await expectCorrupt(readZipMembers(zipFile(truncated.subarray(0, truncated.length - 30)), ['a']), /not a usable zip archive/);
  });
});
