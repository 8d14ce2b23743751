// The intended name of an unknown option key: a per-call alias, a name from LightFM (Python)
// or a neighbouring library, the same name in another case style (`item_features`), or a near
// miss (`epoch`, `excludes`, `metirc`).

/** Names people bring from LightFM and similar libraries whose camelCase is not ours: the first known one is meant. */
const FOREIGN_NAMES: Readonly<Record<string, readonly string[]>> = {
  verbose: ['progress', 'onEpoch'],
  show_progress: ['progress', 'onEpoch'],
  seed: ['randomState'],
  random_seed: ['randomState', 'seed'],
  iterations: ['epochs'],
  n_iter: ['epochs'],
  num_epochs: ['epochs'],
  n_jobs: ['numThreads'],
  threads: ['numThreads'],
  lr: ['learningRate'],
  N: ['k'],
  top_k: ['k'],
  topN: ['k'],
  filter_already_liked_items: ['exclude'],
};

/** The name without case and separators: `item_features`, `item-features` and `ItemFeatures` meet. */
function folded(name: string): string {
  return name.replace(/[-_\s]/g, '').toLowerCase();
}

/** Optimal-string-alignment distance (edits, adjacent swaps counting one), stopping past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((rows[i - 1]![j] as number) + 1, (row[j - 1] as number) + 1, (rows[i - 1]![j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]![j - 2] as number) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length] as number;
}

/** Edits a misspelling of a name this long may have: none for one or two letters (`n` is not `k`). */
function tolerance(length: number): number {
  if (length <= 2) return 0;
  return length <= 5 ? 1 : 2;
}

/**
 * The known key that `key` most likely meant, or `undefined` when none is close.
 * @param aliases this call's own wrong-to-right names (e.g. `users` -> `userFeatures` for `resize`)
 */
export function intendedKey(key: string, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const alias = Object.hasOwn(aliases, key) ? aliases[key] : undefined;
  if (alias !== undefined && known.includes(alias)) return alias;
  const foreign = Object.hasOwn(FOREIGN_NAMES, key) ? FOREIGN_NAMES[key] : undefined;
  const translated = foreign?.find((name) => known.includes(name));
  if (translated !== undefined) return translated;
  const want = folded(key);
  let best: string | undefined;
  let bestDistance = tolerance(want.length) + 1;
  for (const name of known) {
    const d = distance(want, folded(name), bestDistance - 1);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}
