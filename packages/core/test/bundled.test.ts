// An application bundled with rolldown, @lightfm-ts/core inside the bundle: as ESM, as CommonJS,
// and as CommonJS without import.meta (esbuild --format=cjs empties it). The binary is found
// from the bundle's folder or the working directory (the package, or its platform package
// alone, or NAPI_RS_NATIVE_LIBRARY_PATH); with none of them the error names the bundler flags
// that keep the package external. An external build runs as any application does.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const coreDir = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')) as { version: string };
const binary = readdirSync(coreDir).find((f) => /^lightfm\.[\w-]+\.node$/.test(f));
const platform = binary?.split('.')[1] ?? 'unknown';

const work = mkdtempSync(join(tmpdir(), 'lightfm-bundled-'));
/** An application folder with @lightfm-ts/core installed (a link to this package). */
const project = join(work, 'project');
/** Nothing installed. */
const bare = join(work, 'bare');

const bundles = {
  esm: { file: 'app.mjs', format: 'esm' },
  cjs: { file: 'app.cjs', format: 'cjs' },
  'cjs without import.meta': { file: 'app-no-meta.cjs', format: 'cjs', define: { 'import.meta.url': 'undefined' } },
} as const;
type BundleName = keyof typeof bundles;
const names = Object.keys(bundles) as BundleName[];

beforeAll(async () => {
  expect(binary, `no lightfm.*.node in ${coreDir}: run pnpm -F @lightfm-ts/core build:native`).toBeDefined();
  mkdirSync(join(project, 'node_modules', '@lightfm-ts'), { recursive: true });
  symlinkSync(coreDir, join(project, 'node_modules', '@lightfm-ts', 'core'), 'junction');
  copyFileSync(fileURLToPath(new URL('fixtures/bundled-app.mjs', import.meta.url)), join(project, 'app.mjs'));
  mkdirSync(bare);
  const input = join(project, 'app.mjs');
  for (const { file, format, ...rest } of Object.values(bundles)) {
    const define = 'define' in rest ? rest.define : {};
    // One file, as esbuild writes it: the lazily imported progress bar goes inside it.
    const output = { file: join(project, 'dist', file), format, codeSplitting: false };
    await build({ input, platform: 'node', logLevel: 'silent', transform: { define }, output });
    copyFileSync(join(project, 'dist', file), join(bare, file));
  }
  await build({
    input,
    platform: 'node',
    external: [/^@lightfm-ts\//],
    logLevel: 'silent',
    output: { file: join(project, 'dist', 'app-external.mjs'), format: 'esm' },
  });
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(file: string, cwd: string, env: Record<string, string> = {}): { status: number | null; output: string } {
  // pnpm's bin shims set NODE_PATH to the workspace's packages: an application has no such thing.
  const { NAPI_RS_NATIVE_LIBRARY_PATH: _override, NODE_PATH: _nodePath, ...inherited } = process.env;
  const child = spawnSync(process.execPath, [file], { cwd, env: { ...inherited, ...env }, encoding: 'utf8' });
  return { status: child.status, output: child.stdout + child.stderr };
}

const ran = (r: { status: number | null; output: string }) => ({ status: r.status, ok: r.output.includes('recommended 2 items') });

describe('a bundle that contains @lightfm-ts/core', () => {
  it.each(names)('%s: really contains it', (name) => {
    const code = readFileSync(join(project, 'dist', bundles[name].file), 'utf8');
    expect(code).toContain('class LightFM');
    expect(code).not.toMatch(/(from|require\()\s*["']@lightfm-ts\/core["']/);
  });

  it.each(names)('%s: finds the package installed beside the bundle', (name) => {
    expect(ran(run(join(project, 'dist', bundles[name].file), bare))).toEqual({ status: 0, ok: true });
  });

  it.each(names)('%s: finds the package from the working directory', (name) => {
    expect(ran(run(join(bare, bundles[name].file), project))).toEqual({ status: 0, ok: true });
  });

  it.each(names)('%s: with nothing installed, says how to keep the package out of the bundle', (name) => {
    const { status, output } = run(join(bare, bundles[name].file), bare);
    expect(status).not.toBe(0);
    expect(output).toContain('ERR_NATIVE_LOAD');
    expect(output).toContain(`Its JavaScript was bundled into ${join(bare, bundles[name].file)}`);
    for (const flag of ["--external:'@lightfm-ts/*'", 'external: [/^@lightfm-ts\\//]', 'externals: [/^@lightfm-ts\\//]', 'ssr.external']) {
      expect(output).toContain(flag);
    }
    expect(output).toContain(`@lightfm-ts/core-${platform}@${version}`);
  });

  it('runs with only the platform package beside it, of the same version', () => {
    const dir = join(work, 'platform-only');
    const pkgDir = join(dir, 'node_modules', '@lightfm-ts', `core-${platform}`);
    mkdirSync(pkgDir, { recursive: true });
    copyFileSync(join(coreDir, binary as string), join(pkgDir, binary as string));
    const writeVersion = (v: string) =>
      writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: `@lightfm-ts/core-${platform}`, version: v, main: binary }));
    copyFileSync(join(bare, 'app.mjs'), join(dir, 'app.mjs'));
    writeVersion(version);
    expect(ran(run(join(dir, 'app.mjs'), dir))).toEqual({ status: 0, ok: true });

    writeVersion('0.0.0-other');
    const { status, output } = run(join(dir, 'app.mjs'), dir);
    expect(status).not.toBe(0);
    expect(output).toContain(`This bundle holds @lightfm-ts/core ${version}`);
    expect(output).toContain(`is version 0.0.0-other`);
  });

  it('runs with NAPI_RS_NATIVE_LIBRARY_PATH naming the binary', () => {
    const env = { NAPI_RS_NATIVE_LIBRARY_PATH: join(coreDir, binary as string) };
    expect(ran(run(join(bare, 'app.mjs'), bare, env))).toEqual({ status: 0, ok: true });
  });
});

describe('a bundle that keeps @lightfm-ts/* external', () => {
  it('imports the installed package and runs', () => {
    const file = join(project, 'dist', 'app-external.mjs');
    expect(readFileSync(file, 'utf8')).toMatch(/from\s*["']@lightfm-ts\/core["']/);
    expect(ran(run(file, project))).toEqual({ status: 0, ok: true });
  });
});
