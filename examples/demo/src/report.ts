// Turns a demo result into the lines printed on the terminal.
import type { DemoResult, Scores } from './demo.js';

const COLUMN = 44;

/**
 * The metrics table: precision@10, AUC and NDCG@10 on train and test.
 *
 * @param metrics - Train and test means from {@link runDemo}.
 * @returns Printable lines.
 * @example
 * ```ts
 * for (const line of metricsTable(result.metrics)) console.log(line);
 * ```
 */
export function metricsTable(metrics: DemoResult['metrics']): string[] {
  const row = (name: string, s: Scores) =>
    `  ${name.padEnd(7)}${s.precision.toFixed(3).padStart(14)}${s.auc.toFixed(3).padStart(8)}${s.ndcg.toFixed(3).padStart(10)}`;
  return [
    `  ${''.padEnd(7)}${'precision@10'.padStart(14)}${'AUC'.padStart(8)}${'NDCG@10'.padStart(10)}`,
    row('train', metrics.train),
    row('test', metrics.test),
    "  (test ranks leave out each user's training items, as LightFM's train_interactions does)",
  ];
}

/**
 * For each user, the items they liked most next to the items recommended to them.
 *
 * @param users - Per-user reports from {@link runDemo}.
 * @param likedHeading - Heading of the left column.
 * @returns Printable lines.
 * @example
 * ```ts
 * for (const line of recommendationTable(result.users, 'rated highly')) console.log(line);
 * ```
 */
export function recommendationTable(users: DemoResult['users'], likedHeading: string): string[] {
  const lines: string[] = [];
  for (const { user, liked, recommended } of users) {
    lines.push('', `${user}:`, `  ${cell(likedHeading)}  recommended`);
    for (let i = 0; i < Math.max(liked.length, recommended.length); i++) {
      lines.push(`  ${cell(liked[i] ?? '')}  ${recommended[i] ?? ''}`.trimEnd());
    }
  }
  return lines;
}

/** `text` cut or padded to one column. */
function cell(text: string): string {
  return text.length > COLUMN ? `${text.slice(0, COLUMN - 1)}…` : text.padEnd(COLUMN);
}
