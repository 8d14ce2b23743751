// `lightfm serve <model> --port 3000 [--host 127.0.0.1]`: the HTTP JSON API.
import type { Command } from 'commander';
import { loadServing } from '../cli/model.js';
import { integer } from '../cli/parse.js';
import { createService } from '../serving/service.js';
import { serveUntilSignal } from '../serving/listen.js';

interface ServeFlags {
  port: number;
  host: string;
}

export function serveCommand(command: Command): void {
  command
    .description('answer GET /recommend?user=<id>&k=10, /similar?item=<id>&k=10 and /health with JSON until SIGINT or SIGTERM')
    .argument('<model>', 'a model file written by `lightfm train`')
    .option('--port <port>', 'port to listen on (0 picks a free one)', integer(0, 65535), 3000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (modelPath: string, flags: ServeFlags) => {
      const serving = await loadServing(modelPath);
      const [users, items] = serving.dataset.interactionsShape();
      const signal = await serveUntilSignal(createService(serving), flags.port, flags.host, (url) => {
        console.log(`serving ${modelPath} (${users} users, ${items} items) on ${url}`);
        console.log(`  ${url}/recommend?user=${encodeURIComponent(String(serving.dataset.userIds()[0] ?? ''))}&k=5`);
        console.log(`  ${url}/health`);
      });
      console.log(`${signal}: stopped`);
    });
}
