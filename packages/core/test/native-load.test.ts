// What importing the package says when the native binary cannot be loaded. The published-package
// cases (platform package missing, platform without a prebuilt binary) need packed tarballs and
// are covered by `pnpm smoke:pack` (scripts/smoke-pack.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

function importWith(env: Record<string, string>): { status: number | null; output: string } {
  const script = `import(${JSON.stringify(entry)}).then(
    () => console.log('loaded'),
    (e) => { console.log(e.message); console.log('cause: ' + (e.cause?.message ?? 'none')); process.exit(3); })`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: child.status, output: child.stdout + child.stderr };
}

describe('loading the native binary', () => {
  it('needs the built package (turbo builds it before the tests)', () => {
    expect(existsSync(entry), `${entry} is missing: run pnpm -F @lightfm-ts/core build`).toBe(true);
  });

  it('loads in a source checkout', () => {
    const { status, output } = importWith({});
    expect(output).toContain('loaded');
    expect(status).toBe(0);
  });

  it('explains a missing binary and keeps the loader error as the cause', () => {
    const { status, output } = importWith({ NAPI_RS_NATIVE_LIBRARY_PATH: '/nonexistent/lightfm.node' });
    expect(status).toBe(3);
    expect(output).toMatch(/@lightfm-ts\/core could not load its native binary for \w+-\w+/);
    expect(output).toContain('pnpm -F @lightfm-ts/core build:native');
    expect(output).toContain('cause: Cannot find native binding');
  });
});
