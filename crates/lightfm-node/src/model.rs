//! `NativeModel`: the core model behind an `Arc<RwLock>`, with training as an `AsyncTask`.
//!
//! While a fit runs, `busy` is set and every synchronous method throws `ERR_BUSY` at once
//! instead of blocking the event loop on the lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use lightfm_core::metrics::EarlyStopping;
use lightfm_core::train::Control;
use lightfm_core::{needs_values, Examples, FitOptions, Loss, Model, Observer, Side, TrainingSet};
use napi::bindgen_prelude::{AsyncTask, Env, Float32Array, Int32Array, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use std::sync::Mutex;

use crate::convert::{coo_view, csr, csr_out, indices, opt_csr, CooArg, CsrArg};
use crate::errors::{coded, guarded, to_napi};
use crate::metrics::{early_stopping, ValidationArgs};
use crate::options::{describe, merge, ModelOptions};

/// What the progress callback receives after each epoch.
#[napi(object)]
#[derive(Clone)]
pub struct EpochProgress {
    pub epoch: u32,
    pub epochs: u32,
    pub seconds: f64,
    /// Fits with validation: the metric after this epoch, and the best epoch so far.
    pub validation: Option<f64>,
    pub best_epoch: Option<u32>,
}

/// Progress callback: called on the JS thread, never blocks training, never keeps Node alive.
/// (Spelled out in signatures so the generated `.d.ts` shows the callback type.)
type ProgressFn =
    ThreadsafeFunction<EpochProgress, Unknown<'static>, EpochProgress, Status, false, true>;

/// A flag the TypeScript layer sets when the user's `AbortSignal` fires; training polls it
/// between chunks.
#[napi]
pub struct CancelToken {
    flag: Arc<AtomicBool>,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        CancelToken {
            flag: Arc::new(AtomicBool::new(false)),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }
}

/// Everything `fit` needs, as passed from TypeScript.
#[napi(object)]
pub struct FitArgs {
    pub interactions: CooArg,
    pub user_features: Option<CsrArg>,
    pub item_features: Option<CsrArg>,
    pub sample_weight: Option<Float32Array>,
    pub epochs: u32,
    pub num_threads: u32,
    /// Re-initialise first (`fit`) instead of continuing (`fitPartial`).
    pub reset: bool,
    /// Early stopping on validation data.
    pub validation: Option<ValidationArgs>,
}

/// Representations of users or items: `rows x d` embeddings, row-major, and biases.
#[napi(object)]
pub struct NativeRepresentations {
    pub rows: u32,
    pub cols: u32,
    pub biases: Float32Array,
    pub embeddings: Float32Array,
}

/// One side's full state (LightFM's parameter arrays), for inspection and tests.
#[napi(object)]
pub struct NativeSideState {
    pub rows: u32,
    pub embeddings: Float32Array,
    pub biases: Float32Array,
    pub embedding_gradients: Float32Array,
    pub bias_gradients: Float32Array,
    pub embedding_momentum: Float32Array,
    pub bias_momentum: Float32Array,
}

fn side(s: &str) -> lightfm_core::Result<Side> {
    match s {
        "user" => Ok(Side::User),
        "item" => Ok(Side::Item),
        _ => Err(lightfm_core::Error::InvalidArg(format!(
            "side must be 'user' or 'item', got '{s}'"
        ))),
    }
}

/// Clears the busy flag when the training task is dropped, however it ends.
pub(crate) struct BusyGuard(Arc<AtomicBool>);
impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

struct NodeObserver {
    cancel: Arc<AtomicBool>,
    progress: Option<ProgressFn>,
    /// Every epoch's report, returned when training ends so none is lost or reordered.
    history: Mutex<Vec<EpochProgress>>,
    stopper: Option<EarlyStopping>,
}

impl NodeObserver {
    fn new(
        cancel: Arc<AtomicBool>,
        progress: Option<ProgressFn>,
        stopper: Option<EarlyStopping>,
    ) -> Self {
        NodeObserver {
            cancel,
            progress,
            history: Mutex::new(Vec::new()),
            stopper,
        }
    }

    fn take_history(&self) -> Vec<EpochProgress> {
        std::mem::take(&mut self.history.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Observer for NodeObserver {
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
    fn after_epoch(
        &self,
        model: &Model,
        data: TrainingSet,
        epoch: usize,
    ) -> lightfm_core::Result<Control> {
        self.stopper
            .as_ref()
            .map_or(Ok(Control::Continue), |s| s.validate(model, data, epoch))
    }
    fn on_epoch(&self, epoch: usize, epochs: usize, seconds: f64) {
        let latest = self.stopper.as_ref().and_then(EarlyStopping::latest);
        let e = EpochProgress {
            epoch: epoch as u32,
            epochs: epochs as u32,
            seconds,
            validation: latest.map(|l| l.0),
            best_epoch: latest.map(|l| l.1 as u32),
        };
        if let Some(f) = &self.progress {
            // A full queue or a closing environment only drops a live report; the history
            // still has it.
            let _ = f.call(e.clone(), ThreadsafeFunctionCallMode::NonBlocking);
        }
        self.history
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(e);
    }
}

/// Owned training inputs, copied from JS once so JS cannot race the worker thread.
struct OwnedSet {
    examples: Examples,
    user_features: Option<lightfm_core::CsrMatrix>,
    item_features: Option<lightfm_core::CsrMatrix>,
    opts: FitOptions,
    reset: bool,
}

impl OwnedSet {
    /// Copies what a fit with `loss` reads, grouped by user (`Examples`): no values when
    /// they are all 1, or when the loss only needs to know which entries exist (`needs_values`).
    fn new(a: &FitArgs, loss: Loss) -> lightfm_core::Result<Self> {
        let interactions = coo_view(&a.interactions)?;
        let values = needs_values(loss, &interactions);
        let weights = a.sample_weight.as_deref();
        Ok(OwnedSet {
            examples: Examples::new(interactions, values, weights, loss)?,
            user_features: opt_csr(a.user_features.as_ref())?,
            item_features: opt_csr(a.item_features.as_ref())?,
            opts: FitOptions {
                epochs: a.epochs as usize,
                num_threads: a.num_threads as usize,
            },
            reset: a.reset,
        })
    }

    /// The early-stopping observer when `a` asks for validation.
    fn early_stopping(&self, a: &FitArgs) -> lightfm_core::Result<Option<EarlyStopping>> {
        early_stopping(a.validation.as_ref(), self.examples.shape(), a.num_threads)
    }

    /// Finishes preparing the examples (sorting them is the costly part on large input, so it
    /// runs here, on the thread that trains), then trains under the model's write lock.
    fn train(mut self, model: &RwLock<Model>, obs: &NodeObserver) -> lightfm_core::Result<()> {
        self.examples.sort_for_search();
        let model = &mut *model.write().unwrap_or_else(|e| e.into_inner());
        let set = TrainingSet {
            user_features: self.user_features.as_ref(),
            item_features: self.item_features.as_ref(),
            ..TrainingSet::new(&self.examples)
        };
        if self.reset {
            model.fit(set, self.opts, obs)?;
        } else {
            model.fit_partial(set, self.opts, obs)?;
        }
        if let Some(stopper) = &obs.stopper {
            stopper.finish(model);
        }
        Ok(())
    }
}

pub struct FitTask {
    model: Arc<RwLock<Model>>,
    set: Option<OwnedSet>,
    observer: NodeObserver,
    _busy: BusyGuard,
}

#[napi]
impl napi::Task for FitTask {
    type Output = Vec<EpochProgress>;
    type JsValue = Vec<EpochProgress>;

    fn compute(&mut self) -> napi::Result<Vec<EpochProgress>> {
        let (model, obs) = (&self.model, &self.observer);
        // Taken so the inputs' copy is freed here, before the trim.
        let set = self.set.take();
        let trained = guarded(|| {
            // napi runs `compute` once per task; a second run would be a bug (ERR_INTERNAL).
            let set = set.expect("the fit task's inputs are taken once");
            set.train(model, obs)
        });
        crate::memory::release_free_memory();
        trained?;
        Ok(obs.take_history())
    }

    fn resolve(
        &mut self,
        _env: Env,
        history: Vec<EpochProgress>,
    ) -> napi::Result<Vec<EpochProgress>> {
        Ok(history)
    }
}

/// The native half of `LightFM`.
#[napi]
pub struct NativeModel {
    model: Arc<RwLock<Model>>,
    busy: Arc<AtomicBool>,
}

impl NativeModel {
    pub(crate) fn read<T>(
        &self,
        action: &str,
        f: impl FnOnce(&Model) -> lightfm_core::Result<T>,
    ) -> napi::Result<T> {
        if self.busy.load(Ordering::Acquire) {
            return Err(to_napi(lightfm_core::Error::Busy(action.to_string())));
        }
        guarded(|| f(&self.model.read().unwrap_or_else(|e| e.into_inner())))
    }

    pub(crate) fn write<T>(
        &self,
        action: &str,
        f: impl FnOnce(&mut Model) -> lightfm_core::Result<T>,
    ) -> napi::Result<T> {
        if self.busy.load(Ordering::Acquire) {
            return Err(to_napi(lightfm_core::Error::Busy(action.to_string())));
        }
        guarded(|| f(&mut self.model.write().unwrap_or_else(|e| e.into_inner())))
    }

    /// The configured loss. Called with the busy flag claimed, so no fit holds the model and
    /// `setParams` cannot change it before the fit starts.
    fn loss(&self) -> Loss {
        self.model
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .hyper()
            .loss
    }

    pub(crate) fn claim(&self) -> napi::Result<BusyGuard> {
        if self.busy.swap(true, Ordering::AcqRel) {
            return Err(coded(
                "ERR_BUSY",
                "the model is busy training; wait for fit() to settle before starting another fit",
            ));
        }
        Ok(BusyGuard(self.busy.clone()))
    }
}

#[napi]
impl NativeModel {
    #[napi(constructor)]
    pub fn new(options: Option<ModelOptions>) -> napi::Result<Self> {
        let o = options.unwrap_or_default();
        let h = guarded(|| merge(&lightfm_core::Hyperparameters::default(), &o))?;
        Ok(NativeModel {
            model: Arc::new(RwLock::new(guarded(|| Model::new(h))?)),
            busy: Arc::new(AtomicBool::new(false)),
        })
    }

    /// All hyperparameters.
    #[napi]
    pub fn get_params(&self) -> napi::Result<ModelOptions> {
        self.read("getParams()", |m| Ok(describe(m.hyper())))
    }

    /// Updates hyperparameters (validated); changing noComponents or learningSchedule resets
    /// a fitted model.
    #[napi]
    pub fn set_params(&self, options: ModelOptions) -> napi::Result<()> {
        self.write("setParams()", |m| {
            let h = merge(m.hyper(), &options)?;
            m.set_hyper(h)
        })
    }

    #[napi(getter)]
    pub fn busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }

    #[napi]
    pub fn is_fitted(&self) -> napi::Result<bool> {
        self.read("isFitted()", |m| Ok(m.is_fitted()))
    }

    /// Number of feature embeddings on a side (0 before fitting).
    #[napi]
    pub fn n_features(&self, which: String) -> napi::Result<u32> {
        self.read("nFeatures()", |m| Ok(m.n_features(side(&which)?) as u32))
    }

    /// Epochs trained so far.
    #[napi]
    pub fn epochs_done(&self) -> napi::Result<f64> {
        self.read("epochsDone()", |m| {
            Ok(m.params("epochsDone()")
                .map_or(0.0, |p| p.epochs_done as f64))
        })
    }

    /// Trains off the event loop; resolves with every epoch's report. Inputs are copied
    /// before it starts.
    #[napi]
    pub fn fit(
        &self,
        args: FitArgs,
        cancel: &CancelToken,
        on_epoch: Option<
            ThreadsafeFunction<EpochProgress, Unknown<'static>, EpochProgress, Status, false, true>,
        >,
    ) -> napi::Result<AsyncTask<FitTask>> {
        let busy = self.claim()?;
        let set = guarded(|| OwnedSet::new(&args, self.loss()))?;
        let stopper = guarded(|| set.early_stopping(&args))?;
        Ok(AsyncTask::new(FitTask {
            model: self.model.clone(),
            set: Some(set),
            observer: NodeObserver::new(cancel.flag.clone(), on_epoch, stopper),
            _busy: busy,
        }))
    }

    /// Trains on the calling thread (blocks the event loop).
    #[napi]
    pub fn fit_sync(&self, args: FitArgs) -> napi::Result<Vec<EpochProgress>> {
        let _busy = self.claim()?;
        let set = guarded(|| OwnedSet::new(&args, self.loss()))?;
        let stopper = guarded(|| set.early_stopping(&args))?;
        let observer = NodeObserver::new(Arc::new(AtomicBool::new(false)), None, stopper);
        guarded(|| set.train(&self.model, &observer))?;
        Ok(observer.take_history())
    }

    /// Scores of the pairs `(users[k], items[k])`.
    #[napi]
    pub fn predict(
        &self,
        users: Int32Array,
        items: Int32Array,
        user_features: Option<CsrArg>,
        item_features: Option<CsrArg>,
        num_threads: u32,
    ) -> napi::Result<Float32Array> {
        self.read("predict()", |m| {
            let (u, i) = (indices("user id", &users)?, indices("item id", &items)?);
            let (uf, itf) = (
                opt_csr(user_features.as_ref())?,
                opt_csr(item_features.as_ref())?,
            );
            let scores = m.predict(&u, &i, uf.as_ref(), itf.as_ref(), num_threads as usize)?;
            Ok(Float32Array::new(scores))
        })
    }

    /// LightFM's `predict_rank`.
    #[napi]
    pub fn predict_rank(
        &self,
        test: CsrArg,
        train: Option<CsrArg>,
        user_features: Option<CsrArg>,
        item_features: Option<CsrArg>,
        num_threads: u32,
        check_intersections: bool,
    ) -> napi::Result<CsrArg> {
        self.read("predictRank()", |m| {
            let test = csr(&test)?;
            let train = opt_csr(train.as_ref())?;
            let (uf, itf) = (
                opt_csr(user_features.as_ref())?,
                opt_csr(item_features.as_ref())?,
            );
            let ranks = m.predict_rank(
                &test,
                train.as_ref(),
                uf.as_ref(),
                itf.as_ref(),
                num_threads as usize,
                check_intersections,
            )?;
            Ok(csr_out(ranks))
        })
    }

    /// Representations of the rows of `features` (every embedding when omitted).
    #[napi]
    pub fn representations(
        &self,
        which: String,
        features: Option<CsrArg>,
    ) -> napi::Result<NativeRepresentations> {
        self.read("getRepresentations()", |m| {
            let f = opt_csr(features.as_ref())?;
            let r = m.representations(side(&which)?, f.as_ref())?;
            Ok(NativeRepresentations {
                rows: r.rows as u32,
                cols: r.d as u32,
                biases: Float32Array::new(r.biases),
                embeddings: Float32Array::new(r.embeddings),
            })
        })
    }

    /// A side's parameter and optimiser arrays.
    #[napi]
    pub fn side_state(&self, which: String) -> napi::Result<NativeSideState> {
        self.read("getState()", |m| {
            let s = m.side_state(side(&which)?)?;
            Ok(NativeSideState {
                rows: s.rows as u32,
                embeddings: Float32Array::new(s.embeddings),
                biases: Float32Array::new(s.biases),
                embedding_gradients: Float32Array::new(s.embedding_gradients),
                bias_gradients: Float32Array::new(s.bias_gradients),
                embedding_momentum: Float32Array::new(s.embedding_momentum),
                bias_momentum: Float32Array::new(s.bias_momentum),
            })
        })
    }
}
