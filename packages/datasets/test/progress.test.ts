import { describe, expect, it, vi } from 'vitest';
import { recordingStream } from '@lightfm-ts/test-utils/streams';
import { progressSink } from '../src/progress.js';

describe('progressSink', () => {
  it('calls onProgress and prints nothing when a callback is given', () => {
    const stream = recordingStream(true);
    const seen: unknown[] = [];
    const sink = progressSink('a.zip', (p) => seen.push(p), stream);
    sink.update(5, 10);
    sink.end(true);
    expect(seen).toEqual([{ received: 5, total: 10 }]);
    expect(stream.chunks).toEqual([]);
  });

  it('draws a bar on a terminal, its last state left on its own line', async () => {
    const stream = recordingStream(true);
    const sink = progressSink('ml-100k.zip', undefined, stream);
    sink.update(0, 4_924_029);
    sink.update(2_462_014, 4_924_029);
    await vi.waitFor(() => expect(stream.text()).toMatch(/download \[█{8}░{8}\] ml-100k\.zip 2\.5 MB\/4\.9 MB [\d.]+ MB\/s ETA/));
    sink.update(4_924_029, 4_924_029);
    sink.end(true);
    expect(stream.text()).toMatch(/download \[█{16}\] ml-100k\.zip, 4\.9 MB in [\d.]+ s \([\d.]+ MB\/s\)/);
    expect(stream.text()).not.toContain('lightfm-ts download:');
    expect(stream.text().endsWith('\n')).toBe(true);
  });

  it('prints a line when the download starts and one when it completes when stderr is not a terminal', () => {
    const stream = recordingStream(false);
    const sink = progressSink('ml-100k.zip', undefined, stream);
    sink.update(0, 4_924_029);
    sink.update(2_000_000, 4_924_029);
    sink.update(4_924_029, 4_924_029);
    sink.end(true);
    expect(stream.chunks).toHaveLength(2);
    expect(stream.chunks[0]).toBe('lightfm-ts download: ml-100k.zip, 4.9 MB\n');
    expect(stream.chunks[1]).toMatch(/^lightfm-ts download: ml-100k\.zip, 4\.9 MB in [\d.]+ s \([\d.]+ MB\/s\)\n$/);
  });

  it('a download that fails gets no completion line; one without a length still announces itself', () => {
    const stream = recordingStream(false);
    const sink = progressSink('a.zip', undefined, stream);
    sink.update(0, undefined);
    sink.update(1000, undefined);
    sink.end(false);
    expect(stream.chunks).toEqual(['lightfm-ts download: a.zip\n']);
  });
});
