// Which copy of apache-arrow builds a table. apache-arrow ships an ES module build and a
// CommonJS build whose classes differ: LanceDB (CommonJS) checks `instanceof Table` against its
// copy and mangles tables of the other, and the ES build's `tableToIPC` writes nothing for a
// table of the CommonJS one. So tables handed to LanceDB are built with the copy LanceDB loads,
// and tables handed to the caller with the one `import ... from 'apache-arrow'` gives.
import { createRequire } from 'node:module';
import * as esm from 'apache-arrow';

export type Arrow = typeof esm;

/** apache-arrow as `import` gives it: for tables returned to the caller. */
export const callerArrow: Arrow = esm;

const requireHere = createRequire(import.meta.url);

/** apache-arrow as `@lancedb/lancedb` loads it (resolved from LanceDB's own folder). */
export const lanceArrow: Arrow = createRequire(requireHere.resolve('@lancedb/lancedb'))('apache-arrow') as Arrow;
