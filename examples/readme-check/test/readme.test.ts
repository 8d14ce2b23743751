// Every code block of the root README.md and of each published package's README.md (its npm
// page): TypeScript and JavaScript blocks are type-checked and run as written against the built
// packages, JavaScript blocks without any TypeScript step (so they really are JavaScript), and
// CommonJS blocks with `require`; shell blocks (the quick-start commands) and sample output are
// skipped, and the test says so; any other block fails. A block tagged `ts` must need
// TypeScript, and its introduction must say so. See src/blocks.ts.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlockPolicy, codeBlocks, needsRealData, policy, typeScriptOnly } from '../src/blocks.js';
import { runModule, typeCheck, writeBlock } from '../src/run.js';

const ROOT = new URL('../../../', import.meta.url);
const READMES = ['README.md', 'packages/core/README.md', 'packages/evaluation/README.md', 'packages/datasets/README.md', 'packages/lancedb/README.md', 'packages/cli/README.md'];
const BASE_CONFIG = fileURLToPath(new URL('tsconfig.base.json', ROOT));
// Inside this package, so that imports of @lightfm-ts/* resolve; removed afterwards.
const WORK = fileURLToPath(new URL(`../.blocks-${process.pid}/`, import.meta.url));
const dataHome = process.env.LIGHTFM_DATA_HOME;

type Run = Extract<BlockPolicy, { action: 'run' }>;

beforeAll(() => mkdirSync(WORK, { recursive: true }));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe.each(READMES)('%s', (readme) => {
  const blocks = codeBlocks(readFileSync(new URL(readme, ROOT), 'utf8'));
  const runnable = blocks.filter((b) => policy(b).action === 'run');
  const stem = (line: number) => `${readme.replace(/\W+/g, '-')}-line-${line}`;

  if (readme === 'README.md') {
    it('has the two quick-start commands exactly', () => {
      const shell = blocks.filter((b) => b.lang === 'sh').map((b) => b.code.trim());
      expect(shell).toContain('pnpm install && pnpm demo');
      expect(shell).toContain('pnpm install && pnpm test');
    });
  }

  it('has only blocks this test knows how to check', () => {
    for (const block of blocks) {
      const p = policy(block);
      if (p.action === 'skip') console.log(`${readme}:${block.line} (${block.lang}) not run: ${p.reason}`);
      expect(p.action, `${readme}:${block.line}: ${p.action === 'reject' ? p.reason : ''}`).not.toBe('reject');
    }
    expect(runnable.length).toBeGreaterThan(0);
  });

  it('tags as ts only blocks that need TypeScript, and says so above them', () => {
    for (const block of runnable.filter((b) => (policy(b) as Run).language === 'ts')) {
      const where = `${readme}:${block.line}`;
      expect(typeScriptOnly(block.code), `${where} is plain JavaScript: tag it js`).not.toEqual([]);
      expect(block.intro, `${where} needs TypeScript: the paragraph above it must say so`).toMatch(/TypeScript/);
    }
  });

  it('type-checks every TypeScript and JavaScript block (strict, as the packages are built)', () => {
    const files = runnable.flatMap((b) => writeBlock(WORK, b, (policy(b) as Run).language, stem(b.line)).source ?? []);
    expect(typeCheck(files, BASE_CONFIG)).toEqual([]);
  });

  for (const block of runnable) {
    const skip = needsRealData(block) && !dataHome;
    if (skip) console.log(`${readme}:${block.line} not run: it loads a real data set and LIGHTFM_DATA_HOME is unset`);
    it.skipIf(skip)(`runs the block on line ${block.line} as written`, async () => {
      const dir = `${WORK}${stem(block.line)}`;
      mkdirSync(dir, { recursive: true });
      const { runnable: file } = writeBlock(dir, block, (policy(block) as Run).language, 'block');
      const result = await runModule(file, dir, 60_000);
      expect(result.code, `${readme}:${block.line} failed:\n${result.stderr}${result.stdout}`).toBe(0);
      if (result.stdout) console.log(`${readme}:${block.line} printed:\n${result.stdout.trimEnd()}`);
    });
  }
});
