// The worker process's own memory, as Linux reports it in /proc/self/status.
import { readFileSync } from 'node:fs';

/** A size field (`VmHWM`, `VmRSS`) of this process's /proc status in bytes; undefined off Linux. */
export function statusBytes(field: string): number | undefined {
  try {
    const line = readFileSync('/proc/self/status', 'latin1').split('\n').find((l) => l.startsWith(`${field}:`));
    if (line) return Number(line.split(/\s+/)[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return undefined;
}

/**
 * This process's own peak RSS. `maxRSS` (getrusage) is only the fallback: on Linux, after
 * fork + exec it keeps the parent's high-water mark, so a small worker would report the
 * driver's size.
 */
export function peakRssBytes(): number {
  return statusBytes('VmHWM') ?? process.resourceUsage().maxRSS * 1024;
}
