//! Early stopping: validate after every epoch with the evaluation pass, stop once the metric
//! has not improved for `patience` epochs, and optionally put back the best epoch's
//! parameters (a snapshot of `Params`, taken whenever the metric improves).

use std::sync::{Mutex, MutexGuard};

use super::{EvalOptions, Evaluator, Metric};
use crate::error::{Error, Result};
use crate::model::{Model, Params};
use crate::sparse::{CsrMatrix, Pattern, RowIndices};
use crate::train::{Control, Observer, TrainingSet};

/// How to validate and when to stop.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyStoppingOptions {
    /// Any per-user metric; RMSE and MAE improve downwards, the others upwards.
    pub metric: Metric,
    /// Cut-off of the ranking metrics.
    pub k: usize,
    /// Epochs without improvement before stopping (>= 1).
    pub patience: usize,
    /// Put back the parameters of the best epoch when the fit ends.
    pub restore_best: bool,
    pub num_threads: usize,
    pub check_intersections: bool,
}

impl Default for EarlyStoppingOptions {
    /// AUC at [`DEFAULT_K`](crate::DEFAULT_K), patience 5, best epoch restored, one thread,
    /// overlapping train and validation entries refused.
    fn default() -> Self {
        EarlyStoppingOptions {
            metric: Metric::Auc,
            k: crate::DEFAULT_K,
            patience: 5,
            restore_best: true,
            num_threads: 1,
            check_intersections: true,
        }
    }
}

/// Validates after each epoch and keeps the history. It is an [`Observer`] itself; observers
/// with other duties delegate their `after_epoch` to [`EarlyStopping::validate`].
pub struct EarlyStopping {
    validation: CsrMatrix,
    train: Option<Pattern>,
    opts: EarlyStoppingOptions,
    progress: Mutex<Progress>,
}

#[derive(Default)]
struct Progress {
    /// The metric after each epoch of this fit.
    values: Vec<f64>,
    /// Epoch (1-based) and value of the best epoch, with its parameters when they are kept.
    best: Option<(usize, f64, Option<Params>)>,
}

impl EarlyStopping {
    /// Checks the settings against the training interactions' shape (`validation` and
    /// `train` must have it) before any training happens.
    ///
    /// # Errors
    /// `ERR_SHAPE` for other shapes; `ERR_INVALID_ARG` for `patience` or `k` of 0, catalogue
    /// coverage as the metric, or a validation matrix without entries.
    pub fn new(
        validation: CsrMatrix,
        train: Option<Pattern>,
        shape: (usize, usize),
        opts: EarlyStoppingOptions,
    ) -> Result<Self> {
        let shapes = [
            ("validation interactions", Some(validation.shape())),
            (
                "validation trainInteractions",
                train.as_ref().map(RowIndices::shape),
            ),
        ];
        for (what, m) in shapes {
            if let Some(m) = m.filter(|&m| m != shape) {
                return Err(Error::shape(
                    format!("{what} shape (the training interactions' shape)"),
                    format!("{shape:?}"),
                    format!("{m:?}"),
                ));
            }
        }
        if !opts.metric.is_per_user() {
            return Err(Error::invalid(
                "validation metric must be a per-user metric, not catalogCoverage",
            ));
        }
        if opts.patience == 0 || opts.k == 0 {
            return Err(Error::invalid(format!(
                "validation patience and k must be integers >= 1, got patience {} and k {}",
                opts.patience, opts.k
            )));
        }
        if validation.nnz() == 0 {
            return Err(Error::invalid(
                "validation interactions have no stored entries, so there is nothing to validate on",
            ));
        }
        Ok(EarlyStopping {
            validation,
            train,
            opts,
            progress: Mutex::new(Progress::default()),
        })
    }

    fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Validates `model` after `epoch` (1-based within the fit) and decides whether to go on.
    pub fn validate(&self, model: &Model, data: TrainingSet, epoch: usize) -> Result<Control> {
        let o = &self.opts;
        let eval = EvalOptions {
            metrics: vec![o.metric],
            k: o.k,
            preserve_rows: false,
            num_threads: o.num_threads,
            check_intersections: o.check_intersections,
        };
        let (uf, itf) = (data.user_features, data.item_features);
        let validation = self.validation.view();
        let value = Evaluator::borrowing(model, validation, uf, itf, o.num_threads)?
            .evaluate(validation, self.train.as_ref().map(|t| t as _), &eval)?
            .mean(o.metric)
            .unwrap_or(f64::NAN);
        let lower_is_better = matches!(o.metric, Metric::Rmse | Metric::Mae);
        let mut p = self.progress();
        p.values.push(value);
        let improved = p.best.as_ref().is_none_or(|&(_, best, _)| {
            if lower_is_better {
                value < best
            } else {
                value > best
            }
        });
        if improved {
            let params = o
                .restore_best
                .then(|| model.params("validating").cloned())
                .transpose()?;
            p.best = Some((epoch, value, params));
        }
        let best_epoch = p.best.as_ref().map_or(0, |b| b.0);
        Ok(if epoch - best_epoch >= o.patience {
            Control::Stop
        } else {
            Control::Continue
        })
    }

    /// The metric after the latest epoch and the best epoch so far (1-based).
    pub fn latest(&self) -> Option<(f64, usize)> {
        let p = self.progress();
        Some((*p.values.last()?, p.best.as_ref()?.0))
    }

    /// The metric after every epoch so far.
    pub fn history(&self) -> Vec<f64> {
        self.progress().values.clone()
    }

    /// With `restore_best`, puts the best epoch's parameters back into `model` (call once the
    /// fit has returned successfully); returns the best epoch.
    pub fn finish(&self, model: &mut Model) -> Option<usize> {
        let mut p = self.progress();
        let (epoch, _, params) = p.best.as_mut()?;
        if let (Some(saved), Some(current)) = (params.take(), model.params_mut()) {
            *current = saved;
        }
        Some(*epoch)
    }
}

impl Observer for EarlyStopping {
    fn after_epoch(&self, model: &Model, data: TrainingSet, epoch: usize) -> Result<Control> {
        self.validate(model, data, epoch)
    }
}
