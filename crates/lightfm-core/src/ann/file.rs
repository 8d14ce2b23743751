//! The index file, in the model files' framing ([`crate::io::frame`]) with its own magic:
//!
//! | part | content |
//! | --- | --- |
//! | frame | magic `LFMINDEX`, format version (1), header length |
//! | header | JSON: library, sizes, build settings, the model's fingerprint |
//! | vectors | `items x width` `f32`: the item vectors, zero-padded (see `vectors.rs`) |
//! | levels | `items` bytes: each node's top layer |
//! | layer 0 | `items x 2m` `u32`: neighbour slots, `0xFFFFFFFF` when unused |
//! | upper layers | `upperLists x m` `u32`, each node's lists in node order |
//! | frame | CRC-32 of every byte before it |
//!
//! Everything is little-endian. Reading checks the structure, then the checksum, then every
//! value (finite vectors, ids in range), before the index is used.

use serde::{Deserialize, Serialize};

use super::graph::{Graph, EMPTY, MAX_LEVEL};
use super::vectors::{padded_width, Vectors};
use super::{ItemIndex, MAX_EF, MAX_M};
use crate::alloc;
use crate::embeddings::folded_width;
use crate::error::{Error, Result};
use crate::io::frame::{self, Kind};
use crate::model::Model;
use crate::sparse::MAX_DIM;

const INDEX_FILE: Kind = Kind {
    magic: *b"LFMINDEX",
    version: 1,
    name: "lightfm-ts index file",
};

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    /// Always `"lightfm-ts"`.
    library: String,
    library_version: String,
    /// Always `"hnsw"`.
    method: String,
    no_components: usize,
    items: usize,
    m: usize,
    ef_construction: usize,
    ef: usize,
    /// Lists on the upper layers (the sum of the levels).
    upper_lists: usize,
    /// The model the index was built from (see `fingerprint.rs`), as 16 hex digits.
    model_fingerprint: String,
}

fn corrupt(msg: impl Into<String>) -> Error {
    Error::CorruptFile(msg.into())
}

/// Bytes of the payload a header describes.
fn payload_bytes(h: &Header) -> Option<usize> {
    let width = padded_width(folded_width(h.no_components));
    let vectors = h.items.checked_mul(width)?.checked_mul(4)?;
    let layer0 = h.items.checked_mul(2 * h.m)?.checked_mul(4)?;
    let upper = h.upper_lists.checked_mul(h.m)?.checked_mul(4)?;
    vectors
        .checked_add(h.items)?
        .checked_add(layer0)?
        .checked_add(upper)
}

impl ItemIndex {
    /// The index as a version-1 index file.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let g = &self.graph;
        let header = Header {
            library: "lightfm-ts".into(),
            library_version: env!("CARGO_PKG_VERSION").into(),
            method: "hnsw".into(),
            no_components: self.d,
            items: self.items(),
            m: g.m,
            ef_construction: self.ef_construction,
            ef: self.ef,
            upper_lists: g.upper_lists(),
            model_fingerprint: format!("{:016x}", self.fingerprint),
        };
        let json = serde_json::to_vec(&header)
            .map_err(|e| Error::invalid(format!("could not write the index header: {e}")))?;
        let payload = payload_bytes(&header)
            .ok_or_else(|| Error::invalid("the index is too large to save"))?;
        frame::write(&INDEX_FILE, &json, payload, |out| {
            self.vectors
                .values
                .iter()
                .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
            out.extend_from_slice(&g.levels);
            g.all_slots()
                .for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
        })
    }

    /// Reads an index file written by [`ItemIndex::encode`] for use with `model`. Errors:
    /// `ERR_CORRUPT_FILE` (not an index file, future version, truncated, inconsistent),
    /// `ERR_CHECKSUM` (damaged bytes), `ERR_INVALID_ARG` (built from another model).
    pub fn decode(bytes: &[u8], model: &Model) -> Result<Self> {
        let frame = frame::read(bytes, &INDEX_FILE)?;
        let h: Header = serde_json::from_str(frame.header)
            .map_err(|e| corrupt(format!("the index header is not valid: {e}")))?;
        check_header(&h)?;
        frame.expect_payload(
            payload_bytes(&h).ok_or_else(|| corrupt("the index sizes overflow"))?,
        )?;
        frame.verify()?;
        let fingerprint = u64::from_str_radix(&h.model_fingerprint, 16)
            .map_err(|_| corrupt("the index header's modelFingerprint is not 16 hex digits"))?;
        crate::ann::fingerprint::check(model, fingerprint, "ItemIndex.load()")?;
        let dim = folded_width(h.no_components);
        let (vectors, rest) = frame.payload.split_at(h.items * padded_width(dim) * 4);
        let (levels, slots) = rest.split_at(h.items);
        let values = read_floats(vectors)?;
        let mut owned = alloc::with_capacity("index levels", h.items)?;
        owned.extend_from_slice(levels);
        let levels: Vec<u8> = owned;
        if levels.iter().any(|&l| l > MAX_LEVEL) {
            return Err(corrupt(format!("a node's level is above {MAX_LEVEL}")));
        }
        if levels.iter().map(|&l| usize::from(l)).sum::<usize>() != h.upper_lists {
            return Err(corrupt(
                "the levels do not add up to the header's upperLists",
            ));
        }
        let graph = Graph::with_levels(levels, h.m)?;
        let ids = slots
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
        if let Some(bad) = ids
            .clone()
            .find(|&id| id != EMPTY && id as usize >= h.items)
        {
            return Err(corrupt(format!(
                "a neighbour id {bad} is not below the {} items",
                h.items
            )));
        }
        graph.fill(ids);
        ItemIndex::assemble(
            h.no_components,
            Vectors::stored(values, dim),
            graph,
            (h.ef, h.ef_construction),
            fingerprint,
        )
    }
}

fn check_header(h: &Header) -> Result<()> {
    if h.method != "hnsw" {
        return Err(corrupt(format!(
            "unknown index method {:?} (expected \"hnsw\")",
            h.method
        )));
    }
    let fits = (1..=MAX_DIM).contains(&h.items)
        && (2..=MAX_M).contains(&h.m)
        && (1..=MAX_EF).contains(&h.ef)
        && (1..=MAX_EF).contains(&h.ef_construction)
        && (1..=crate::hyper::MAX_COMPONENTS).contains(&h.no_components)
        && h.upper_lists <= h.items.saturating_mul(usize::from(MAX_LEVEL));
    if fits {
        Ok(())
    } else {
        Err(corrupt("the index header's sizes are out of range"))
    }
}

/// Little-endian floats, every one finite.
fn read_floats(bytes: &[u8]) -> Result<Vec<f32>> {
    let mut out = alloc::with_capacity("index vectors", bytes.len() / 4)?;
    for b in bytes.chunks_exact(4) {
        let v = f32::from_le_bytes(b.try_into().expect("4 bytes"));
        if !v.is_finite() {
            return Err(corrupt("an index vector holds a non-finite value"));
        }
        out.push(v);
    }
    Ok(out)
}
