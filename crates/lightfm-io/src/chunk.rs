//! A piece of a file parsed on its own thread: ids interned locally (in first-seen order
//! within the piece), one entry per valid row. [`crate::table::Table`] merges pieces in file
//! order, so the global order is the file's whatever the threads did.

use crate::error::Error;
use crate::interner::{Interner, KeyKind};

/// The two id columns of a table (user and item, or id and feature).
pub const KEYS: usize = 2;

/// Rows of one piece of a file.
#[derive(Debug, Default)]
pub struct Chunk {
    pub keys: [Interner; KEYS],
    /// Per key column, each row's index into `keys`.
    pub idx: [Vec<u32>; KEYS],
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
    scratch: Vec<u8>,
}

impl Chunk {
    pub fn new(bytes: u64) -> Self {
        Chunk {
            bytes,
            ..Self::default()
        }
    }

    /// Adds one valid row.
    pub fn push(
        &mut self,
        ids: [(KeyKind, &[u8]); KEYS],
        weight: Option<f32>,
        timestamp: Option<i64>,
    ) {
        for (k, (kind, id)) in ids.into_iter().enumerate() {
            let i = self.keys[k].intern(kind, id, &mut self.scratch);
            self.idx[k].push(i);
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
        let row = self.keys[0].intern(id.0, id.1, &mut self.scratch);
        for (name, weight) in features {
            let i = self.keys[1].intern(KeyKind::Text, name, &mut self.scratch);
            self.idx[0].push(row);
            self.idx[1].push(i);
            self.weight.push(weight);
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
        self.idx[0].len()
    }
}
