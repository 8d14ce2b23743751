import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressSink } from '../src/progress.js';

const stderr = process.stderr as NodeJS.WriteStream & { isTTY?: boolean };
const wasTTY = stderr.isTTY;
afterEach(() => {
  stderr.isTTY = wasTTY;
  vi.restoreAllMocks();
});

function captureStderr(): string[] {
  const out: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}

describe('progressSink', () => {
  it('calls onProgress and prints nothing when a callback is given', () => {
    stderr.isTTY = true;
    const out = captureStderr();
    const seen: unknown[] = [];
    const sink = progressSink('a.zip', (p) => seen.push(p));
    sink.update(5, 10);
    sink.end();
    expect(seen).toEqual([{ received: 5, total: 10 }]);
    expect(out).toEqual([]);
  });

  it('draws one updating line on a terminal, ending with a newline', () => {
    stderr.isTTY = true;
    const out = captureStderr();
    const sink = progressSink('ml-100k.zip', undefined);
    sink.update(0, 4_924_029);
    sink.update(4_924_029, 4_924_029);
    sink.end();
    expect(out[0]).toMatch(/^\r\x1b\[2Klightfm-ts: downloading ml-100k\.zip 0\.0\/4\.9 MB \(0%\)$/);
    expect(out.at(-2)).toMatch(/4\.9\/4\.9 MB \(100%\)$/);
    expect(out.at(-1)).toBe('\n');
  });

  it('is quiet when stderr is not a terminal', () => {
    stderr.isTTY = false;
    const out = captureStderr();
    const sink = progressSink('a.zip', undefined);
    sink.update(1, undefined);
    sink.end();
    expect(out).toEqual([]);
  });
});
