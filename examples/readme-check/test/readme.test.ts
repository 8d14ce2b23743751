// Every code block of the root README.md: TypeScript and JavaScript blocks are type-checked
// and run as written against the built packages; shell blocks (the quick-start commands) and
// sample output are skipped, and the test says so; any other block fails. See src/blocks.ts.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, needsRealData, policy } from '../src/blocks.js';
import { runModule, typeCheck, writeBlock } from '../src/run.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const BASE_CONFIG = fileURLToPath(new URL('../../../tsconfig.base.json', import.meta.url));
// Inside this package, so that imports of @lightfm-ts/* resolve; removed afterwards.
const WORK = fileURLToPath(new URL(`../.blocks-${process.pid}/`, import.meta.url));

const blocks = codeBlocks(readFileSync(README, 'utf8'));
const runnable = blocks.filter((b) => policy(b).action === 'run');
const dataHome = process.env.LIGHTFM_DATA_HOME;

describe('README.md', () => {
  beforeAll(() => mkdirSync(WORK, { recursive: true }));
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('has the two quick-start commands exactly', () => {
    const shell = blocks.filter((b) => b.lang === 'sh').map((b) => b.code.trim());
    expect(shell).toContain('pnpm install && pnpm demo');
    expect(shell).toContain('pnpm install && pnpm test');
  });

  it('has only blocks this test knows how to check', () => {
    for (const block of blocks) {
      const p = policy(block);
      if (p.action === 'skip') console.log(`README.md:${block.line} (${block.lang}) not run: ${p.reason}`);
      expect(p.action, `README.md:${block.line}: ${p.action === 'reject' ? p.reason : ''}`).not.toBe('reject');
    }
    expect(runnable.length).toBeGreaterThan(0);
  });

  it('type-checks every TypeScript block (strict, as the packages are built)', () => {
    const files = runnable.filter((b) => policy(b).action === 'run').map((b) => writeBlock(WORK, b).source);
    expect(typeCheck(files, BASE_CONFIG)).toEqual([]);
  });

  for (const block of runnable) {
    const skip = needsRealData(block) && !dataHome;
    if (skip) console.log(`README.md:${block.line} not run: it loads a real data set and LIGHTFM_DATA_HOME is unset`);
    it.skipIf(skip)(`runs the block on line ${block.line} as written`, async () => {
      const dir = `${WORK}line-${block.line}`;
      mkdirSync(dir, { recursive: true });
      const { runnable: file } = writeBlock(dir, block);
      const result = await runModule(file, dir, 60_000);
      expect(result.code, `README.md:${block.line} failed:\n${result.stderr}${result.stdout}`).toBe(0);
      if (result.stdout) console.log(`README.md:${block.line} printed:\n${result.stdout.trimEnd()}`);
    });
  }
});
