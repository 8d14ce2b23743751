//! Reading a model file: every check happens before the allocation it guards.

use super::header::{parse_kind, Header, Tables};
use super::{frame, Decoded, MODEL_FILE};
use crate::error::{Error, Result};
use crate::model::{block_len, Model, PARAMS};
use crate::schedule::Optimizer;
use crate::shared::SharedTable;
use crate::sparse::MAX_DIM;

fn corrupt(msg: impl Into<String>) -> Error {
    Error::CorruptFile(msg.into())
}

/// Reads a model file. Errors: `ERR_CORRUPT_FILE` for anything structurally wrong
/// (not a model file, future version, truncated, extended, inconsistent header, non-finite
/// parameters), `ERR_CHECKSUM` when the structure is intact but the bytes are not.
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    let frame = frame::read(bytes, &MODEL_FILE)?;
    let header: Header = serde_json::from_str(frame.header)
        .map_err(|e| corrupt(format!("the header is not valid: {e}")))?;
    if header.epochs_done > MAX_EPOCHS {
        return Err(corrupt(format!(
            "the header says {} epochs were trained; no model has more than {MAX_EPOCHS}",
            header.epochs_done
        )));
    }
    let hyper = header.hyperparameters.to_hyper()?;
    let shape = header
        .tables
        .as_ref()
        .map(|t| check_tables(t, hyper.no_components, hyper.learning_schedule))
        .transpose()?;
    frame.expect_payload(shape.map_or(0, |s| s.bytes))?;
    frame.verify()?;
    let mut model = Model::new(hyper).map_err(|e| corrupt(e.to_string()))?;
    if let (Some(t), Some(s)) = (&header.tables, shape) {
        let limits = Limits::new(model.hyper());
        let user = read_table(frame.payload, t.user_rows, s, &limits)?;
        let item = read_table(
            &frame.payload[t.user_rows * s.row_bytes..],
            t.item_rows,
            s,
            &limits,
        )?;
        let (user_kind, item_kind) = (
            parse_kind(t.user_features.as_deref())?,
            parse_kind(t.item_features.as_deref())?,
        );
        model.initialize(0, 0)?;
        let params = model.params_mut().expect("initialised above");
        params.user = user;
        params.item = item;
        params.epochs_done = header.epochs_done;
        params.user_kind = user_kind;
        params.item_kind = item_kind;
    }
    Ok(Decoded {
        model,
        mappings: header.mappings.map(|m| m.get().to_owned()),
    })
}

/// Sizes of the tables, all checked.
#[derive(Debug, Clone, Copy)]
struct Shape {
    blocks: usize,
    block_len: usize,
    row_bytes: usize,
    bytes: usize,
}

fn check_tables(t: &Tables, d: usize, schedule: crate::hyper::LearningSchedule) -> Result<Shape> {
    if t.dtype != "f32le" {
        return Err(corrupt(format!(
            "unsupported table dtype {:?} (expected \"f32le\")",
            t.dtype
        )));
    }
    let (blocks, bl) = (Optimizer::blocks(schedule), block_len(d));
    if t.blocks != blocks || t.block_len != bl {
        return Err(corrupt(format!(
            "table layout {} blocks of {} floats does not match the hyperparameters ({blocks} of {bl})",
            t.blocks, t.block_len
        )));
    }
    if t.user_rows > MAX_DIM || t.item_rows > MAX_DIM {
        return Err(corrupt("table row counts are out of range"));
    }
    let row_bytes = blocks * bl * 4;
    let bytes = (t.user_rows + t.item_rows)
        .checked_mul(row_bytes)
        .ok_or_else(|| corrupt("table sizes overflow"))?;
    Ok(Shape {
        blocks,
        block_len: bl,
        row_bytes,
        bytes,
    })
}

/// Epochs a model file may claim: JavaScript's safe integers, so the count survives the trip
/// to `epochsDone` and the next fit's epoch numbers cannot overflow.
const MAX_EPOCHS: u64 = (1 << 53) - 1;

/// What a stored value may be, block by block: only what training can produce, so a file that
/// passes its checksum but not these limits cannot load and fail (or mislead) later.
struct Limits {
    d: usize,
    /// Largest parameter magnitude: beyond it, the score of two rows
    /// (`d` products plus two biases) could overflow `f32`.
    param: f32,
    /// Smallest accumulator value: adagrad's start at 1 and only grow; adadelta's at 0.
    accumulator: f32,
}

impl Limits {
    fn new(h: &crate::hyper::Hyperparameters) -> Self {
        let d = h.no_components;
        Limits {
            d,
            param: (f32::MAX / (2.0 * (d as f32 + 1.0))).sqrt(),
            accumulator: Optimizer::accumulator_init(h.learning_schedule),
        }
    }

    /// Why `block` (block number `b` of a row) cannot come from training, if it cannot.
    fn check(&self, b: usize, block: &[f32]) -> Option<String> {
        let (used, padding) = block.split_at(self.d + 1);
        if padding.iter().any(|&v| v != 0.0) {
            return Some("a padding value is not 0".into());
        }
        if b == PARAMS {
            let bad = used.iter().find(|v| v.is_nan() || v.abs() > self.param)?;
            return Some(format!(
                "a parameter is {bad}, outside the +-{:e} that keeps scores finite",
                self.param
            ));
        }
        // An overflowed accumulator (+inf) is a state training leaves; NaN or a value below
        // the start is not.
        let bad = used.iter().find(|v| v.is_nan() || **v < self.accumulator)?;
        Some(format!(
            "an optimiser accumulator is {bad}, not a number at or above its initial value {}",
            self.accumulator
        ))
    }
}

/// A table of `rows` rows from the start of `bytes` (which holds at least that many).
fn read_table(bytes: &[u8], rows: usize, s: Shape, limits: &Limits) -> Result<SharedTable> {
    let table = SharedTable::zeros(rows, s.blocks, s.block_len)?;
    let mut block = vec![0.0f32; s.block_len];
    let row_chunks = bytes[..rows * s.row_bytes].chunks_exact(s.row_bytes);
    for (row, raw) in row_chunks.enumerate() {
        for (b, raw) in raw.chunks_exact(s.block_len * 4).enumerate() {
            for (v, le) in block.iter_mut().zip(raw.chunks_exact(4)) {
                *v = f32::from_le_bytes(le.try_into().expect("4 bytes"));
            }
            if let Some(why) = limits.check(b, &block) {
                return Err(corrupt(format!("row {row} of a parameter table: {why}")));
            }
            table.store(row, b, &block);
        }
    }
    Ok(table)
}
