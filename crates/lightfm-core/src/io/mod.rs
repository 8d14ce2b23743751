//! The model file format, version 1 (documented for users in `docs/model-format.md`).
//!
//! All integers and floats are little-endian:
//!
//! | offset | size | content |
//! | --- | --- | --- |
//! | 0 | 8 | magic `LIGHTFM\0` |
//! | 8 | 4 | format version (`u32`, currently 1) |
//! | 12 | 8 | header length `H` (`u64`) |
//! | 20 | `H` | UTF-8 JSON header (see `header.rs`) |
//! | 20 + `H` | `P` | parameter tables, `f32`: the user table, then the item table |
//! | 20 + `H` + `P` | 4 | CRC-32 (IEEE) of every byte before it (`u32`) |
//!
//! Each table is its rows in order; each row is `blocks` blocks of `blockLen` floats (block 0:
//! embedding and bias, block 1: squared-gradient accumulator, block 2 under adadelta:
//! squared-update accumulator), exactly the in-memory layout of [`crate::model`], so a
//! loaded model predicts and continues training bit-identically.
//!
//! Reading never executes anything and never trusts a length: the header is parsed from at
//! most the file's bytes, and every table size is checked against the header and the file
//! length before anything is allocated. A damaged, truncated, extended or future-version file
//! gives `ERR_CORRUPT_FILE`; a file whose structure is intact but whose bytes do not match the
//! checksum gives `ERR_CHECKSUM`.

pub mod frame;
mod header;
mod read;
mod write;

pub use read::decode;
pub use write::encode;

use crate::model::Model;

/// The first eight bytes of every model file.
pub const MAGIC: [u8; 8] = *b"LIGHTFM\0";
/// The format version this library writes and the newest it reads.
pub const VERSION: u32 = 1;
pub use frame::{CHECKSUM, PREAMBLE};

/// The model file's kind in the shared framing.
pub(crate) const MODEL_FILE: frame::Kind = frame::Kind {
    magic: MAGIC,
    version: VERSION,
    name: "lightfm-ts model file",
};

/// A model read from a file, with the caller's mappings (opaque JSON text) if any.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub model: Model,
    pub mappings: Option<String>,
}
