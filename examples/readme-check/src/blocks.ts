// Finds the fenced code blocks of a Markdown file and decides what the README test does
// with each.
import ts from 'typescript';

/** One fenced code block. */
export interface CodeBlock {
  /** The info string's first word, lower-cased (`ts`, `sh`, ...); empty when there is none. */
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The code, without the fences. */
  code: string;
  /** The paragraph of prose just before the block (what a reader sees above it). */
  intro: string;
}

/** What the test does with a block, and why. */
export type BlockPolicy =
  | { action: 'run'; language: 'ts' | 'js' | 'cjs' }
  | { action: 'skip'; reason: string }
  | { action: 'reject'; reason: string };

/**
 * The fenced blocks (three or more backticks or tildes) of a Markdown text, in order.
 *
 * @param markdown - The file's text.
 * @returns Every block with its language and line.
 * @throws {Error} When a fence is never closed.
 * @example
 * ```ts
 * const blocks = codeBlocks(readFileSync('README.md', 'utf8'));
 * ```
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence) && l.trim().replace(/[`~]/g, '') === '');
    if (end < 0) throw new Error(`the code block opened on line ${i + 1} is never closed`);
    blocks.push({ lang: (open[2] ?? '').toLowerCase(), line: i + 1, code: lines.slice(i + 1, end).join('\n'), intro: paragraphBefore(lines, i) });
    i = end;
  }
  return blocks;
}

/** The paragraph above line `i`: its non-blank lines, up to the previous blank line or fence. */
function paragraphBefore(lines: string[], i: number): string {
  const paragraph: string[] = [];
  let start = i - 1;
  while (start >= 0 && (lines[start] ?? '').trim() === '') start--;
  for (let j = start; j >= 0; j--) {
    const line = lines[j] ?? '';
    if (line.trim() === '' || /^ {0,3}(`{3,}|~{3,})/.test(line)) break;
    paragraph.unshift(line);
  }
  return paragraph.join('\n');
}

/**
 * What to do with a block: TypeScript, JavaScript (ES module) and CommonJS (`cjs`) run; shell
 * commands (the quick start, which is `pnpm install && pnpm test` itself) and sample output
 * (`text`) are skipped; any other language fails the test until this policy says how to check
 * it.
 *
 * @param block - A block from {@link codeBlocks}.
 * @returns The action and the reason.
 * @example
 * ```ts
 * policy({ lang: 'sh', line: 1, code: 'pnpm test', intro: '' }); // { action: 'skip', reason: ... }
 * ```
 */
export function policy(block: CodeBlock): BlockPolicy {
  switch (block.lang) {
    case 'ts':
    case 'typescript':
      return { action: 'run', language: 'ts' };
    case 'js':
    case 'javascript':
    case 'mjs':
      return { action: 'run', language: 'js' };
    case 'cjs':
      return { action: 'run', language: 'cjs' };
    case 'sh':
    case 'bash':
    case 'shell':
      return { action: 'skip', reason: 'shell commands (package installs, and the quick start, whose `pnpm test` runs this test)' };
    case 'text':
      return { action: 'skip', reason: 'sample output, not code' };
    default:
      return { action: 'reject', reason: `no rule for \`\`\`${block.lang || '(no language)'} blocks; tag the block ts, js, cjs, sh or text` };
  }
}

/**
 * Whether a block loads a real data set (it then needs `LIGHTFM_DATA_HOME` or the network).
 * Calls mentioned in `//` comments do not count.
 *
 * @param block - A block from {@link codeBlocks}.
 * @returns `true` when the code calls `fetchMovielens` or `fetchStackexchange`.
 * @example
 * ```ts
 * needsRealData({ lang: 'ts', line: 1, code: 'await fetchMovielens();', intro: '' }); // true
 * ```
 */
export function needsRealData(block: CodeBlock): boolean {
  const code = block.code.replace(/\/\/.*$/gm, '');
  return /\bfetch(Movielens|Stackexchange)\s*\(/.test(code);
}

/**
 * The TypeScript-only syntax in `code` (type annotations, `as`, generics, ...): what stops it
 * from running as plain JavaScript. Empty for plain JavaScript.
 *
 * @param code - A block's code.
 * @returns One message per construct that only TypeScript accepts.
 * @example
 * ```ts
 * typeScriptOnly("const x = [1, 'a'] as const;"); // ['Type assertion expressions can only be used in TypeScript files.']
 * ```
 */
export function typeScriptOnly(code: string): string[] {
  const file = 'block.mjs';
  const host = ts.createCompilerHost({ allowJs: true, noEmit: true });
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? code : readFile(name));
  host.fileExists = (name) => name === file;
  const program = ts.createProgram([file], { allowJs: true, noEmit: true, noLib: true, types: [] }, host);
  return program.getSyntacticDiagnostics(program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
