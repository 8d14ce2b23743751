//! Queries: [`ItemIndex::recommend`] and [`ItemIndex::similar_items`], answered in the exact
//! calls' shapes. The search finds candidates on the graph; the `k` kept are re-scored as the
//! exact call scores them, so a score is bit-identical to `predict` (or to the exact cosine)
//! and rows are ordered the same way (score descending, ties to the lower id).

use std::collections::BinaryHeap;
use std::sync::{Mutex, PoisonError};

use super::search::{descend, search_layer, Scored};
use super::{ItemIndex, MAX_EF};
use crate::embeddings::folded;
use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::model::{Model, Side};
use crate::parallel;
use crate::predict::side_features;
use crate::sparse::{CsrMatrix, CsrView};
use crate::topk::{allow_list, check_exclude, check_ids, padded_rows, TopK};

/// Queries answered per task.
const BLOCK: usize = 16;
/// An allow-list of at most this share of the items (1/16) is scanned rather than searched:
/// the graph search would walk through the other items to find it.
const SCAN_SHARE: usize = 16;

/// What [`ItemIndex::recommend`] ranks, as [`RecommendOptions`](crate::RecommendOptions).
#[derive(Debug, Clone, Copy, Default)]
pub struct IndexQuery<'a> {
    /// Items per user (capped at the number of rankable items).
    pub k: usize,
    /// Search breadth: more costs time, gives recall; the index's default when `None`,
    /// raised to `k` when smaller.
    pub ef: Option<usize>,
    /// Items stored in row `u` are never recommended to user `u`.
    pub exclude: Option<CsrView<'a>>,
    /// Only these item ids are ranked.
    pub items: Option<&'a [u32]>,
    /// `users x user features`; identity when `None`.
    pub user_features: Option<&'a CsrMatrix>,
    pub num_threads: usize,
}

fn check_query(action: &str, k: usize, ef: Option<usize>, threads: usize) -> Result<()> {
    parallel::check_threads(threads)?;
    if k == 0 {
        return Err(Error::invalid(format!("{action}: k must be at least 1")));
    }
    match ef {
        Some(ef) if ef == 0 || ef > MAX_EF => Err(Error::invalid(format!(
            "{action}: ef must be an integer in 1..={MAX_EF}, got {ef}"
        ))),
        _ => Ok(()),
    }
}

impl ItemIndex {
    /// The `k` best items for each user in `users`, as [`Model::recommend`] ranks them but
    /// found on the graph; `model` must be the model the index was built from.
    pub fn recommend(&self, model: &Model, users: &[u32], o: &IndexQuery) -> Result<TopK> {
        const ACTION: &str = "recommend()";
        let params = model.params(ACTION)?;
        check_query(ACTION, o.k, o.ef, o.num_threads)?;
        self.check_model(model, ACTION)?;
        let uf = side_features(model, Side::User, o.user_features)?;
        check_ids(Side::User, users, uf.rows(), o.user_features.is_some())?;
        let n = self.items();
        let allow = o
            .items
            .map(|v| allow_list(v, n, "the index has no more items"))
            .transpose()?;
        if let Some(ex) = o.exclude {
            check_exclude(ex, users, n)?;
        }
        let (d, w) = (self.d, self.vectors.dim);
        let user_vectors = folded(
            &params.user,
            &uf,
            Some(users),
            (d, Side::User),
            o.num_threads,
        )?;
        let k = o.k.min(allow.as_ref().map_or(n, Vec::len));
        let ef = o.ef.unwrap_or(self.ef).max(k);
        run(users.len(), k, o.num_threads, |q, out| {
            let u = &user_vectors[q * w..(q + 1) * w];
            let excluded = o.exclude.map_or(&[][..], |ex| ex.row(users[q] as usize).0);
            let allowed = |id: u32| allow.as_ref().is_none_or(|a| a.binary_search(&id).is_ok());
            let accept = |id: u32| allowed(id) && excluded.binary_search(&id).is_err();
            let query = self.vectors.query(u);
            let score = |id: u32| dot(&query, self.vectors.row(id));
            let found = match &allow {
                Some(a) if a.len() * SCAN_SHARE <= n => scan(a.iter().copied(), k, &score, &accept),
                _ => self.find(k, ef, &score, &accept)?,
            };
            // `predict`'s score, `dot + b_u + b_i` in that order, from the folded rows.
            let exact = |id: u32| {
                let x = self.vectors.row(id);
                dot(&u[..d], &x[..d]) + u[d] + x[d + 1]
            };
            write_ranked(&found, exact, out);
            Ok(())
        })
    }

    /// The `k` items most similar to each of `ids` (cosine of the embeddings, biases left
    /// out), as [`Model::similar`] ranks them but found on the graph.
    pub fn similar_items(
        &self,
        model: &Model,
        ids: &[u32],
        (k, ef): (usize, Option<usize>),
        num_threads: usize,
    ) -> Result<TopK> {
        const ACTION: &str = "similarItems()";
        check_query(ACTION, k, ef, num_threads)?;
        self.check_model(model, ACTION)?;
        let n = self.items();
        if let Some(&id) = ids.iter().find(|&&id| id as usize >= n) {
            return Err(Error::IndexRange {
                what: "item id (rows of the index)".into(),
                index: i64::from(id),
                bound: n as u64,
            });
        }
        let d = self.d;
        let k = k.min(n - 1);
        let ef = ef.unwrap_or(self.ef).max(k);
        let unit = |id: u32| {
            let s = self.inv_norms[id as usize];
            self.vectors.row(id)[..d].iter().map(move |v| v * s)
        };
        run(ids.len(), k, num_threads, |q, out| {
            let me = ids[q];
            let query: Vec<f32> = unit(me).collect();
            let padded = self.vectors.query(&query);
            let score = |id: u32| dot(&padded, self.vectors.row(id)) * self.inv_norms[id as usize];
            let found = self.find(k, ef, &score, &|id| id != me)?;
            // The exact call's score: the dot product of the two unit embeddings.
            let mut other = vec![0.0; d];
            let exact = |id: u32| {
                other.iter_mut().zip(unit(id)).for_each(|(o, v)| *o = v);
                dot(&query, &other)
            };
            write_ranked(&found, exact, out);
            Ok(())
        })
    }

    /// The `k` best accepted items by `score`: a graph search of breadth `ef`, or a scan of
    /// every item when the search ends with fewer than `k` (most items rejected, or a part of
    /// the graph it could not reach), so a row is short only when fewer than `k` items are
    /// accepted.
    fn find(
        &self,
        k: usize,
        ef: usize,
        score: &(impl Fn(u32) -> f32 + Sync),
        accept: &(impl Fn(u32) -> bool + Sync),
    ) -> Result<Vec<Scored>> {
        let g = &self.graph;
        let entry = descend(g, 0, score);
        let found = search_layer(g, 0, &[entry], ef, score, accept)?;
        if found.len() >= k {
            return Ok(found);
        }
        Ok(scan(0..self.items() as u32, k, score, accept))
    }
}

/// The `k` best accepted of `ids` by `score`, best first.
fn scan(
    ids: impl Iterator<Item = u32>,
    k: usize,
    score: &impl Fn(u32) -> f32,
    accept: &impl Fn(u32) -> bool,
) -> Vec<Scored> {
    let mut best: BinaryHeap<std::cmp::Reverse<Scored>> = BinaryHeap::with_capacity(k + 1);
    for id in ids.filter(|&id| accept(id)) {
        best.push(std::cmp::Reverse(Scored {
            score: score(id),
            id,
        }));
        if best.len() > k {
            best.pop();
        }
    }
    let mut out: Vec<Scored> = best.into_iter().map(|r| r.0).collect();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out
}

/// The first `out.len()` of `found`, re-scored by `exact` and ordered as the exact calls
/// order (score descending, ties to the lower id), into one result row.
fn write_ranked(
    found: &[Scored],
    mut exact: impl FnMut(u32) -> f32,
    (ids, scores): (&mut [i32], &mut [f32]),
) {
    let mut row: Vec<Scored> = found
        .iter()
        .take(ids.len())
        .map(|s| Scored {
            score: exact(s.id) + 0.0,
            id: s.id,
        })
        .collect();
    row.sort_unstable_by(|a, b| b.cmp(a));
    for (i, s) in row.iter().enumerate() {
        ids[i] = s.id as i32;
        scores[i] = s.score;
    }
}

/// One row of `k` per query, filled by `answer(query, row)` on `threads` threads; rows it
/// leaves short keep their padding (see [`padded_rows`]).
fn run(
    queries: usize,
    k: usize,
    threads: usize,
    answer: impl Fn(usize, (&mut [i32], &mut [f32])) -> Result<()> + Sync,
) -> Result<TopK> {
    let (mut ids, mut scores) = padded_rows(queries, k)?;
    if !ids.is_empty() {
        let failed = Mutex::new(None);
        let step = BLOCK * k;
        let blocks = ids
            .chunks_mut(step)
            .zip(scores.chunks_mut(step))
            .enumerate();
        parallel::for_each(
            threads,
            blocks,
            || (),
            |(), (b, (ids, scores))| {
                let rows = ids.chunks_mut(k).zip(scores.chunks_mut(k));
                for (r, row) in rows.enumerate() {
                    if let Err(e) = answer(b * BLOCK + r, row) {
                        *failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                        return;
                    }
                }
            },
        )?;
        if let Some(e) = failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
            return Err(e);
        }
    }
    Ok(TopK { k, ids, scores })
}
