//! The rows of a whole file, merged from its pieces in file order.

use std::path::Path;

use lightfm_core::alloc;

use crate::chunk::{Chunk, KEYS};
use crate::columns::{Layout, TableColumns};
use crate::error::{Error, Result};
use crate::interner::Interner;
use crate::progress::ReadProgress;
use crate::wide::WideColumns;
use crate::{csv_read, parquet_read, Format, ReadOptions};

/// A file of rows with two id columns (user and item, or id and feature name), an optional
/// weight and timestamp.
#[derive(Debug, Clone)]
pub struct TableOptions {
    pub format: Format,
    pub columns: TableColumns,
    pub read: ReadOptions,
}

/// A wide file of features: one row per user or item, one column per attribute
/// ([`crate::wide`]).
#[derive(Debug, Clone)]
pub struct WideOptions {
    pub format: Format,
    pub columns: WideColumns,
    pub read: ReadOptions,
}

/// Reads every row of `file`; the ids of each key column start with `known` (kept as they are).
pub fn read_table(
    file: &Path,
    options: &TableOptions,
    known: [Interner; KEYS],
    progress: &ReadProgress,
) -> Result<Table> {
    let layout = Layout::Long(&options.columns);
    read_layout(file, options.format, layout, &options.read, known, progress)
}

/// Reads a wide file as the `(id, feature name, weight)` rows of the long table it stands for:
/// one per feature of each row, in file order (an id whose row has no features is still
/// interned). The ids start with `known` as in [`read_table`].
pub fn read_wide(
    file: &Path,
    options: &WideOptions,
    known: [Interner; KEYS],
    progress: &ReadProgress,
) -> Result<Table> {
    let layout = Layout::Wide(&options.columns);
    read_layout(file, options.format, layout, &options.read, known, progress)
}

fn read_layout(
    file: &Path,
    format: Format,
    layout: Layout<'_>,
    read: &ReadOptions,
    known: [Interner; KEYS],
    progress: &ReadProgress,
) -> Result<Table> {
    let mut table = Table::new(known);
    match format {
        Format::Csv(format) => csv_read::read(file, format, layout, read, &mut table, progress)?,
        Format::Parquet => parquet_read::read(file, layout, read, &mut table, progress)?,
    }
    // A cancelled read may stop early without an error of its own.
    if progress.is_cancelled() {
        return Err(Error::Aborted {
            file: file.to_path_buf(),
        });
    }
    Ok(table)
}

/// Every valid row of a file: ids as dense indices (first-seen order, after any known ids).
#[derive(Debug, Default)]
pub struct Table {
    pub keys: [Interner; KEYS],
    pub idx: [Vec<u32>; KEYS],
    /// Empty without a weight column.
    pub weight: Vec<f32>,
    /// Empty without a timestamp column.
    pub timestamp: Vec<i64>,
    pub skipped: u64,
}

impl Table {
    /// A table whose ids start with `known` (each side's existing mapping, in index order).
    pub fn new(known: [Interner; KEYS]) -> Self {
        Table {
            keys: known,
            ..Self::default()
        }
    }

    pub fn rows(&self) -> usize {
        self.idx[0].len()
    }

    /// Room for `rows` more rows, so a large file grows its arrays once, not by doubling.
    pub fn reserve(&mut self, rows: usize, weight: bool, timestamp: bool) -> Result<()> {
        const WHAT: &str = "the rows read";
        for idx in &mut self.idx {
            alloc::reserve(idx, WHAT, rows)?;
        }
        if weight {
            alloc::reserve(&mut self.weight, WHAT, rows)?;
        }
        if timestamp {
            alloc::reserve(&mut self.timestamp, WHAT, rows)?;
        }
        Ok(())
    }

    /// Appends a piece's rows; its first-seen ids that are new get the next indices.
    pub fn merge(&mut self, chunk: Chunk, progress: &ReadProgress) -> Result<()> {
        let rows = chunk.rows();
        for k in 0..KEYS {
            grow(&mut self.idx[k], rows)?;
            self.keys[k].intern_column(&chunk.keys[k], &mut self.idx[k])?;
        }
        self.drop_bare(chunk.keys[0].len(), &chunk.bare);
        grow(&mut self.weight, chunk.weight.len())?;
        self.weight.extend_from_slice(&chunk.weight);
        grow(&mut self.timestamp, chunk.timestamp.len())?;
        self.timestamp.extend_from_slice(&chunk.timestamp);
        self.skipped += chunk.skipped;
        progress.add(chunk.bytes, chunk.records);
        Ok(())
    }
}

impl Table {
    /// Removes from `idx[0]` the ids a chunk interned without an entry: `bare` holds their
    /// positions among the chunk's `added` ids, the last ones of `idx[0]`.
    fn drop_bare(&mut self, added: usize, bare: &[u32]) {
        let Some(&first) = bare.first() else {
            return;
        };
        let ids = &mut self.idx[0];
        let start = ids.len() - added;
        let mut skip = bare.iter().map(|&b| start + b as usize).peekable();
        let from = start + first as usize;
        let mut write = from;
        for read in from..ids.len() {
            if skip.peek() == Some(&read) {
                skip.next();
                continue;
            }
            ids[write] = ids[read];
            write += 1;
        }
        ids.truncate(write);
    }
}

/// Room for `extra` more, doubling when full (beyond an estimate reserved up front).
fn grow<T>(v: &mut Vec<T>, extra: usize) -> Result<()> {
    if v.capacity() - v.len() >= extra {
        return Ok(());
    }
    let want = extra.max(v.len() / 2);
    Ok(alloc::reserve(v, "the rows read", want)?)
}
