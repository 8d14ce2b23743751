//! Exact batched top-k: [`Model::recommend`](crate::Model::recommend) and the engine behind it and the similarity
//! searches.
//!
//! Queries are processed in blocks; each block is scored against tiles of candidates with one
//! matrix product (`ndarray` -> `matrixmultiply`, which picks AVX2/FMA kernels at run time),
//! and every query keeps its `k` best candidates in a bounded heap. A candidate below the
//! current k-th best costs one comparison, so selection is `O(n + k log k log n)` per query
//! and the catalogue is never sorted. Memory per worker is bounded by the block and tile
//! sizes whatever the catalogue size.
//!
//! The matrix product rounds differently from [`Model::predict`](crate::Model::predict)'s dot product, so the `k`
//! selected candidates are re-scored with the caller's exact scoring function: reported
//! scores are bit-identical to `predict`, and the selection differs from a sort of `predict`
//! scores only between candidates whose scores differ by float rounding (~1e-7 relative).
//!
//! Order within a row: score descending, then id ascending (ties go to the lower id).

mod recommend;
mod search;

pub(crate) use recommend::{allow_list, check_exclude, check_ids};
pub(crate) use search::{padded_rows, search, Dense, Queries, Search};

use crate::sparse::{CsrMatrix, CsrView};

/// Id that marks a padding slot (fewer than `k` candidates).
pub const NO_ITEM: i32 = -1;
/// Score of a padding slot; real scores are finite, so rows stay non-increasing.
pub const NO_SCORE: f32 = f32::NEG_INFINITY;
/// The cut-off when none is asked for: items per `recommend` list, similar items and users,
/// the ranking metrics and early stopping (LightFM's evaluation default).
pub const DEFAULT_K: usize = 10;

/// Top-k lists, one row of `k` per query, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct TopK {
    /// Width of every row: the requested `k`, capped at the number of candidates.
    pub k: usize,
    /// Candidate ids, best first; [`NO_ITEM`] pads rows with fewer than `k` candidates.
    pub ids: Vec<i32>,
    /// Scores matching `ids`; [`NO_SCORE`] in padding slots.
    pub scores: Vec<f32>,
}

/// What [`Model::recommend`](crate::Model::recommend) ranks and how.
#[derive(Debug, Clone, Copy)]
pub struct RecommendOptions<'a> {
    /// Items per user (capped at the number of rankable items).
    pub k: usize,
    /// Items stored in row `u` are never recommended to user `u` (e.g. the training data).
    pub exclude: Option<CsrView<'a>>,
    /// Only these item ids are ranked (duplicates are ignored).
    pub items: Option<&'a [u32]>,
    /// `users x user features`; identity when `None`.
    pub user_features: Option<&'a CsrMatrix>,
    /// `items x item features`; identity when `None`.
    pub item_features: Option<&'a CsrMatrix>,
    pub num_threads: usize,
}
