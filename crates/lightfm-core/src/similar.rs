//! Similar items and similar users: cosine similarity of representations.
//!
//! Only the embedding part of a representation is compared; biases are left out, as in the
//! snippet LightFM's maintainers recommend (lightfm#244), because a bias says how popular an
//! item is, not what it is like. A representation with zero norm has similarity 0 with
//! everything. The query itself is never in its own list.

use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::model::{Model, Side};
use crate::predict::{repr_matrix, side_features};
use crate::sparse::CsrMatrix;
use crate::topk::{check_ids, search, Dense, Queries, Search, TopK};

impl Model {
    /// For each id in `ids`, the `k` most similar other rows of `side` (cosine of the
    /// embeddings, best first, ties to the lower id). Rows come from `features` (identity
    /// when `None`), so new users or items with features can be queried and returned.
    pub fn similar(
        &self,
        side: Side,
        ids: &[u32],
        k: usize,
        features: Option<&CsrMatrix>,
        num_threads: usize,
    ) -> Result<TopK> {
        let action = match side {
            Side::User => "similarUsers()",
            Side::Item => "similarItems()",
        };
        let params = self.params(action)?;
        if k == 0 {
            return Err(Error::invalid(format!("{action}: k must be at least 1")));
        }
        let f = side_features(self, side, features)?;
        check_ids(side, ids, f.rows(), features.is_some())?;
        let table = match side {
            Side::User => &params.user,
            Side::Item => &params.item,
        };
        let d = self.d();
        let unit = unit_embeddings(&repr_matrix(table, &f, d, num_threads)?.values, d);
        let row = |i: usize| &unit[i * d..(i + 1) * d];
        let fill = |first: usize, out: &mut [f32]| {
            for (dst, &i) in out.chunks_exact_mut(d).zip(&ids[first..]) {
                dst.copy_from_slice(row(i as usize));
            }
        };
        let exclude = |q: usize| std::slice::from_ref(&ids[q]);
        let exact = |query: &[f32], id: u32| dot(query, row(id as usize));
        search(
            &Search {
                queries: Queries {
                    rows: ids.len(),
                    width: d,
                    fill: &fill,
                },
                candidates: Dense {
                    rows: f.rows(),
                    width: d,
                    values: &unit,
                },
                ids: None,
                exclude: &exclude,
                exact: &exact,
                k: k.min(f.rows().saturating_sub(1)),
            },
            num_threads,
        )
    }
}

/// The embeddings of representations (`d + 1` floats per row, bias last) scaled to unit
/// length; zero rows stay zero.
fn unit_embeddings(repr: &[f32], d: usize) -> Vec<f32> {
    let mut unit = Vec::with_capacity(repr.len() / (d + 1) * d);
    for row in repr.chunks_exact(d + 1) {
        let emb = &row[..d];
        let scale = inverse_norm(emb);
        unit.extend(emb.iter().map(|v| v * scale));
    }
    unit
}

/// What scales an embedding to unit length: `1 / |emb|`, or 0 for a zero embedding.
pub(crate) fn inverse_norm(emb: &[f32]) -> f32 {
    let norm = dot(emb, emb).sqrt();
    if norm > 0.0 {
        1.0 / norm
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_rows_have_norm_one_or_zero() {
        let repr = [3.0, 4.0, 9.0, 0.0, 0.0, 1.0];
        assert_eq!(unit_embeddings(&repr, 2), vec![0.6, 0.8, 0.0, 0.0]);
    }
}
