// Small statistics shared by the report and the curve summaries.

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
