//! Inference: representations, pair scores and LightFM's `predict_rank`.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::loss::representation;
use crate::model::{block_len, Model, Side};
use crate::parallel;
use crate::shared::SharedTable;
use crate::sparse::CsrMatrix;

/// Dense representations of a set of users or items: `rows x d` embeddings (row-major)
/// and one bias per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Representations {
    pub rows: usize,
    pub d: usize,
    pub biases: Vec<f32>,
    pub embeddings: Vec<f32>,
}

/// Rows of `d + 1` floats (embedding, then bias): the layout the scoring loops want.
pub(crate) struct ReprMatrix {
    pub rows: usize,
    pub width: usize,
    pub values: Vec<f32>,
}

impl ReprMatrix {
    #[inline]
    pub fn row(&self, r: usize) -> &[f32] {
        &self.values[r * self.width..(r + 1) * self.width]
    }
}

/// Score of a user and an item representation (`d + 1` floats each).
#[inline]
pub(crate) fn score(u: &[f32], i: &[f32], d: usize) -> f32 {
    dot(&u[..d], &i[..d]) + u[d] + i[d]
}

/// A feature matrix for `side`: the given one, checked against the model, or the identity.
pub(crate) fn side_features(
    model: &Model,
    side: Side,
    given: Option<&CsrMatrix>,
) -> Result<CsrMatrix> {
    let n = model.n_features(side);
    match given {
        None => Ok(CsrMatrix::identity(n)),
        Some(m) if m.cols() > n => Err(Error::shape(
            format!(
                "{}Features columns (at most the model's {} feature embeddings; use resize() to add features)",
                side.name(),
                side.name()
            ),
            format!("<= {n}"),
            m.cols(),
        )),
        Some(m) => Ok(m.clone()),
    }
}

fn check_ids(side: Side, ids: &[u32], features: &CsrMatrix, given: bool) -> Result<()> {
    match ids.iter().find(|&&i| i as usize >= features.rows()) {
        None => Ok(()),
        Some(&i) => Err(Error::IndexRange {
            what: if given {
                format!("{} id (rows of {}Features)", side.name(), side.name())
            } else {
                format!(
                    "{} id (the model has no more {} embeddings; pass {}Features for new {}s)",
                    side.name(),
                    side.name(),
                    side.name(),
                    side.name()
                )
            },
            index: i64::from(i),
            bound: features.rows() as u64,
        }),
    }
}

/// Representations of every row of `features` in scoring layout.
pub(crate) fn repr_matrix(table: &SharedTable, features: &CsrMatrix, d: usize) -> ReprMatrix {
    let bl = block_len(d);
    let width = d + 1;
    let mut values = vec![0.0; features.rows() * width];
    values.par_chunks_mut(width).enumerate().for_each_init(
        || (vec![0.0; bl], vec![0.0; bl]),
        |(out, tmp), (r, dst)| {
            representation(table, features.row(r), 1.0, out, tmp);
            dst.copy_from_slice(&out[..width]);
        },
    );
    ReprMatrix {
        rows: features.rows(),
        width,
        values,
    }
}

impl Model {
    /// Representations (biases and embeddings) of the rows of `features`, or of every
    /// feature embedding when `features` is `None` (LightFM's `get_*_representations`).
    pub fn representations(
        &self,
        side: Side,
        features: Option<&CsrMatrix>,
    ) -> Result<Representations> {
        let params = self.params("getting representations")?;
        let table = match side {
            Side::User => &params.user,
            Side::Item => &params.item,
        };
        let features = side_features(self, side, features)?;
        let d = self.d();
        let m = repr_matrix(table, &features, d);
        let mut out = Representations {
            rows: m.rows,
            d,
            biases: Vec::with_capacity(m.rows),
            embeddings: Vec::with_capacity(m.rows * d),
        };
        for r in 0..m.rows {
            out.embeddings.extend_from_slice(&m.row(r)[..d]);
            out.biases.push(m.row(r)[d]);
        }
        Ok(out)
    }

    /// Scores of the pairs `(users[k], items[k])`: `dot(p_u, q_i) + b_u + b_i`, no sigmoid.
    pub fn predict(
        &self,
        users: &[u32],
        items: &[u32],
        user_features: Option<&CsrMatrix>,
        item_features: Option<&CsrMatrix>,
        num_threads: usize,
    ) -> Result<Vec<f32>> {
        let params = self.params("predict()")?;
        if users.len() != items.len() {
            return Err(Error::shape(
                "number of item ids (one per user id)",
                users.len(),
                items.len(),
            ));
        }
        parallel::check_threads(num_threads)?;
        let uf = side_features(self, Side::User, user_features)?;
        let itf = side_features(self, Side::Item, item_features)?;
        check_ids(Side::User, users, &uf, user_features.is_some())?;
        check_ids(Side::Item, items, &itf, item_features.is_some())?;
        let (d, bl) = (self.d(), block_len(self.d()));
        let mut out = vec![0.0; users.len()];
        parallel::run(num_threads, || {
            out.par_chunks_mut(1024).enumerate().for_each_init(
                || [vec![0.0; bl], vec![0.0; bl], vec![0.0; bl]],
                |[u, i, tmp], (c, dst)| {
                    for (k, slot) in dst.iter_mut().enumerate() {
                        let p = c * 1024 + k;
                        representation(&params.user, uf.row(users[p] as usize), 1.0, u, tmp);
                        representation(&params.item, itf.row(items[p] as usize), 1.0, i, tmp);
                        *slot = score(u, i, d);
                    }
                },
            );
        })?;
        Ok(out)
    }

    /// LightFM's `predict_rank`: for every stored test entry `(u, i)`, the number of other
    /// items not stored in `train` for `u` whose score is `>=` the score of `i` (0-based,
    /// ties pessimistic). Returns a matrix with the pattern of `test`.
    pub fn predict_rank(
        &self,
        test: &CsrMatrix,
        train: Option<&CsrMatrix>,
        user_features: Option<&CsrMatrix>,
        item_features: Option<&CsrMatrix>,
        num_threads: usize,
        check_intersections: bool,
    ) -> Result<CsrMatrix> {
        let params = self.params("predictRank()")?;
        parallel::check_threads(num_threads)?;
        let (n_users, n_items) = test.shape();
        if let Some(train) = train {
            if train.shape() != test.shape() {
                return Err(Error::shape(
                    "trainInteractions shape (same as the test interactions)",
                    format!("{:?}", test.shape()),
                    format!("{:?}", train.shape()),
                ));
            }
            if check_intersections {
                let shared = test.intersection_count(train);
                if shared > 0 {
                    return Err(Error::invalid(format!(
                        "test and train interactions share {shared} entries, which makes the evaluation incorrect; check your data split or pass checkIntersections: false"
                    )));
                }
            }
        }
        if item_features.is_none() && n_items != self.n_features(Side::Item) {
            return Err(Error::shape(
                "test interactions columns (one per item embedding of the model; pass itemFeatures to rank other items)",
                self.n_features(Side::Item),
                n_items,
            ));
        }
        let uf = side_features(self, Side::User, user_features)?;
        let itf = side_features(self, Side::Item, item_features)?;
        for (side, f, n) in [(Side::User, &uf, n_users), (Side::Item, &itf, n_items)] {
            if f.rows() < n {
                return Err(Error::shape(
                    format!(
                        "{} feature rows (one per {} of the test interactions)",
                        side.name(),
                        side.name()
                    ),
                    format!("at least {n}"),
                    f.rows(),
                ));
            }
        }
        let d = self.d();
        let mut ranks = vec![0.0f32; test.nnz()];
        parallel::run(num_threads, || {
            let items = repr_matrix(&params.item, &itf, d);
            let bounds = test.indptr();
            // Split the rank buffer into per-user rows.
            let mut rows: Vec<(usize, &mut [f32])> = Vec::with_capacity(n_users);
            let mut rest = ranks.as_mut_slice();
            for u in 0..n_users {
                let (head, tail) = rest.split_at_mut((bounds[u + 1] - bounds[u]) as usize);
                if !head.is_empty() {
                    rows.push((u, head));
                }
                rest = tail;
            }
            let bl = block_len(d);
            rows.into_par_iter().for_each_init(
                || (vec![0.0; bl], vec![0.0; bl], Vec::new(), Vec::new()),
                |(urep, tmp, scores, cand), (u, out)| {
                    representation(&params.user, uf.row(u), 1.0, urep, tmp);
                    scores.clear();
                    scores.extend((0..n_items).map(|i| score(urep, items.row(i), d)));
                    let excluded = train.map_or(&[][..], |t| t.row(u).0);
                    rank_row(scores, excluded, test.row(u).0, out, cand);
                },
            );
        })?;
        CsrMatrix::new(
            n_users,
            n_items,
            test.indptr().to_vec(),
            test.indices().to_vec(),
            ranks,
        )
    }
}

/// Ranks of the `targets` among the items not in `excluded` (both sorted).
fn rank_row(
    scores: &[f32],
    excluded: &[u32],
    targets: &[u32],
    out: &mut [f32],
    cand: &mut Vec<f32>,
) {
    let is_excluded = |i: u32| excluded.binary_search(&i).is_ok();
    if targets.len() <= 16 {
        for (slot, &t) in out.iter_mut().zip(targets) {
            let st = scores[t as usize];
            let mut ex = excluded.iter().peekable();
            let mut n = 0u32;
            for (i, &s) in scores.iter().enumerate() {
                if ex.peek().is_some_and(|&&e| e as usize == i) {
                    ex.next();
                    continue;
                }
                n += u32::from(i != t as usize && s >= st);
            }
            *slot = n as f32;
        }
        return;
    }
    cand.clear();
    let mut ex = excluded.iter().peekable();
    for (i, &s) in scores.iter().enumerate() {
        if ex.peek().is_some_and(|&&e| e as usize == i) {
            ex.next();
            continue;
        }
        cand.push(s);
    }
    cand.sort_unstable_by(|a, b| b.total_cmp(a));
    for (slot, &t) in out.iter_mut().zip(targets) {
        let st = scores[t as usize];
        let at_least = cand.partition_point(|&s| s >= st);
        *slot = (at_least - usize::from(!is_excluded(t))) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(scores: &[f32], excluded: &[u32], t: u32) -> f32 {
        (0..scores.len() as u32)
            .filter(|&i| {
                i != t && !excluded.contains(&i) && scores[i as usize] >= scores[t as usize]
            })
            .count() as f32
    }

    #[test]
    fn rank_row_matches_brute_force_both_paths() {
        let scores: Vec<f32> = (0..60).map(|i| ((i * 7919) % 13) as f32).collect(); // many ties
        let excluded = [3u32, 10, 11, 40];
        for n_targets in [3usize, 20] {
            let targets: Vec<u32> = (0..n_targets as u32).map(|k| k * 2 + 1).collect();
            let mut out = vec![0.0; targets.len()];
            rank_row(&scores, &excluded, &targets, &mut out, &mut Vec::new());
            for (k, &t) in targets.iter().enumerate() {
                assert_eq!(out[k], brute(&scores, &excluded, t), "t={t}");
            }
        }
    }
}
