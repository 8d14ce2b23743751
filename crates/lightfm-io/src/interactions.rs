//! `read_interactions`: a file of `(user, item[, weight][, timestamp])` rows to the ids and
//! entries of an interactions matrix.

use std::path::Path;

use crate::dedup::{Duplicates, Entries};
use crate::error::Result;
use crate::interner::Interner;
use crate::progress::ReadProgress;
use crate::table::{read_table, Table, TableOptions};

/// What to read and how.
#[derive(Debug, Clone)]
pub struct InteractionsOptions {
    /// The file, with `columns.keys` = `[user, item]`.
    pub table: TableOptions,
    pub duplicates: Duplicates,
}

/// The interactions of a file.
#[derive(Debug)]
pub struct Interactions {
    /// Every user id by row: the known ids first (unchanged), then new ones in first-seen order.
    pub users: Interner,
    /// Every item id by column, likewise.
    pub items: Interner,
    /// The matrix entries (after the duplicates policy).
    pub entries: Entries,
    /// Rows skipped as invalid (with `skip_invalid`).
    pub skipped: u64,
}

/// Reads `file`. `known` holds the user and item ids of an existing mapping, which keep their
/// indices; nothing partial is returned on error.
pub fn read_interactions(
    file: &Path,
    options: &InteractionsOptions,
    known: [Interner; 2],
    progress: &ReadProgress,
) -> Result<Interactions> {
    let Table {
        keys: [users, items],
        idx: [row, col],
        weight,
        timestamp,
        skipped,
    } = read_table(file, &options.table, known, progress)?;
    let mut entries = Entries {
        row,
        col,
        weight,
        timestamp,
    };
    entries.dedup(options.duplicates, users.len())?;
    Ok(Interactions {
        users,
        items,
        entries,
        skipped,
    })
}
