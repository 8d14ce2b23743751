//! Inference: representations, pair scores and LightFM's `predict_rank`.

use std::borrow::Cow;

use crate::alloc;
use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::loss::representation;
use crate::metrics::ranks::{Ranker, UserRanks};
use crate::metrics::score_items;
use crate::metrics::scoring::ItemBlocks;
use crate::model::{block_len, Model, Side};
use crate::parallel;
use crate::shared::SharedTable;
use crate::sparse::{intersection_count, CsrMatrix, RowIndices};
use crate::topk::check_ids;

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

/// A feature matrix for scoring `side`'s users or items: the given one (borrowed) or the
/// identity, checked to be able to be the features the side was trained on.
pub(crate) fn side_features<'f>(
    model: &Model,
    side: Side,
    given: Option<&'f CsrMatrix>,
) -> Result<Cow<'f, CsrMatrix>> {
    model.check_features(side, given)?;
    feature_rows(model, side, given)
}

/// Rows over `side`'s feature embeddings: the given matrix (borrowed) or the identity, one row
/// per feature embedding; not checked against what the side was trained on.
fn feature_rows<'f>(
    model: &Model,
    side: Side,
    given: Option<&'f CsrMatrix>,
) -> Result<Cow<'f, CsrMatrix>> {
    let n = model.n_features(side);
    match given {
        None => Ok(Cow::Owned(CsrMatrix::identity(n)?)),
        Some(m) if m.cols() > n => Err(Error::shape(
            format!(
                "{}Features columns (at most the model's {} feature embeddings; use resize() to add features)",
                side.name(),
                side.name()
            ),
            format!("<= {n}"),
            m.cols(),
        )),
        Some(m) => Ok(Cow::Borrowed(m)),
    }
}

/// Representations of every row of `features` in scoring layout, on `threads` threads.
pub(crate) fn repr_matrix(
    table: &SharedTable,
    features: &CsrMatrix,
    d: usize,
    threads: usize,
) -> Result<ReprMatrix> {
    let width = d + 1;
    let copy = |repr: &[f32], dst: &mut [f32]| dst.copy_from_slice(repr);
    Ok(ReprMatrix {
        rows: features.rows(),
        width,
        values: repr_rows(table, features, (d, width), copy, threads)?,
    })
}

/// Row `r` of the result (`width` floats) is `lay_out` applied to the representation
/// `[embedding, bias]` of feature row `r`; rows are computed in parallel, straight into
/// their final layout, on `threads` threads.
pub(crate) fn repr_rows(
    table: &SharedTable,
    features: &CsrMatrix,
    dims: (usize, usize),
    lay_out: impl Fn(&[f32], &mut [f32]) + Sync,
    threads: usize,
) -> Result<Vec<f32>> {
    repr_selected_rows(table, features, None, dims, lay_out, threads)
}

/// [`repr_rows`] for the feature rows `ids` only (each `< features.rows()`), in that order;
/// every row when `None`. The rows are read in place: no copy of the feature matrix.
pub(crate) fn repr_selected_rows(
    table: &SharedTable,
    features: &CsrMatrix,
    ids: Option<&[u32]>,
    (d, width): (usize, usize),
    lay_out: impl Fn(&[f32], &mut [f32]) + Sync,
    threads: usize,
) -> Result<Vec<f32>> {
    const ROWS_PER_TASK: usize = 64;
    let rows = ids.map_or(features.rows(), <[u32]>::len);
    let len = alloc::product("representations", rows, width)?;
    let mut values = alloc::vec_of("representations", len, 0.0)?;
    let tasks = values.chunks_mut(ROWS_PER_TASK * width).enumerate();
    parallel::for_each(
        threads,
        tasks,
        || (),
        |(), (c, dst)| {
            let first = c * ROWS_PER_TASK;
            match ids {
                None => repr_each(table, features, first.., (d, width), &lay_out, dst),
                Some(ids) => {
                    let rows = ids[first..].iter().map(|&r| r as usize);
                    repr_each(table, features, rows, (d, width), &lay_out, dst);
                }
            }
        },
    )?;
    Ok(values)
}

/// [`repr_rows`] for the rows `first..first + out.len() / width` only, on the calling thread.
pub(crate) fn repr_rows_into(
    table: &SharedTable,
    features: &CsrMatrix,
    first: usize,
    dims: (usize, usize),
    lay_out: impl Fn(&[f32], &mut [f32]),
    out: &mut [f32],
) {
    repr_each(table, features, first.., dims, lay_out, out);
}

/// The feature rows `rows` laid out one after another in `out` (as many as it holds).
fn repr_each(
    table: &SharedTable,
    features: &CsrMatrix,
    rows: impl Iterator<Item = usize>,
    (d, width): (usize, usize),
    lay_out: impl Fn(&[f32], &mut [f32]),
    out: &mut [f32],
) {
    let bl = block_len(d);
    let (mut repr, mut tmp) = (vec![0.0; bl], vec![0.0; bl]);
    for (r, dst) in rows.zip(out.chunks_exact_mut(width)) {
        representation(table, features.row(r), 1.0, &mut repr, &mut tmp);
        lay_out(&repr[..=d], dst);
    }
}

impl Model {
    /// Representations (biases and embeddings) of the rows of `features`, or of every
    /// feature embedding when `features` is `None` (LightFM's `get_*_representations`; for a
    /// side trained on a feature matrix these are the features' own embeddings).
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
        let features = feature_rows(self, side, features)?;
        let d = self.d();
        let m = repr_matrix(table, &features, d, 1)?;
        let mut out = Representations {
            rows: m.rows,
            d,
            biases: alloc::with_capacity("representations", m.rows)?,
            embeddings: alloc::with_capacity("representations", m.rows * d)?,
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
        check_ids(Side::User, users, uf.rows(), user_features.is_some())?;
        check_ids(Side::Item, items, itf.rows(), item_features.is_some())?;
        let (d, bl) = (self.d(), block_len(self.d()));
        let mut out = alloc::vec_of("predictions", users.len(), 0.0)?;
        parallel::for_each(
            num_threads,
            out.chunks_mut(1024).enumerate(),
            || [vec![0.0; bl], vec![0.0; bl], vec![0.0; bl]],
            |[u, i, tmp], (c, dst)| {
                for (k, slot) in dst.iter_mut().enumerate() {
                    let p = c * 1024 + k;
                    representation(&params.user, uf.row(users[p] as usize), 1.0, u, tmp);
                    representation(&params.item, itf.row(items[p] as usize), 1.0, i, tmp);
                    *slot = score(u, i, d);
                }
            },
        )?;
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
        check_train(test, train.map(|t| t as _), check_intersections)?;
        let (uf, itf) = ranking_features(self, user_features, item_features, n_users, n_items)?;
        let d = self.d();
        let mut ranks = alloc::vec_of("ranks", test.nnz(), 0.0f32)?;
        let items = ItemBlocks::represent(&params.item, &itf, d, num_threads)?;
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
        parallel::for_each(
            num_threads,
            rows,
            || {
                let buf = || vec![0.0; bl];
                (
                    buf(),
                    buf(),
                    Vec::new(),
                    Ranker::default(),
                    UserRanks::default(),
                )
            },
            |(urep, tmp, scores, ranker, user), (u, out)| {
                representation(&params.user, uf.row(u), 1.0, urep, tmp);
                score_items(urep, &items, scores);
                let excluded = train.map_or(&[][..], |t| t.row(u).0);
                ranker.rank(scores, excluded, test.row(u).0, user);
                for (slot, &r) in out.iter_mut().zip(&user.ranks) {
                    *slot = r as f32;
                }
            },
        )?;
        CsrMatrix::new(
            n_users,
            n_items,
            test.indptr().to_vec(),
            test.indices().to_vec(),
            ranks,
        )
    }
}

/// Checks a train matrix given next to `test`: same shape and, when asked, no shared entries
/// (LightFM's `check_intersections`).
pub(crate) fn check_train(
    test: &dyn RowIndices,
    train: Option<&dyn RowIndices>,
    check_intersections: bool,
) -> Result<()> {
    let Some(train) = train else { return Ok(()) };
    if train.shape() != test.shape() {
        return Err(Error::shape(
            "trainInteractions shape (same as the test interactions)",
            format!("{:?}", test.shape()),
            format!("{:?}", train.shape()),
        ));
    }
    if check_intersections {
        let shared = intersection_count(test, train);
        if shared > 0 {
            return Err(Error::invalid(format!(
                "test and train interactions share {shared} entries, which makes the evaluation incorrect; check your data split or pass checkIntersections: false"
            )));
        }
    }
    Ok(())
}

/// The feature matrices for ranking `n_users x n_items` interactions: the given ones or the
/// identity, with a row for every user and item.
pub(crate) fn ranking_features<'u, 'i>(
    model: &Model,
    user_features: Option<&'u CsrMatrix>,
    item_features: Option<&'i CsrMatrix>,
    n_users: usize,
    n_items: usize,
) -> Result<(Cow<'u, CsrMatrix>, Cow<'i, CsrMatrix>)> {
    let uf = side_features(model, Side::User, user_features)?;
    let itf = side_features(model, Side::Item, item_features)?;
    if item_features.is_none() && n_items != model.n_features(Side::Item) {
        return Err(Error::shape(
            "test interactions columns (one per item embedding of the model; pass itemFeatures to rank other items)",
            model.n_features(Side::Item),
            n_items,
        ));
    }
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
    Ok((uf, itf))
}
