//! Writing a model file.

use serde_json::value::RawValue;

use super::header::{kind_name, Header, HyperHeader, Tables};
use super::{frame, MODEL_FILE};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::shared::SharedTable;

/// The model as a version-1 model file, with `mappings` (JSON text, stored verbatim) in the
/// header. Fails with `ERR_INVALID_ARG` when `mappings` is not valid JSON.
pub fn encode(model: &Model, mappings: Option<&str>) -> Result<Vec<u8>> {
    let mappings = mappings
        .map(|m| {
            RawValue::from_string(m.to_owned())
                .map_err(|e| Error::invalid(format!("mappings must be valid JSON: {e}")))
        })
        .transpose()?;
    let params = model.params("saving").ok();
    let tables = params.map(|p| Tables {
        dtype: "f32le".into(),
        block_len: p.user.block_len(),
        blocks: p.user.blocks(),
        user_rows: p.user.rows(),
        item_rows: p.item.rows(),
        user_features: kind_name(p.user_kind),
        item_features: kind_name(p.item_kind),
    });
    let header = Header {
        library: "lightfm-ts".into(),
        library_version: env!("CARGO_PKG_VERSION").into(),
        hyperparameters: HyperHeader::new(model.hyper()),
        epochs_done: params.map_or(0, |p| p.epochs_done),
        tables,
        mappings,
    };
    let json = serde_json::to_vec(&header)
        .map_err(|e| Error::invalid(format!("could not write the model header: {e}")))?;
    let payload: usize = params.map_or(0, |p| table_bytes(&p.user) + table_bytes(&p.item));
    frame::write(&MODEL_FILE, &json, payload, |out| {
        if let Some(p) = params {
            write_table(&p.user, out);
            write_table(&p.item, out);
        }
    })
}

fn table_bytes(t: &SharedTable) -> usize {
    t.rows() * t.blocks() * t.block_len() * 4
}

/// Appends every value of `t`, row-major, as little-endian `f32`.
fn write_table(t: &SharedTable, out: &mut Vec<u8>) {
    let mut block = vec![0.0f32; t.block_len()];
    for row in 0..t.rows() {
        for b in 0..t.blocks() {
            t.load(row, b, &mut block);
            for v in &block {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
}
