// The HTTP JSON API: GET /recommend?user=<id>&k=<n>, GET /similar?item=<id>&k=<n> and GET
// /health, in external ids. node:http only; every request is answered from memory.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { ItemIndex } from '@lightfm-ts/core';
import type { Serving } from './mappings.js';
import { UnknownIdError, answers } from './answers.js';

/** Largest `k` a request may ask for. */
export const MAX_K = 100;

/** A failed request: the HTTP status and the message sent as `{ error }`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An HTTP server (not yet listening) that answers from a loaded model.
 *
 * - `GET /recommend?user=<id>&k=10`: `{ user, items: [{ id, title?, score }] }`, best first,
 *   never an item the user already has (the model's `seen` record).
 * - `GET /similar?item=<id>&k=10`: `{ item, title?, similar: [{ id, title?, score }] }` by
 *   cosine similarity of item embeddings.
 * - `GET /health`: `{ status: 'ok', users, items }`.
 * - Errors: `{ error }` with 400 (bad parameter), 404 (unknown id or path), 405 (not GET).
 *
 * @param serving - The model with its dataset (which turns ids into rows), feature matrices
 *   and seen items, from `servingState(await LightFM.load(path))`.
 * @param index - An approximate index of the model's items: both routes then answer through
 *   it, in the same shapes, instead of scanning every item.
 * @returns A `node:http` server; call `listen`.
 * @example
 * ```ts
 * createService(servingState(await LightFM.load('model.lightfm'))).listen(3000, '127.0.0.1');
 * ```
 */
export function createService(serving: Serving, index?: ItemIndex): Server {
  const answer = answers(serving, index);
  const [users, items] = serving.dataset.interactionsShape();
  const routes: Record<string, (query: URLSearchParams) => unknown> = {
    '/recommend': (query) => {
      const user = required(query, 'user');
      return { user, items: found(() => answer.recommend([user], topK(query))[0]) };
    },
    '/similar': (query) => {
      const item = required(query, 'item');
      const similar = found(() => answer.similar([item], topK(query))[0]);
      const title = answer.title(item);
      return { item, ...(title !== undefined && { title }), similar };
    },
    '/health': () => ({ status: 'ok', users, items }),
  };

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'GET') throw new HttpError(405, 'only GET is supported');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = routes[url.pathname];
      if (!route) throw new HttpError(404, `no route ${url.pathname}; try /recommend?user=<id>, /similar?item=<id> or /health`);
      send(res, 200, route(url.searchParams));
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      console.error(err);
      send(res, 500, { error: 'internal error' });
    }
  });
}

/** Runs a lookup, turning an unknown id into a 404. */
function found<T>(lookup: () => T): T {
  try {
    return lookup();
  } catch (err) {
    if (err instanceof UnknownIdError) throw new HttpError(404, err.message);
    throw err;
  }
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new HttpError(400, `missing query parameter ${name}`);
  return value;
}

function topK(query: URLSearchParams): number {
  const text = query.get('k') ?? '10';
  const k = Number(text);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new HttpError(400, `k must be an integer from 1 to ${MAX_K}, got ${JSON.stringify(text)}`);
  return k;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
