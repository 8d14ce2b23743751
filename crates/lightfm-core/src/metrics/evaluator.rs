//! The evaluation pass: a snapshot of the representations, then one parallel sweep over the
//! output rows that scores, ranks and measures each user once.

use std::borrow::Cow;

use super::ranks::{sanitize, Ranker, UserRanks};
use super::scoring::ItemBlocks;
use super::topk::mark_top_k;
use super::user::UserMetrics;
use super::{EvalOptions, Evaluation, Metric, UserColumn};
use crate::alloc;
use crate::error::{Error, Result};
use crate::loss::representation;
use crate::model::{block_len, Model};
use crate::parallel;
use crate::predict::{check_train, ranking_features, repr_matrix, ReprMatrix};
use crate::progress::Progress;
use crate::shared::SharedTable;
use crate::sparse::{CsrMatrix, CsrView, Pattern, RowIndices};

/// The model's representations of every item, frozen, and of a test matrix's users.
///
/// [`Evaluator::new`] freezes the users' too. Building it is cheap (one pass over the feature
/// matrices) and needs the model; the evaluation itself then needs nothing else, so it can
/// run while the model is trained or dropped (the binding builds it under the model's lock
/// and evaluates off the JS thread). Only users with test entries are represented, so
/// evaluating a sample of the users of a large model snapshots that sample.
/// [`Evaluator::borrowing`] instead borrows the model for the pass and represents each user
/// as it is evaluated, which keeps nothing per user.
pub struct Evaluator<'m> {
    shape: (usize, usize),
    users: Users<'m>,
    items: ItemBlocks,
}

/// Where the evaluated users' representations come from.
enum Users<'m> {
    /// Row `row[u]` of `reprs` represents user `u` ([`NO_ROW`] for users without test entries).
    Snapshot { reprs: ReprMatrix, row: Vec<u32> },
    /// Computed from the model's table as each user is evaluated.
    Live {
        table: &'m SharedTable,
        features: Cow<'m, CsrMatrix>,
    },
}

/// The pattern of the rows of `train` an evaluation on `test` reads (those of the users with
/// test entries), copied; the others stay empty. The exclusion reads no values, and a task
/// that evaluates a sample of the users copies a sample of the train matrix.
pub fn train_rows_for(test: CsrView, train: CsrView) -> Pattern {
    train.select_pattern(|r| r < test.rows() && test.row_nnz(r) > 0)
}

/// What both kinds of evaluator need: the users' table and feature rows, and the items'
/// representations.
fn prepare<'m>(
    model: &'m Model,
    test: CsrView,
    user_features: Option<&'m CsrMatrix>,
    item_features: Option<&CsrMatrix>,
    num_threads: usize,
) -> Result<(&'m SharedTable, Cow<'m, CsrMatrix>, ItemBlocks)> {
    let params = model.params("evaluate()")?;
    let (rows, cols) = test.shape();
    let (uf, itf) = ranking_features(model, user_features, item_features, rows, cols)?;
    let items = ItemBlocks::represent(&params.item, &itf, model.d(), num_threads)?;
    Ok((&params.user, uf, items))
}

/// The row of a user that is not represented in a snapshot.
const NO_ROW: u32 = u32::MAX;

/// Scores of one user against every item, NaN ranked lowest.
pub(crate) fn score_items(user: &[f32], items: &ItemBlocks, out: &mut Vec<f32>) {
    items.score_all(user, out);
    for s in out.iter_mut() {
        *s = sanitize(*s);
    }
}

/// Per-worker state: scratch buffers and, for coverage, the items seen in some top k.
struct Worker {
    /// A live user's representation, and scratch space for computing it.
    repr: Vec<f32>,
    repr_tmp: Vec<f32>,
    scores: Vec<f32>,
    ranker: Ranker,
    ranks: UserRanks,
    test_scores: Vec<f32>,
    sorted: Vec<u32>,
    cand: Vec<(f32, u32)>,
    seen: Vec<u64>,
}

/// Per output row: the requested columns, then the squared and absolute error sums.
const ERROR_SUMS: usize = 2;

impl Evaluator<'static> {
    /// Snapshots the representations of `test`'s users that have entries and of its
    /// `test.cols()` items (identity features unless given).
    ///
    /// # Errors
    /// `ERR_NOT_FITTED`, `ERR_INVALID_ARG` (threads), `ERR_SHAPE` (features that do not fit
    /// the model or the shape).
    pub fn new(
        model: &Model,
        test: CsrView,
        user_features: Option<&CsrMatrix>,
        item_features: Option<&CsrMatrix>,
        num_threads: usize,
    ) -> Result<Self> {
        let (table, uf, items) = prepare(model, test, user_features, item_features, num_threads)?;
        let shape = test.shape();
        let evaluated: Vec<u32> = (0..shape.0 as u32)
            .filter(|&u| test.row_nnz(u as usize) > 0)
            .collect();
        let mut row = alloc::vec_of("evaluation rows", shape.0, NO_ROW)?;
        for (r, &u) in evaluated.iter().enumerate() {
            row[u as usize] = r as u32;
        }
        let rows = uf.gather(&evaluated);
        let reprs = repr_matrix(table, &rows, model.d(), num_threads)?;
        Ok(Evaluator {
            shape,
            users: Users::Snapshot { reprs, row },
            items,
        })
    }
}

impl<'m> Evaluator<'m> {
    /// Snapshots the items' representations only: users are represented from `model`, which
    /// stays borrowed, as they are evaluated (for a pass that runs while the caller holds the
    /// model).
    ///
    /// # Errors
    /// As [`Evaluator::new`].
    pub fn borrowing(
        model: &'m Model,
        test: CsrView,
        user_features: Option<&'m CsrMatrix>,
        item_features: Option<&CsrMatrix>,
        num_threads: usize,
    ) -> Result<Self> {
        let (table, features, items) =
            prepare(model, test, user_features, item_features, num_threads)?;
        Ok(Evaluator {
            shape: test.shape(),
            users: Users::Live { table, features },
            items,
        })
    }

    /// Runs the pass on the `test` given to [`Evaluator::new`] (or one with entries for the
    /// same users).
    ///
    /// # Errors
    /// `ERR_SHAPE` (test or train shape), `ERR_INVALID_ARG` (`k = 0`, no metrics, threads,
    /// or test and train sharing entries while `check_intersections` is set).
    pub fn evaluate(
        &self,
        test: CsrView,
        train: Option<&dyn RowIndices>,
        opts: &EvalOptions,
    ) -> Result<Evaluation> {
        self.evaluate_counted(test, train, opts, &Progress::default())
    }

    /// [`Evaluator::evaluate`], counting the output rows done in `progress` (one step of one
    /// unit per row) as the pass goes.
    ///
    /// # Errors
    /// As [`Evaluator::evaluate`].
    pub fn evaluate_counted(
        &self,
        test: CsrView,
        train: Option<&dyn RowIndices>,
        opts: &EvalOptions,
        progress: &Progress,
    ) -> Result<Evaluation> {
        if test.shape() != self.shape {
            return Err(Error::shape(
                "test interactions shape (the shape the evaluator was built for)",
                format!("{:?}", self.shape),
                format!("{:?}", test.shape()),
            ));
        }
        let unrepresented = |u: usize| match &self.users {
            Users::Snapshot { row, .. } => row[u] == NO_ROW,
            Users::Live { .. } => false,
        };
        if (0..test.rows()).any(|u| test.row_nnz(u) > 0 && unrepresented(u)) {
            return Err(Error::invalid(
                "the test matrix has entries for users the evaluator did not snapshot; build it from this test matrix",
            ));
        }
        check_train(&test, train, opts.check_intersections)?;
        if opts.k == 0 {
            return Err(Error::invalid("k must be an integer >= 1, got 0"));
        }
        let mut metrics: Vec<Metric> = Vec::with_capacity(opts.metrics.len());
        for &m in &opts.metrics {
            if !metrics.contains(&m) {
                metrics.push(m);
            }
        }
        if metrics.is_empty() {
            return Err(Error::invalid("metrics must name at least one metric"));
        }
        let per_user: Vec<Metric> = metrics
            .iter()
            .copied()
            .filter(|m| m.is_per_user())
            .collect();
        let coverage = metrics.contains(&Metric::CatalogCoverage);

        let users: Vec<u32> = (0..test.rows() as u32)
            .filter(|&u| opts.preserve_rows || test.row_nnz(u as usize) > 0)
            .collect();
        let width = per_user.len() + ERROR_SUMS;
        let len = alloc::product("evaluation results", users.len(), width)?;
        let mut table = alloc::vec_of("evaluation results", len, 0.0f64)?;
        let words = if coverage {
            test.cols().div_ceil(64)
        } else {
            0
        };
        progress.begin(1, users.len());
        // Users are handed to the threads a few at a time, so the hand-over stays cheap.
        const USERS_PER_TASK: usize = 16;
        let tasks = table
            .chunks_mut(width * USERS_PER_TASK)
            .zip(users.chunks(USERS_PER_TASK));
        let workers = parallel::for_each(
            opts.num_threads,
            tasks,
            || Worker::new(words, block_len(self.items.d())),
            |w, (rows, users)| {
                for (row, &u) in rows.chunks_exact_mut(width).zip(users) {
                    let m = self.user(w, test, train, u as usize, opts.k, coverage);
                    write_row(&m, &per_user, row);
                }
                progress.add(users.len());
            },
        )?;
        let mut seen = vec![0u64; words];
        for w in &workers {
            seen.iter_mut().zip(&w.seen).for_each(|(a, b)| *a |= b);
        }

        let evaluated: Vec<bool> = users
            .iter()
            .map(|&u| test.row_nnz(u as usize) > 0)
            .collect();
        let n_evaluated = evaluated.iter().filter(|&&e| e).count();
        let sum_column = |c: usize| -> f64 {
            table
                .chunks_exact(width)
                .zip(&evaluated)
                .filter(|(_, &e)| e)
                .map(|(row, _)| row[c])
                .sum()
        };
        let columns = per_user
            .iter()
            .enumerate()
            .map(|(c, &metric)| UserColumn {
                metric,
                values: table.chunks_exact(width).map(|row| row[c] as f32).collect(),
                mean: sum_column(c) / n_evaluated as f64,
            })
            .collect();
        let entries = test.nnz() as f64;
        let pooled = |m: Metric, value: f64| metrics.contains(&m).then_some(value);
        Ok(Evaluation {
            users,
            evaluated_users: n_evaluated,
            columns,
            catalog_coverage: coverage.then(|| {
                let covered: u32 = seen.iter().map(|w| w.count_ones()).sum();
                if test.cols() == 0 {
                    0.0
                } else {
                    f64::from(covered) / test.cols() as f64
                }
            }),
            pooled_rmse: pooled(Metric::Rmse, (sum_column(per_user.len()) / entries).sqrt()),
            pooled_mae: pooled(Metric::Mae, sum_column(per_user.len() + 1) / entries),
        })
    }

    /// Scores, ranks and measures user `u`.
    fn user(
        &self,
        w: &mut Worker,
        test: CsrView,
        train: Option<&dyn RowIndices>,
        u: usize,
        k: usize,
        coverage: bool,
    ) -> UserMetrics {
        let (targets, values) = test.row(u);
        if targets.is_empty() {
            return UserMetrics::empty();
        }
        let user = match &self.users {
            Users::Snapshot { reprs, row } => reprs.row(row[u] as usize),
            Users::Live { table, features } => {
                representation(table, features.row(u), 1.0, &mut w.repr, &mut w.repr_tmp);
                &w.repr[..=self.items.d()]
            }
        };
        score_items(user, &self.items, &mut w.scores);
        let excluded = train.map_or(&[][..], |t| t.row_indices(u));
        w.ranker.rank(&w.scores, excluded, targets, &mut w.ranks);
        w.test_scores.clear();
        w.test_scores
            .extend(targets.iter().map(|&t| w.scores[t as usize]));
        if coverage {
            mark_top_k(&w.scores, excluded, k, &mut w.cand, &mut w.seen);
        }
        UserMetrics::compute(&w.ranks, k, &w.test_scores, values, &mut w.sorted)
    }
}

impl Worker {
    fn new(words: usize, repr_len: usize) -> Self {
        Worker {
            repr: vec![0.0; repr_len],
            repr_tmp: vec![0.0; repr_len],
            scores: Vec::new(),
            ranker: Ranker::default(),
            ranks: UserRanks::default(),
            test_scores: Vec::new(),
            sorted: Vec::new(),
            cand: Vec::new(),
            seen: vec![0; words],
        }
    }
}

/// Writes the requested metrics of one user, then the error sums.
fn write_row(m: &UserMetrics, per_user: &[Metric], row: &mut [f64]) {
    for (slot, &metric) in row.iter_mut().zip(per_user) {
        *slot = m.value(metric).unwrap_or(f64::NAN);
    }
    let n = per_user.len();
    row[n] = m.squared_error;
    row[n + 1] = m.absolute_error;
}
