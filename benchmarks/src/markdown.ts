// Markdown pieces every report table uses.

export function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

export const fixed = (v: number | undefined | null, digits: number) => (v === undefined || v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

/** One acceptance target, its measured value and whether it holds (undefined: not measured). */
export interface Check {
  target: string;
  value: string;
  pass: boolean | undefined;
}

export function checkTable(checks: Check[]): string {
  const verdict = (pass: boolean | undefined) => (pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS');
  return table(['target', 'measured', 'verdict'], checks.map((c) => [c.target, c.value, verdict(c.pass)]));
}
