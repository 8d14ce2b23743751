//! One user against every item, four items at a time, bit-identical to `predict`.
//!
//! `predict` scores a pair as `dot(u, i) + u_bias + i_bias`, where `dot` keeps eight
//! lane accumulators (lane `l` sums the products of components `l, l + 8, ...`). Scoring
//! items one by one that way leaves SIMD lanes idle. Here items are packed in blocks of
//! four, component-major, so each component updates the four items' lane-`l` accumulators
//! with one vector multiply-add; every item still sees exactly `dot`'s sequence of float
//! operations, so scores, ties and ranks equal those computed from `predict`.

use crate::alloc;
use crate::error::Result;
use crate::parallel;
use crate::predict::repr_rows_into;
use crate::shared::SharedTable;
use crate::sparse::CsrMatrix;

/// Items per block: one SSE vector of `f32`.
const LANES: usize = 4;
/// `dot`'s accumulator count.
const ACC: usize = 8;

/// Item representations packed for [`ItemBlocks::score_all`].
pub struct ItemBlocks {
    d: usize,
    items: usize,
    /// Block `b` holds items `4b .. 4b + 4`: component `c` of all four at
    /// `[(b * (d + 1) + c) * 4 ..][..4]`, then the four biases. Missing items are zeros.
    values: Vec<f32>,
}

impl ItemBlocks {
    /// Packs representations computed elsewhere (tests compare against them).
    #[cfg(test)]
    pub fn new(items: &crate::predict::ReprMatrix) -> Self {
        let width = items.width;
        let mut values = vec![0.0; items.rows.div_ceil(LANES) * width * LANES];
        let rows = items.values.chunks(LANES * width);
        for (block, rows) in values.chunks_exact_mut(width * LANES).zip(rows) {
            pack(rows, width, block);
        }
        ItemBlocks {
            d: width - 1,
            items: items.rows,
            values,
        }
    }

    /// The representations of the rows of `features` from `table`, computed a block at a
    /// time straight into the packed layout (in parallel, and with no unpacked copy).
    pub fn represent(
        table: &SharedTable,
        features: &CsrMatrix,
        d: usize,
        threads: usize,
    ) -> Result<Self> {
        let (width, items) = (d + 1, features.rows());
        let len = alloc::product("item representations", items.div_ceil(LANES) * LANES, width)?;
        let mut values = alloc::vec_of("item representations", len, 0.0)?;
        // Blocks are handed to the threads in groups, so the hand-over stays cheap.
        const GROUP: usize = 64;
        parallel::for_each(
            threads,
            values.chunks_mut(width * LANES * GROUP).enumerate(),
            || vec![0.0; LANES * width],
            |rows, (g, group)| {
                for (b, block) in (g * GROUP..).zip(group.chunks_exact_mut(width * LANES)) {
                    let rows = &mut rows[..(items - b * LANES).min(LANES) * width];
                    let copy = |repr: &[f32], dst: &mut [f32]| dst.copy_from_slice(repr);
                    repr_rows_into(table, features, b * LANES, (d, width), copy, rows);
                    pack(rows, width, block);
                }
            },
        )?;
        Ok(ItemBlocks { d, items, values })
    }

    /// Components of each representation (the bias not counted).
    pub fn d(&self) -> usize {
        self.d
    }

    /// Scores of `user` (`d` components then the bias) against every item, into `out`.
    pub fn score_all(&self, user: &[f32], out: &mut Vec<f32>) {
        let d = self.d;
        let full = d - d % ACC;
        // `dot` sums the remainder with `Iterator::sum`; start from the same identity.
        let zero: f32 = std::iter::empty::<f32>().sum();
        out.clear();
        out.resize(self.items.div_ceil(LANES) * LANES, 0.0);
        let blocks = self.values.chunks_exact((d + 1) * LANES);
        // The user's components, each repeated across the lanes once instead of per block.
        let broadcast: Vec<[f32; LANES]> = user[..full].iter().map(|&u| [u; LANES]).collect();
        for (block, scores) in blocks.zip(out.chunks_exact_mut(LANES)) {
            let mut acc = [[0f32; LANES]; ACC];
            let chunks = block[..full * LANES].chunks_exact(ACC * LANES);
            for (chunk, us) in chunks.zip(broadcast.chunks_exact(ACC)) {
                for (l, lane) in acc.iter_mut().enumerate() {
                    let (u, column) = (&us[l], &chunk[l * LANES..(l + 1) * LANES]);
                    for j in 0..LANES {
                        lane[j] += u[j] * column[j];
                    }
                }
            }
            let mut tail = [zero; LANES];
            for c in full..d {
                let column = &block[c * LANES..(c + 1) * LANES];
                for (t, &x) in tail.iter_mut().zip(column) {
                    *t += user[c] * x;
                }
            }
            let bias = &block[d * LANES..(d + 1) * LANES];
            for j in 0..LANES {
                let a = |l: usize| acc[l][j];
                // `dot`'s reduction order, then `score`'s bias additions.
                let dot = (a(0) + a(4)) + (a(1) + a(5)) + (a(2) + a(6)) + (a(3) + a(7)) + tail[j];
                scores[j] = dot + user[d] + bias[j];
            }
        }
        out.truncate(self.items);
    }
}

/// Writes up to four rows of `width` floats into one block, component-major.
fn pack(rows: &[f32], width: usize, block: &mut [f32]) {
    for (j, row) in rows.chunks_exact(width).enumerate() {
        for (c, &v) in row.iter().enumerate() {
            block[c * LANES + j] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict::{score, ReprMatrix};

    #[test]
    fn bit_identical_to_predict_scores() {
        for d in [1, 3, 7, 8, 9, 16, 17, 31, 64, 65] {
            for rows in [0, 1, 3, 4, 5, 9] {
                let width = d + 1;
                let value = |k: usize| ((k * 2654435761) % 1000) as f32 / 317.0 - 1.5;
                let items = ReprMatrix {
                    rows,
                    width,
                    values: (0..rows * width).map(|k| value(k + 7)).collect(),
                };
                let user: Vec<f32> = (0..width).map(|k| value(k * 13 + 1)).collect();
                let mut out = Vec::new();
                ItemBlocks::new(&items).score_all(&user, &mut out);
                assert_eq!(out.len(), rows);
                for (r, &s) in out.iter().enumerate() {
                    let want = score(&user, items.row(r), d);
                    assert_eq!(s.to_bits(), want.to_bits(), "d={d} item {r}");
                }
            }
        }
    }
}
