// Type-checks README blocks as TypeScript modules and runs them with Node, from files
// written inside this package so that `@lightfm-ts/*` resolve to the workspace packages.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './blocks.js';

/** The outcome of running one block. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Type-checks TypeScript files against the repository's strict compiler settings.
 *
 * @param files - Absolute paths of `.ts` files (ES modules: this package is `"type": "module"`).
 * @param baseConfig - Path of the `tsconfig` whose options apply.
 * @returns One formatted message per error (empty when the files type-check).
 * @example
 * ```ts
 * expect(typeCheck(['/abs/block-12.ts'], '../../tsconfig.base.json')).toEqual([]);
 * ```
 */
export function typeCheck(files: string[], baseConfig: string): string[] {
  const { config } = ts.readConfigFile(baseConfig, ts.sys.readFile.bind(ts.sys));
  const parsed = ts.parseJsonConfigFileContent({ ...config, files, include: [] }, ts.sys, join(baseConfig, '..'));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true, declaration: false, declarationMap: false, sourceMap: false });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    return where && d.file ? `${d.file.fileName}:${where.line + 1}:${where.character + 1}: ${message}` : message;
  });
}

/**
 * Writes a block as files: the `.ts` to type-check (TypeScript and JavaScript blocks), and the
 * file to run: TypeScript with its types stripped (`.mjs`), JavaScript exactly as written
 * (`.mjs`, so TypeScript syntax in a `js` block fails), CommonJS as written (`.cjs`).
 *
 * @param dir - Folder to write into (inside this package).
 * @param block - The block.
 * @param language - How the block runs ({@link policy}).
 * @param name - File name stem, unique within `dir`.
 * @returns The paths of the files.
 * @example
 * ```ts
 * const { source, runnable } = writeBlock(dir, block, 'ts', 'readme-line-12');
 * ```
 */
export function writeBlock(dir: string, block: CodeBlock, language: 'ts' | 'js' | 'cjs', name: string): { source?: string; runnable: string } {
  const base = join(dir, name);
  if (language === 'cjs') {
    writeFileSync(`${base}.cjs`, block.code);
    return { runnable: `${base}.cjs` };
  }
  // `export {}` keeps a block without imports a module, so top-level await is allowed.
  const code = `${block.code}\nexport {};\n`;
  writeFileSync(`${base}.ts`, code);
  const js =
    language === 'js'
      ? block.code
      : ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(`${base}.mjs`, js);
  return { source: `${base}.ts`, runnable: `${base}.mjs` };
}

/**
 * Runs a module file with this Node, in `cwd`.
 *
 * @param file - The `.mjs` or `.cjs` file.
 * @param cwd - Working directory (files the block writes land here).
 * @param timeoutMs - Kill the process after this long.
 * @returns Exit code and output.
 * @example
 * ```ts
 * const { code, stderr } = await runModule(runnable, dir, 60_000);
 * ```
 */
export function runModule(file: string, cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd, timeout: timeoutMs, env: process.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
