// The HTTP service: GET /recommend?user=<id>&k=<n> and GET /similar?item=<id>&k=<n>, JSON in
// external ids. node:http only; every request is answered from memory in microseconds.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Id, ItemIndex } from '@lightfm-ts/core';
import type { Serving } from './model.js';

const MAX_K = 100;

/** One entry of a response list. */
export interface ScoredItem {
  id: string;
  title?: string;
  score: number;
}

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
 * - Errors: `{ error }` with 400 (bad parameter), 404 (unknown id or path), 405 (not GET).
 *
 * @param serving - The model with its dataset (which turns ids into rows), item features and
 *   seen items, from `servingState(await LightFM.load(path))`.
 * @param index - An approximate index of the model's items (`indexFor`): both routes then
 *   answer through it, in the same shapes, instead of scanning every item.
 * @returns A `node:http` server; call `listen`.
 * @example
 * ```ts
 * createService(servingState(await LightFM.load('model.lightfm'))).listen(3000, '127.0.0.1');
 * ```
 */
export function createService(serving: Serving, index?: ItemIndex): Server {
  const { model, dataset, itemFeatures, seen, titles } = serving;
  const itemIds = dataset.itemIds();
  const { userIdMap, itemIdMap } = dataset.mapping();
  const item = (i: number, score: number): ScoredItem => {
    const title = titles?.[i];
    return { id: String(itemIds[i] ?? i), ...(title !== undefined && { title }), score };
  };
  const list = (ids: Int32Array, scores: Float32Array) =>
    Array.from(ids.keys())
      .filter((r) => (ids[r] ?? -1) >= 0)
      .map((r) => item(ids[r] as number, scores[r] as number));

  const routes: Record<string, (query: URLSearchParams) => unknown> = {
    '/recommend': (query) => {
      const user = required(query, 'user');
      const row = lookup(userIdMap, user, 'user');
      const k = topK(query);
      // The index holds the item vectors it was built from: no item features per call.
      const top = index ? index.recommend(row, { k, exclude: seen }) : model.recommend(row, { k, exclude: seen, itemFeatures });
      return { user, items: list(top.items, top.scores) };
    },
    '/similar': (query) => {
      const id = required(query, 'item');
      const row = lookup(itemIdMap, id, 'item');
      const k = topK(query);
      const top = index ? index.similarItems(row, { k }) : model.similarItems(row, { k, itemFeatures });
      const { title } = item(row, 0);
      return { item: id, ...(title !== undefined && { title }), similar: list(top.items, top.scores) };
    },
  };

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'GET') throw new HttpError(405, 'only GET is supported');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = routes[url.pathname];
      if (!route) throw new HttpError(404, `no route ${url.pathname}; try /recommend?user=<id> or /similar?item=<id>`);
      send(res, 200, route(url.searchParams));
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      console.error(err);
      send(res, 500, { error: 'internal error' });
    }
  });
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new HttpError(400, `missing query parameter ${name}`);
  return value;
}

/** The row of an id (query parameters are strings, and so are this dataset's ids). */
function lookup(index: ReadonlyMap<Id, number>, id: string, what: string): number {
  const i = index.get(id);
  if (i === undefined) throw new HttpError(404, `unknown ${what} ${JSON.stringify(id)}`);
  return i;
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
