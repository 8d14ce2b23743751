// A real HTTP server on 127.0.0.1 with per-path behaviours, for download tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  /** Base URL ending in '/'. */
  url: string;
  /** Requests per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function serve(routes: Record<string, Route>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, 'Not Found').end('not found');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` whole, with its Content-Length. */
export function sendBytes(body: Uint8Array): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };
}

/** Announces the full length, sends the first half, then ends the connection. */
export function sendTruncated(body: Uint8Array): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.socket?.end());
  };
}

/** Sends part of a chunked body (no length), then destroys the socket mid-stream. */
export function sendThenReset(body: Uint8Array): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
  };
}

/** Sends headers and a few bytes, then stays silent (until the server closes). */
export function sendThenStall(body: Uint8Array): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, 16));
  };
}
