// Running the service until SIGINT or SIGTERM, then closing it gracefully.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long requests in flight get to finish after a shutdown signal. */
const DRAIN_MS = 5000;

/**
 * Starts listening and resolves once the server has stopped after SIGINT or SIGTERM: it stops
 * accepting connections, closes idle keep-alive ones, and after 5 s the rest.
 *
 * @param onListening - Called with the address once the server accepts connections.
 * @returns The signal that stopped the server.
 */
export async function serveUntilSignal(server: Server, port: number, host: string, onListening: (url: string) => void): Promise<NodeJS.Signals> {
  server.listen(port, host);
  await once(server, 'listening');
  const { port: bound } = server.address() as AddressInfo;
  onListening(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals) => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve(s);
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS).unref();
  await closed;
  clearTimeout(force);
  return signal;
}
