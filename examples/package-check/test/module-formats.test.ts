// The packages are ES modules only. What README.md ("ES modules, CommonJS and TypeScript") says
// works, checked: `require` from CommonJS on this Node.js, and which of TypeScript's module
// settings accept the import in a CommonJS file (.cts is CommonJS under node16 / nodenext).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Inside this package, so that @lightfm-ts/* resolve to the workspace packages; removed afterwards.
const work = fileURLToPath(new URL(`../.module-formats-${process.pid}/`, import.meta.url));
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const APP = `
const { CooMatrix, LightFM } = require('@lightfm-ts/core');
const { evaluateSync } = require('@lightfm-ts/evaluation');
const { makeSynthetic } = require('@lightfm-ts/datasets');

const { train, test } = makeSynthetic({ users: 50, items: 40, interactions: 600, seed: 1 });
new LightFM({ randomState: 1 }).fit(train, { epochs: 2 }).then((model) => {
  const { mean } = evaluateSync(model, test, { metrics: ['auc'], trainInteractions: train });
  console.log(CooMatrix.name, mean.auc > 0 ? 'auc ok' : 'auc missing');
});
`;

function runNode(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: work, encoding: 'utf8' });
}

describe('CommonJS', () => {
  it(`require()s all three packages on Node.js ${process.version}`, () => {
    const file = join(work, 'app.cjs');
    writeFileSync(file, APP);
    expect(runNode(file).trim()).toBe('CooMatrix auc ok');
  });
});

/** The errors TypeScript reports for `code` as a CommonJS file (.cts) under `options`. */
function compile(name: string, code: string, options: ts.CompilerOptions): { errors: string[]; emitted: string } {
  const file = join(work, `${name}.cts`);
  writeFileSync(file, code);
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    outDir: join(work, `out-${name}`),
    ...options,
  });
  const emitted = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map(
    (d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
  );
  return { errors, emitted: join(work, `out-${name}`, `${name}.cjs`) };
}

const STATIC = `import { LightFM } from '@lightfm-ts/core';\nconsole.log(typeof new LightFM().getParams);\n`;
const DYNAMIC = `async function main() {\n  const { LightFM } = await import('@lightfm-ts/core');\n  console.log(typeof new LightFM().getParams);\n}\nvoid main();\n`;

describe('TypeScript in a CommonJS project', () => {
  it('module node16 refuses a static import (TS1479) and accepts a dynamic one', () => {
    const node16 = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };
    const { errors } = compile('node16-static', STATIC, node16);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^TS1479: .*ECMAScript module/);
    const dynamic = compile('node16-dynamic', DYNAMIC, node16);
    expect(dynamic.errors).toEqual([]);
    expect(runNode(dynamic.emitted).trim()).toBe('function');
  });

  it.each([
    ['nodenext', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }],
    ['node20', { module: ts.ModuleKind.Node20, moduleResolution: ts.ModuleResolutionKind.NodeNext }],
    ['commonjs', { module: ts.ModuleKind.CommonJS }],
  ] as const)('module %s compiles a static import, and the output runs', (name, options) => {
    const { errors, emitted } = compile(name, STATIC, options);
    expect(errors).toEqual([]);
    expect(runNode(emitted).trim()).toBe('function');
  });
});
