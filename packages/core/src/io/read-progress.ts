// Progress of a file read (readInteractions, readFeatures): the native counter
// (lightfm_io::ReadProgress) polled on a timer, handed to a callback or shown on stderr.
import type { Binding } from '../native.js';
import { POLL_MS } from '../progress/counter.js';
import { openDisplay } from '../progress/display.js';
import { compact, count, megabytes } from '../progress/format.js';

/** What a read's `progress` callback receives, every 150 ms or so and once at the end. */
export interface ReadProgress {
  /** Bytes of the file read so far (for Parquet: compressed bytes of the row groups done). */
  bytesRead: number;
  /** The file's size in bytes. */
  totalBytes: number;
  /** Rows read so far (valid rows, before any duplicates are merged). */
  rows: number;
  /** Rows per second so far. */
  rowsPerSecond: number;
  /** Seconds since the read started. */
  seconds: number;
}

/** A read's `progress`: `true` for a display on stderr, a function for reports, `false` for nothing. */
export type ReadProgressOption = boolean | ((progress: ReadProgress) => void);

/** Awaits `work`, reporting `counter`'s readings to `option` while it runs and once at the end. */
export async function reportingRead<T>(option: ReadProgressOption | undefined, label: string, counter: Binding.ReadCounter, work: Promise<T>): Promise<T> {
  if (!option) return work;
  const started = performance.now();
  const display = option === true ? openDisplay(process.stderr, label) : undefined;
  let lastRows = -1;
  const report = (final: boolean) => {
    const r = counter.read();
    if (!final && r.rows === lastRows) return;
    lastRows = r.rows;
    const seconds = (performance.now() - started) / 1000;
    const p: ReadProgress = { ...r, rowsPerSecond: seconds > 0 ? r.rows / seconds : 0, seconds };
    if (display) {
      const ratio = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : undefined;
      display.update({ ratio, text: `${megabytes(p.bytesRead)} of ${megabytes(p.totalBytes)}, ${count(p.rows)} rows, ${compact(p.rowsPerSecond)} rows/s` });
    } else if (typeof option === 'function') {
      try {
        option(p);
      } catch {
        // A throwing callback must not break the read (as with fit's progress).
      }
    }
  };
  const timer = setInterval(() => report(false), POLL_MS);
  timer.unref();
  try {
    const result = await work;
    report(true);
    return result;
  } finally {
    clearInterval(timer);
    display?.stop();
  }
}
