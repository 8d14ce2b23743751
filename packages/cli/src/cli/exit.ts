// How a failed command ends: usage errors exit with 2 (commander has printed them), the
// library's and the system's errors print their message without a stack and exit with 1.
import { CommanderError } from 'commander';
import { LightFMError } from '@lightfm-ts/core';

/** Exit code of a usage error (unknown option, bad value, missing argument). */
export const USAGE = 2;

/** A bad combination of options that the parser cannot see; printed like commander's own errors. */
export class UsageError extends Error {}

/** Node's errors from the file system and the network (`ENOENT`, `EADDRINUSE`, ...). */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Prints what went wrong and returns the exit code.
 * @param err - What a command threw.
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return err.exitCode === 0 ? 0 : USAGE;
  }
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n(run with --help for usage)`);
    return USAGE;
  }
  if (err instanceof LightFMError || isSystemError(err)) {
    console.error(`lightfm: ${err.message}`);
    return 1;
  }
  // Anything else is a bug: keep the stack for the report.
  console.error(err);
  return 1;
}
