//! Which model an index belongs to.
//!
//! An index answers with the item vectors it copied at build time and the user vectors of
//! the model it is given, so it must be given the model it was built from. The fingerprint
//! is a CRC-32 per side over the shape, the epochs trained and the parameters of up to
//! [`SAMPLED`] evenly spaced rows (first and last included): training changes every row, so a
//! refit, `fitPartial`, `resize` or a loaded other model changes it, and it costs a few
//! microseconds, so every query checks it.

use crate::error::{Error, Result};
use crate::model::{Model, PARAMS};
use crate::shared::SharedTable;

/// Rows per side whose parameters enter the fingerprint.
const SAMPLED: usize = 256;

/// The fingerprint of a fitted model (`action` names the caller in the not-fitted error).
pub(crate) fn fingerprint(model: &Model, action: &str) -> Result<u64> {
    let p = model.params(action)?;
    let side = |t: &SharedTable| {
        let mut h = crc32fast::Hasher::new();
        for n in [model.d() as u64, t.rows() as u64, p.epochs_done] {
            h.update(&n.to_le_bytes());
        }
        let mut block = vec![0.0f32; t.block_len()];
        let rows = t.rows();
        let samples = rows.min(SAMPLED);
        for s in 0..samples {
            let row = if samples == 1 {
                0
            } else {
                s * (rows - 1) / (samples - 1)
            };
            t.load(row, PARAMS, &mut block);
            block.iter().for_each(|v| h.update(&v.to_le_bytes()));
        }
        u64::from(h.finalize())
    };
    Ok(side(&p.user) << 32 | side(&p.item))
}

/// `ERR_INVALID_ARG` unless `model` is the one whose fingerprint is `expected`.
pub(crate) fn check(model: &Model, expected: u64, action: &str) -> Result<()> {
    let found = fingerprint(model, action)?;
    if found == expected {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{action}: this index was built from another model (fingerprint {expected:016x}, this model's is {found:016x}); the model changed (fit, fitPartial, resize) or is another one: build the index again from this model, or use it with the model it was built from"
    )))
}
