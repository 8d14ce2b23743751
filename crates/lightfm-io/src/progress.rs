//! How far a read has got, for a display on another thread: the same pattern as
//! `lightfm_core::Progress` (relaxed atomic adds once per piece of the file), counting bytes
//! and rows.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Bytes of the file read and rows kept so far, and a cancellation flag.
#[derive(Debug, Default)]
pub struct ReadProgress {
    total_bytes: AtomicU64,
    bytes_read: AtomicU64,
    rows: AtomicU64,
    cancelled: AtomicBool,
}

/// One reading of a [`ReadProgress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadSnapshot {
    pub total_bytes: u64,
    pub bytes_read: u64,
    pub rows: u64,
}

impl ReadProgress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a read of a file of `total_bytes`.
    pub(crate) fn begin(&self, total_bytes: u64) {
        self.bytes_read.store(0, Ordering::Relaxed);
        self.rows.store(0, Ordering::Relaxed);
        self.total_bytes.store(total_bytes, Ordering::Relaxed);
    }

    pub(crate) fn add(&self, bytes: u64, rows: u64) {
        self.bytes_read.fetch_add(bytes, Ordering::Relaxed);
        self.rows.fetch_add(rows, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ReadSnapshot {
        ReadSnapshot {
            total_bytes: self.total_bytes.load(Ordering::Relaxed),
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            rows: self.rows.load(Ordering::Relaxed),
        }
    }

    /// Asks the read to stop; it fails with `ERR_ABORTED` soon after.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}
