// Runs a command for the release scripts: echoes it, streams its output and fails loudly.
import { spawnSync } from 'node:child_process';
import { isAbsolute } from 'node:path';

/**
 * Runs `command args...` and throws when it fails.
 * pnpm is a `.cmd` shim on some Windows setups, so Windows looks commands up through the shell
 * (arguments must then be free of spaces and quotes); absolute paths are run directly.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, capture?: boolean, allowFailure?: boolean }} [options]
 *   `capture` returns stdout instead of streaming it; `allowFailure` returns the result instead of throwing.
 * @returns {{ status: number | null, stdout: string, stderr: string }}
 */
export function run(command, args, options = {}) {
  const { cwd = process.cwd(), env = process.env, capture = false, allowFailure = false } = options;
  const shown = [command, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  if (!capture) console.log(`$ ${shown}${cwd === process.cwd() ? '' : `   (in ${cwd})`}`);
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    shell: process.platform === 'win32' && !isAbsolute(command),
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not start ${command}: ${result.error.message}`);
  const out = { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${shown} exited with ${result.status}\n${out.stdout}${out.stderr}`.trim());
  }
  return out;
}
