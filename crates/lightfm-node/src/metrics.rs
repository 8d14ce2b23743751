//! Evaluation: convert the arguments, snapshot the model's representations under its lock,
//! run `lightfm_core::metrics` (on the calling thread or as an `AsyncTask`), convert back.

use lightfm_core::metrics::{
    train_rows_for, EarlyStopping, EarlyStoppingOptions, EvalOptions, Evaluation, Evaluator, Metric,
};
use lightfm_core::sparse::Pattern;
use lightfm_core::{CsrMatrix, Progress};
use napi::bindgen_prelude::{AsyncTask, Env, Unknown};
use napi_derive::napi;
use std::sync::Arc;

use crate::convert::{csr, csr_view, f32_array, index_array, opt_csr, CsrArg};
use crate::errors::guarded;
use crate::model::NativeModel;
use crate::progress::ProgressCounter;

/// Everything `evaluate` needs besides the model and the test matrix.
#[napi(object)]
pub struct EvalArgs {
    /// Metric names (`Metric::name`), e.g. `precision`, `auc`, `ndcg`.
    pub metrics: Vec<String>,
    pub k: u32,
    pub train: Option<CsrArg>,
    pub user_features: Option<CsrArg>,
    pub item_features: Option<CsrArg>,
    pub preserve_rows: bool,
    pub num_threads: u32,
    pub check_intersections: bool,
}

/// One per-user metric.
#[napi(object, object_from_js = false)]
pub struct EvalColumn<'env> {
    pub metric: String,
    /// One value per entry of `users`.
    #[napi(ts_type = "Float32Array")]
    pub values: Unknown<'env>,
    /// Mean over the users with test entries (NaN when there are none).
    pub mean: f64,
}

/// The result of one evaluation pass.
#[napi(object, object_from_js = false)]
pub struct EvalOutput<'env> {
    /// The user id of each output row, increasing.
    #[napi(ts_type = "Int32Array")]
    pub users: Unknown<'env>,
    /// Users with at least one test entry.
    pub evaluated_users: u32,
    pub columns: Vec<EvalColumn<'env>>,
    pub catalog_coverage: Option<f64>,
    pub pooled_rmse: Option<f64>,
    pub pooled_mae: Option<f64>,
}

/// Every metric name, in the core's order (the list the TypeScript packages export).
#[napi]
pub fn metric_names() -> Vec<String> {
    Metric::ALL.iter().map(|m| m.name().to_string()).collect()
}

fn options(args: &EvalArgs) -> lightfm_core::Result<EvalOptions> {
    let metrics = args
        .metrics
        .iter()
        .map(|m| Metric::parse(m))
        .collect::<lightfm_core::Result<Vec<_>>>()?;
    Ok(EvalOptions {
        metrics,
        k: args.k as usize,
        preserve_rows: args.preserve_rows,
        num_threads: args.num_threads as usize,
        check_intersections: args.check_intersections,
    })
}

/// The feature matrices of an evaluation, copied (the model's representations are built
/// from them).
fn features(args: &EvalArgs) -> lightfm_core::Result<(Option<CsrMatrix>, Option<CsrMatrix>)> {
    Ok((
        opt_csr(args.user_features.as_ref())?,
        opt_csr(args.item_features.as_ref())?,
    ))
}

/// Owned inputs and the model snapshot: nothing here borrows JS memory or the model.
pub struct EvalJob {
    evaluator: Evaluator<'static>,
    test: CsrMatrix,
    train: Option<Pattern>,
    opts: EvalOptions,
    progress: Arc<Progress>,
}

impl EvalJob {
    fn prepare(
        model: &NativeModel,
        test: &CsrArg,
        args: &EvalArgs,
        progress: Arc<Progress>,
    ) -> napi::Result<Self> {
        let (test, train, (uf, itf), opts) = guarded(|| {
            let test = csr(test)?;
            let train = train_rows_of(&test, args.train.as_ref())?;
            Ok((test, train, features(args)?, options(args)?))
        })?;
        let evaluator = model.read("evaluate()", |m| {
            Evaluator::new(m, test.view(), uf.as_ref(), itf.as_ref(), opts.num_threads)
        })?;
        Ok(EvalJob {
            evaluator,
            test,
            train,
            opts,
            progress,
        })
    }

    fn run(&self) -> napi::Result<Evaluation> {
        let train = self.train.as_ref().map(|t| t as _);
        guarded(|| {
            self.evaluator
                .evaluate_counted(self.test.view(), train, &self.opts, &self.progress)
        })
    }
}

/// The pattern of the train rows an evaluation on `test` reads, copied (see
/// `metrics::train_rows_for`).
fn train_rows_of(
    test: &CsrMatrix,
    train: Option<&CsrArg>,
) -> lightfm_core::Result<Option<Pattern>> {
    train
        .map(|t| csr_view(t).map(|v| train_rows_for(test.view(), v)))
        .transpose()
}

fn output(env: &Env, e: Evaluation) -> napi::Result<EvalOutput<'_>> {
    Ok(EvalOutput {
        users: index_array(env, e.users)?,
        evaluated_users: e.evaluated_users as u32,
        columns: e
            .columns
            .into_iter()
            .map(|c| {
                Ok(EvalColumn {
                    metric: c.metric.name().to_string(),
                    values: f32_array(env, c.values)?,
                    mean: c.mean,
                })
            })
            .collect::<napi::Result<_>>()?,
        catalog_coverage: e.catalog_coverage,
        pooled_rmse: e.pooled_rmse,
        pooled_mae: e.pooled_mae,
    })
}

/// Evaluates on the calling thread (blocks the event loop for the pass), reading the test
/// and train matrices in place and the users' representations from the model, which it
/// holds for the pass: only the items' representations are copied.
#[napi]
pub fn evaluate<'env>(
    env: &'env Env,
    model: &NativeModel,
    test: CsrArg,
    args: EvalArgs,
) -> napi::Result<EvalOutput<'env>> {
    let (test, train, (uf, itf), opts) = guarded(|| {
        let train = args.train.as_ref().map(csr_view).transpose()?;
        Ok((csr_view(&test)?, train, features(&args)?, options(&args)?))
    })?;
    let train = train.as_ref().map(|t| t as _);
    let e = model.read("evaluate()", |m| {
        Evaluator::borrowing(m, test, uf.as_ref(), itf.as_ref(), opts.num_threads)?
            .evaluate(test, train, &opts)
    })?;
    output(env, e)
}

/// The pass off the event loop. The representations are copied before it starts, so the
/// model may be trained again meanwhile.
pub struct EvaluateTask(EvalJob);

#[napi]
impl<'task> napi::ScopedTask<'task> for EvaluateTask {
    type Output = Evaluation;
    type JsValue = EvalOutput<'task>;

    fn compute(&mut self) -> napi::Result<Evaluation> {
        self.0.run()
    }

    fn resolve(&mut self, env: &'task Env, e: Evaluation) -> napi::Result<EvalOutput<'task>> {
        output(env, e)
    }
}

/// `evaluate` as a Promise; inputs are copied and the model snapshotted before it returns.
/// `progress` counts the users evaluated.
#[napi]
pub fn evaluate_async(
    model: &NativeModel,
    test: CsrArg,
    args: EvalArgs,
    progress: &ProgressCounter,
) -> napi::Result<AsyncTask<EvaluateTask>> {
    Ok(AsyncTask::new(EvaluateTask(EvalJob::prepare(
        model,
        &test,
        &args,
        progress.0.clone(),
    )?)))
}

/// Early stopping for `fit`: validation data and when to stop.
#[napi(object)]
pub struct ValidationArgs {
    pub interactions: CsrArg,
    pub train: Option<CsrArg>,
    /// A per-user metric name (`Metric::name`).
    pub metric: String,
    pub k: u32,
    pub patience: u32,
    pub restore_best: bool,
    pub check_intersections: bool,
}

/// The early-stopping observer for a fit on `shape` interactions, when validation is asked for.
pub(crate) fn early_stopping(
    v: Option<&ValidationArgs>,
    shape: (usize, usize),
    num_threads: u32,
) -> lightfm_core::Result<Option<EarlyStopping>> {
    let Some(v) = v else { return Ok(None) };
    let opts = EarlyStoppingOptions {
        metric: Metric::parse(&v.metric)?,
        k: v.k as usize,
        patience: v.patience as usize,
        restore_best: v.restore_best,
        num_threads: num_threads as usize,
        check_intersections: v.check_intersections,
    };
    let test = csr(&v.interactions)?;
    let train = train_rows_of(&test, v.train.as_ref())?;
    EarlyStopping::new(test, train, shape, opts).map(Some)
}
