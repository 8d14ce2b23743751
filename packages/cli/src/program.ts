// The `lightfm` command line: one subcommand per module in commands/.
import { Command } from 'commander';
import { exitCodeOf } from './cli/exit.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { recommendCommand } from './commands/recommend.js';
import { serveCommand } from './commands/serve.js';
import { similarCommand } from './commands/similar.js';
import { trainCommand } from './commands/train.js';

declare const __PACKAGE_VERSION__: string;

/** The program with every subcommand; subcommands inherit its settings through `command()`. */
export function program(): Command {
  const root = new Command('lightfm')
    .description('Train, evaluate and serve LightFM hybrid recommenders from CSV, TSV or Parquet files')
    .version(__PACKAGE_VERSION__)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  trainCommand(root.command('train'));
  evaluateCommand(root.command('evaluate'));
  recommendCommand(root.command('recommend'));
  similarCommand(root.command('similar'));
  exportCommand(root.command('export'));
  serveCommand(root.command('serve'));
  return root;
}

/**
 * Runs the command line and returns its exit code: 0, 1 for errors of the data or the system
 * (message without a stack), 2 for usage errors.
 * @param argv - `process.argv`.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
    return 0;
  } catch (err) {
    return exitCodeOf(err);
  }
}
