//! `lightfm-io`: data files in and out of `lightfm-core`.
//!
//! Reads interactions and features from CSV/TSV and Parquet files, streaming (a few pieces of
//! the file in memory at a time) and on several threads, mapping string or integer ids to
//! dense indices in first-seen file order, the same whatever the number of threads. Writes
//! exported embeddings to Parquet and Arrow IPC files. Module map:
//!
//! | module | holds |
//! | --- | --- |
//! | [`interactions`] | `read_interactions`: a file to ids and matrix entries |
//! | [`dedup`] | the duplicates policies (`keep`, `sum`, `last`) |
//! | [`csv_read`] | CSV/TSV: header, row estimate, pieces parsed in parallel |
//! | [`boundary`] | where a CSV record ends (quoted newlines included) |
//! | [`pipeline`] | source thread, parsing threads, merge in file order |
//! | [`table`] | `read_table`: any file's rows, merged in file order from [`chunk`]s |
//! | [`parquet_read`] | Parquet: row groups decoded in parallel |
//! | [`interner`] | ids to dense indices (one byte arena, one open-addressing table, lookups prefetched) |
//! | [`columns`] | columns by name or position |
//! | [`wide`] | wide tables of features: a row per id, a column per attribute |
//! | [`values`] | weights and timestamps from text |
//! | [`progress`] | bytes and rows read, cancellation |
//! | [`embeddings`] | exported vectors with ids to Parquet and Arrow IPC |
//! | [`error`] | errors with file, line or row group, and column |

#![deny(unsafe_code)]

pub mod boundary;
pub mod chunk;
pub mod columns;
pub mod csv_read;
pub mod dedup;
pub mod embeddings;
pub mod error;
pub mod interactions;
pub mod interner;
pub mod parquet_read;
pub mod pipeline;
pub mod progress;
pub mod table;
pub mod values;
pub mod wide;

pub use columns::{Column, TableColumns};
pub use csv_read::CsvFormat;
pub use dedup::{Duplicates, Entries};
pub use embeddings::{write_embeddings, EmbeddingsFormat};
pub use error::{Error, Location, Result, RowProblem};
pub use interactions::{read_interactions, Interactions, InteractionsOptions};
pub use interner::{Interner, KeyKind};
pub use progress::{ReadProgress, ReadSnapshot};
pub use table::{read_table, read_wide, Table, TableOptions, WideOptions};
pub use wide::WideColumns;

/// The kind of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv(CsvFormat),
    Parquet,
}

/// How a file is read, whatever its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip (and count) malformed rows instead of failing on the first.
    pub skip_invalid: bool,
    /// Threads parsing the file (a further thread reads it).
    pub num_threads: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            skip_invalid: false,
            num_threads: 2,
        }
    }
}
