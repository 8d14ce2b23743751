//! A piece of a file parsed on its own thread: each row's ids (hashed there) and values.
//! [`crate::table::Table`] interns the ids as it merges pieces in file order, so indices
//! follow the file whatever the threads did.

use crate::error::Error;
use crate::interner::{KeyColumn, KeyKind};

/// The two id columns of a table (user and item, or id and feature).
pub const KEYS: usize = 2;

/// Rows of one piece of a file.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Per key column, each entry's id; `keys[0]` also holds, in file order, the ids of wide
    /// rows without features (at the positions in `bare`).
    pub keys: [KeyColumn; KEYS],
    /// Positions in `keys[0]` of ids that have no entry, increasing.
    pub bare: Vec<u32>,
    /// Empty when the table has no weight column.
    pub weight: Vec<f32>,
    /// Empty when the table has no timestamp column.
    pub timestamp: Vec<i64>,
    /// Valid rows of the file (a wide row gives several entries).
    pub records: u64,
    /// Rows skipped as invalid.
    pub skipped: u64,
    /// The first invalid row when not skipping: the read fails with it.
    pub error: Option<Error>,
    /// Bytes of the file this piece covers (for progress).
    pub bytes: u64,
}

impl Chunk {
    pub fn new(bytes: u64) -> Self {
        Chunk {
            bytes,
            ..Self::default()
        }
    }

    /// A piece expected to hold about `rows` rows: its arrays are allocated once, not grown
    /// by copying (a Parquet row group is often a million rows; beyond that they grow).
    pub fn with_capacity(bytes: u64, rows: usize) -> Self {
        let rows = rows.min(1 << 21);
        let mut chunk = Chunk::new(bytes);
        for keys in &mut chunk.keys {
            keys.reserve(rows);
        }
        chunk
    }

    /// Adds one valid row.
    pub fn push(
        &mut self,
        ids: [(KeyKind, &[u8]); KEYS],
        weight: Option<f32>,
        timestamp: Option<i64>,
    ) {
        for (k, (kind, id)) in ids.into_iter().enumerate() {
            self.keys[k].push(kind, id);
        }
        if let Some(w) = weight {
            self.weight.push(w);
        }
        if let Some(t) = timestamp {
            self.timestamp.push(t);
        }
        self.records += 1;
    }

    /// Adds one valid row of a wide table: an entry per `(feature name, weight)`, or only the
    /// id when there are none.
    pub fn push_features<'a>(
        &mut self,
        id: (KeyKind, &[u8]),
        features: impl Iterator<Item = (&'a [u8], f32)>,
    ) {
        let mut entries = 0;
        for (name, weight) in features {
            self.keys[0].push(id.0, id.1);
            self.keys[1].push(KeyKind::Text, name);
            self.weight.push(weight);
            entries += 1;
        }
        if entries == 0 {
            // Interned all the same, so an unknown id is reported as in a long table.
            self.bare.push(self.keys[0].len() as u32);
            self.keys[0].push(id.0, id.1);
        }
        self.records += 1;
    }

    /// Records an invalid row; returns whether parsing goes on (only when skipping).
    pub fn reject(&mut self, e: Error, skip_invalid: bool) -> bool {
        if skip_invalid {
            self.skipped += 1;
            true
        } else {
            self.error = Some(e);
            false
        }
    }

    /// Entries (one per row of a long table).
    pub fn rows(&self) -> usize {
        self.keys[1].len()
    }
}
