//! [`Model::recommend`]: users against items, biases folded into the vectors.

use super::{search, Dense, Queries, RecommendOptions, Search, TopK};
use crate::embeddings::{fold, folded, folded_width};
use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::model::{Model, Side};
use crate::parallel;
use crate::predict::{repr_rows_into, side_features};
use crate::sparse::{CsrMatrix, CsrView};

/// Checks that every id indexes a row of a `bound`-row feature matrix (`given` by the caller,
/// or the identity over the trained embeddings).
pub(crate) fn check_ids(side: Side, ids: &[u32], bound: usize, given: bool) -> Result<()> {
    let name = side.name();
    match ids.iter().find(|&&id| id as usize >= bound) {
        None => Ok(()),
        Some(&id) => Err(Error::IndexRange {
            what: if given {
                format!("{name} id (rows of {name}Features)")
            } else {
                format!("{name} id (the model has no more {name} embeddings; pass {name}Features for new {name}s)")
            },
            index: i64::from(id),
            bound: bound as u64,
        }),
    }
}

/// Rows `ids` of `features`, checked against its row count.
fn gather_rows(side: Side, features: &CsrMatrix, ids: &[u32], given: bool) -> Result<CsrMatrix> {
    check_ids(side, ids, features.rows(), given)?;
    Ok(features.gather(ids))
}

/// The allow-list sorted and deduplicated, every id below `n_items` (`bound` says what
/// bounds it, for the error).
pub(crate) fn allow_list(items: &[u32], n_items: usize, bound: &str) -> Result<Vec<u32>> {
    let mut v = items.to_vec();
    v.sort_unstable();
    v.dedup();
    if let Some(&id) = v.last().filter(|&&id| id as usize >= n_items) {
        return Err(Error::IndexRange {
            what: format!("items (allow-list) id ({bound})"),
            index: i64::from(id),
            bound: n_items as u64,
        });
    }
    Ok(v)
}

pub(crate) fn check_exclude(exclude: CsrView, users: &[u32], n_items: usize) -> Result<()> {
    if exclude.cols() > n_items {
        return Err(Error::shape(
            "exclude columns (one per item, at most the number of items ranked)",
            format!("<= {n_items}"),
            exclude.cols(),
        ));
    }
    match users.iter().find(|&&u| u as usize >= exclude.rows()) {
        Some(&u) => Err(Error::IndexRange {
            what: "user id (rows of exclude; pass a matrix with a row for every requested user)"
                .into(),
            index: i64::from(u),
            bound: exclude.rows() as u64,
        }),
        None => Ok(()),
    }
}

impl Model {
    /// The `k` best-scoring items for each user in `users`: one row per user, best first,
    /// scores bit-identical to [`Model::predict`]. Items in the user's `exclude` row are
    /// skipped, only `items` are ranked when given, and rows with fewer candidates than `k`
    /// are padded with [`NO_ITEM`](super::NO_ITEM) / [`NO_SCORE`](super::NO_SCORE). Users
    /// and items beyond the trained ones are scored from their feature rows (cold start).
    pub fn recommend(&self, users: &[u32], o: &RecommendOptions) -> Result<TopK> {
        let params = self.params("recommend()")?;
        parallel::check_threads(o.num_threads)?;
        if o.k == 0 {
            return Err(Error::invalid("recommend(): k must be at least 1"));
        }
        let uf = side_features(self, Side::User, o.user_features)?;
        let itf = side_features(self, Side::Item, o.item_features)?;
        let user_rows = gather_rows(Side::User, &uf, users, o.user_features.is_some())?;
        let n_items = itf.rows();
        let allow = o
            .items
            .map(|v| {
                let bound = if o.item_features.is_some() {
                    "rows of itemFeatures"
                } else {
                    "the model has no more item embeddings"
                };
                allow_list(v, n_items, bound)
            })
            .transpose()?;
        if let Some(ex) = o.exclude {
            check_exclude(ex, users, n_items)?;
        }
        let d = self.d();
        let width = folded_width(d);
        // Users are folded a block at a time inside the search: recommending to every user of
        // a large model then holds one block of user vectors per worker, not all of them.
        let fill = |first: usize, out: &mut [f32]| {
            let fold_user = |repr: &[f32], dst: &mut [f32]| fold(repr, dst, Side::User);
            repr_rows_into(&params.user, &user_rows, first, (d, width), fold_user, out);
        };
        // With an allow-list, only the allowed items are represented (read in place); row `r`
        // is `allow[r]`.
        let candidates = folded(
            &params.item,
            &itf,
            allow.as_deref(),
            (d, Side::Item),
            o.num_threads,
        )?;
        let row_of = |id: u32| match &allow {
            Some(ids) => ids
                .binary_search(&id)
                .expect("selected ids come from the allow-list"),
            None => id as usize,
        };
        let n_candidates = allow.as_ref().map_or(n_items, Vec::len);
        let exclude = |q: usize| o.exclude.map_or(&[][..], |ex| ex.row(users[q] as usize).0);
        // `predict`'s score, `dot + b_u + b_i` in that order, read from the folded rows.
        let exact = |u: &[f32], id: u32| {
            let i = &candidates[row_of(id) * width..][..width];
            dot(&u[..d], &i[..d]) + u[d] + i[d + 1]
        };
        search(
            &Search {
                queries: Queries {
                    rows: users.len(),
                    width,
                    fill: &fill,
                },
                candidates: Dense {
                    rows: n_candidates,
                    width,
                    values: &candidates,
                },
                ids: allow.as_deref(),
                exclude: &exclude,
                exact: &exact,
                k: o.k.min(n_candidates),
            },
            o.num_threads,
        )
    }
}
