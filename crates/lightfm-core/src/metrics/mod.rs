//! Ranking and rating metrics from one scoring pass per user.
//!
//! For every user with stored test entries the pass scores every item once, ranks the test
//! items by LightFM's rule (see [`ranks`]) and derives every requested metric from those
//! ranks (see [`user`] for the formulas). Users run in parallel; sums are `f64`.
//!
//! Semantics, kept from LightFM's `lightfm.evaluation` (lightfm-behaviour.md §8):
//! - every stored test entry is a positive, whatever its value (strip negatives first);
//! - items stored in the train matrix for a user are excluded from that user's ranking;
//! - ties are pessimistic: an item whose score equals a test item's ranks above it.
//!
//! Corners LightFM leaves undefined, and what we return:
//! - users without test entries are left out of the output, or with `preserve_rows` get 0
//!   for every metric except AUC, which gets 0.5; they never count towards the means;
//! - a user with no negatives (every non-train item is a test item) gets AUC 0.5;
//! - `k` larger than the catalogue is allowed; precision still divides by `k`;
//! - means over zero users, and pooled RMSE/MAE over zero entries, are NaN.

mod early_stopping;
mod evaluator;
pub(crate) mod ranks;
pub(crate) mod scoring;
mod topk;
mod user;

pub use early_stopping::{EarlyStopping, EarlyStoppingOptions};
pub(crate) use evaluator::score_items;
pub use evaluator::{train_rows_for, Evaluator};

use crate::error::{Error, Result};
use crate::model::Model;
use crate::sparse::CsrMatrix;

/// A metric `evaluate` can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Precision,
    Recall,
    Auc,
    ReciprocalRank,
    Ndcg,
    Map,
    HitRate,
    /// Fraction of items in at least one evaluated user's top `k` (one number, not per user).
    CatalogCoverage,
    Rmse,
    Mae,
}

impl Metric {
    /// Every metric, in a stable order.
    pub const ALL: [Metric; 10] = [
        Metric::Precision,
        Metric::Recall,
        Metric::Auc,
        Metric::ReciprocalRank,
        Metric::Ndcg,
        Metric::Map,
        Metric::HitRate,
        Metric::CatalogCoverage,
        Metric::Rmse,
        Metric::Mae,
    ];

    /// The name used in options and results (camelCase, as in TypeScript).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Precision => "precision",
            Metric::Recall => "recall",
            Metric::Auc => "auc",
            Metric::ReciprocalRank => "reciprocalRank",
            Metric::Ndcg => "ndcg",
            Metric::Map => "map",
            Metric::HitRate => "hitRate",
            Metric::CatalogCoverage => "catalogCoverage",
            Metric::Rmse => "rmse",
            Metric::Mae => "mae",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Metric::ALL
                    .iter()
                    .map(|m| format!("'{}'", m.name()))
                    .collect();
                Error::invalid(format!(
                    "unknown metric '{s}'; metrics are {}",
                    names.join(", ")
                ))
            })
    }

    /// Whether the metric has one value per user (all but catalogue coverage).
    pub fn is_per_user(self) -> bool {
        self != Metric::CatalogCoverage
    }
}

/// How to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// What to compute; duplicates are ignored.
    pub metrics: Vec<Metric>,
    /// Cut-off of precision, recall, NDCG, MAP, hit rate and coverage (>= 1).
    pub k: usize,
    /// One output row per test row, not only per user with test entries.
    pub preserve_rows: bool,
    pub num_threads: usize,
    /// Reject test and train matrices that share entries.
    pub check_intersections: bool,
}

impl Default for EvalOptions {
    /// Every metric, `k` = [`DEFAULT_K`](crate::DEFAULT_K), LightFM's defaults otherwise.
    fn default() -> Self {
        EvalOptions {
            metrics: Metric::ALL.to_vec(),
            k: crate::DEFAULT_K,
            preserve_rows: false,
            num_threads: 1,
            check_intersections: true,
        }
    }
}

/// One per-user metric: a value per output row and the mean over users with test entries.
#[derive(Debug, Clone, PartialEq)]
pub struct UserColumn {
    pub metric: Metric,
    pub values: Vec<f32>,
    pub mean: f64,
}

/// The result of [`Model::evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The test row (user id) of each output row, increasing.
    pub users: Vec<u32>,
    /// Users with at least one test entry (those the means are over).
    pub evaluated_users: usize,
    /// The requested per-user metrics, in request order.
    pub columns: Vec<UserColumn>,
    /// When requested: the share of the catalogue in some evaluated user's top `k`.
    pub catalog_coverage: Option<f64>,
    /// When RMSE / MAE are requested: their values pooled over every stored test entry.
    pub pooled_rmse: Option<f64>,
    pub pooled_mae: Option<f64>,
}

impl Evaluation {
    /// The column of `metric`, if it was requested.
    pub fn column(&self, metric: Metric) -> Option<&UserColumn> {
        self.columns.iter().find(|c| c.metric == metric)
    }

    /// The mean of a per-user metric, or the coverage, if it was requested.
    pub fn mean(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::CatalogCoverage => self.catalog_coverage,
            m => self.column(m).map(|c| c.mean),
        }
    }
}

impl Model {
    /// Evaluates the model on `test` (users x items; every stored entry is a positive),
    /// excluding each user's `train` items from their ranking. See the [module
    /// docs](crate::metrics) for the rules and [`Evaluator`] to separate the snapshot of the
    /// model from the pass.
    pub fn evaluate(
        &self,
        test: &CsrMatrix,
        train: Option<&CsrMatrix>,
        user_features: Option<&CsrMatrix>,
        item_features: Option<&CsrMatrix>,
        opts: &EvalOptions,
    ) -> Result<Evaluation> {
        let test = test.view();
        Evaluator::borrowing(self, test, user_features, item_features, opts.num_threads)?.evaluate(
            test,
            train.map(|t| t as _),
            opts,
        )
    }
}
