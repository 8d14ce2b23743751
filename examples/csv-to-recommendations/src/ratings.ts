// Reading a CSV of `user,item,rating` rows with csv-parse (streamed, so big files are fine).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/** One row of the CSV. */
export interface Rating {
  user: string;
  item: string;
  /** The rating; 1 when the CSV has no `rating` column (implicit feedback). */
  rating: number;
}

/**
 * Reads a CSV file with a header row naming the columns `user`, `item` and optionally
 * `rating` (other columns are ignored). Values are trimmed; empty lines are skipped.
 *
 * @param path - The CSV file.
 * @returns The rows in file order.
 * @throws {Error} When a column is missing or a rating is not a finite number (the message
 *   gives the line); csv-parse's own errors for malformed CSV; Node's for an unreadable file.
 * @example
 * ```ts
 * const ratings = await readRatings('data/ratings.csv');
 * ```
 */
export async function readRatings(path: string): Promise<Rating[]> {
  const parser = createReadStream(path).pipe(parse({ columns: true, trim: true, skip_empty_lines: true, info: true }));
  const ratings: Rating[] = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const { user, item, rating = '1' } = record;
    if (!user || !item) throw new Error(`${path}:${info.lines}: every row needs a user and an item (header: user,item[,rating])`);
    const value = Number(rating);
    if (rating === '' || !Number.isFinite(value)) throw new Error(`${path}:${info.lines}: rating must be a number, got ${JSON.stringify(rating)}`);
    ratings.push({ user, item, rating: value });
  }
  return ratings;
}
