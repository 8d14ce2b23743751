import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LightFMError } from '@lightfm-ts/core';
import { downloadVerified } from '../src/download.js';
import type { DownloadProgress } from '../src/options.js';
import { listFiles, tempDir } from './helpers/data.js';
import { type TestServer, sendBytes, sendThenReset, sendThenStall, sendTruncated, serve } from './helpers/server.js';

const BODY = new Uint8Array(200_000).map((_, i) => (i * 31) % 256);
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function request(url: string, dir: string, extra: Partial<Parameters<typeof downloadVerified<Buffer>>[0]> = {}) {
  return downloadVerified<Buffer>({
    url,
    dest: join(dir, 'sub', 'file.bin'),
    verify: (temp) => readFile(temp),
    onProgress: () => {},
    signal: undefined,
    timeoutMs: 10_000,
    ...extra,
  });
}

async function expectNothingCached(p: Promise<unknown>, code: string, message: RegExp, dir: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  expect(listFiles(dir)).toEqual([]);
}

describe('downloadVerified', () => {
  it('streams to a temporary file, verifies it, then renames it into place', async () => {
    server = await serve({ '/file.bin': sendBytes(BODY) });
    const dir = tempDir();
    const progress: DownloadProgress[] = [];
    const seenByVerify: string[] = [];
    const got = await request(`${server.url}file.bin`, dir, {
      onProgress: (p) => progress.push(p),
      verify: async (temp) => {
        seenByVerify.push(temp, ...listFiles(dir));
        return readFile(temp);
      },
    });
    expect(Buffer.compare(got, Buffer.from(BODY))).toBe(0);
    expect(listFiles(dir)).toEqual([join('sub', 'file.bin')]);
    expect(readFileSync(join(dir, 'sub', 'file.bin')).length).toBe(BODY.length);
    // While verifying, only a dot-named temporary file existed, never the final name.
    expect(seenByVerify[1]?.split(sep)).toEqual(['sub', expect.stringMatching(/^\.file\.bin\.\d+-[0-9a-f]{12}\.part$/)]);
    expect(seenByVerify).toHaveLength(2);
    expect(progress[0]).toEqual({ received: 0, total: BODY.length });
    expect(progress.at(-1)).toEqual({ received: BODY.length, total: BODY.length });
    expect(progress.every((p, i) => i === 0 || p.received >= (progress[i - 1] as DownloadProgress).received)).toBe(true);
  });

  it('removes the temporary file when verification fails', async () => {
    server = await serve({ '/file.bin': sendBytes(BODY) });
    const dir = tempDir();
    const verify = async () => {
      throw new LightFMError('ERR_CHECKSUM', 'bad bytes');
    };
    await expectNothingCached(request(`${server.url}file.bin`, dir, { verify }), 'ERR_CHECKSUM', /bad bytes/, dir);
  });

  it('fails with ERR_DOWNLOAD on HTTP errors', async () => {
    server = await serve({});
    const dir = tempDir();
    await expectNothingCached(request(`${server.url}missing.bin`, dir), 'ERR_DOWNLOAD', /missing\.bin failed: the server answered HTTP 404 Not Found/, dir);
  });

  it('fails with ERR_DOWNLOAD on a truncated body', async () => {
    server = await serve({ '/file.bin': sendTruncated(BODY) });
    const dir = tempDir();
    await expectNothingCached(request(`${server.url}file.bin`, dir), 'ERR_DOWNLOAD', /file\.bin failed: .*(after|received) \d+ of 200000 bytes/, dir);
  });

  it('fails with ERR_DOWNLOAD when the server closes the connection mid-stream', async () => {
    server = await serve({ '/file.bin': sendThenReset(BODY) });
    const dir = tempDir();
    await expectNothingCached(request(`${server.url}file.bin`, dir), 'ERR_DOWNLOAD', /file\.bin failed: \w/, dir);
  });

  it('fails with ERR_DOWNLOAD when no data arrives for timeoutMs', async () => {
    server = await serve({ '/file.bin': sendThenStall(BODY) });
    const dir = tempDir();
    await expectNothingCached(request(`${server.url}file.bin`, dir, { timeoutMs: 200 }), 'ERR_DOWNLOAD', /no data arrived for 200 ms/, dir);
  });

  it('fails with ERR_DOWNLOAD when nothing listens', async () => {
    server = await serve({});
    const url = `${server.url}file.bin`;
    await server.close();
    server = undefined;
    const dir = tempDir();
    await expectNothingCached(request(url, dir), 'ERR_DOWNLOAD', /ECONNREFUSED/, dir);
  });

  it('fails with ERR_DOWNLOAD when the cache folder cannot be written', async () => {
    server = await serve({ '/file.bin': sendBytes(BODY) });
    const dir = tempDir();
    writeFileSync(join(dir, 'sub'), 'a file where the folder should be');
    await expect(request(`${server.url}file.bin`, dir)).rejects.toMatchObject({ code: 'ERR_DOWNLOAD', message: expect.stringMatching(/cannot write to the dataset cache .*sub: .*Pass a writable dataHome/) });
    expect(listFiles(dir)).toEqual(['sub']);
  });

  it('rejects with ERR_ABORTED when the signal fires, before or during the transfer', async () => {
    server = await serve({ '/file.bin': sendThenStall(BODY) });
    const dir = tempDir();
    await expectNothingCached(request(`${server.url}file.bin`, dir, { signal: AbortSignal.abort() }), 'ERR_ABORTED', /aborted/, dir);
    const controller = new AbortController();
    const p = request(`${server.url}file.bin`, dir, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    await expectNothingCached(p, 'ERR_ABORTED', /aborted/, dir);
  });
});
