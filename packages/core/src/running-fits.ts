// Fits (and index builds) still running when the process exits. `process.exit()` runs no native cleanup before it
// tears the process down, and a fit runs on a thread of its own: without this, the exit would
// either wait for the whole fit or pull the memory from under it. The `exit` event comes
// first, so each running fit is cancelled there and its thread waited for (it stops within
// one chunk of examples, milliseconds).
import type { Binding } from './native.js';

/** How long `process.exit()` waits for each cancelled fit, at most. */
const EXIT_WAIT_MS = 10_000;

const running = new Set<Binding.CancelToken>();

function stopAll(): void {
  for (const token of running) token.cancel();
  for (const token of running) token.wait(EXIT_WAIT_MS);
}

/** Runs `fit` with its token registered for cancellation at process exit. */
export async function whileRunning<T>(token: Binding.CancelToken, fit: () => Promise<T>): Promise<T> {
  if (running.size === 0) process.on('exit', stopAll);
  running.add(token);
  try {
    return await fit();
  } finally {
    running.delete(token);
    if (running.size === 0) process.off('exit', stopAll);
  }
}
