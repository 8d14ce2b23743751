//! `NativeModel`: the core model behind an `Arc<RwLock>`, with training as an `AsyncTask`.
//!
//! While a fit runs, `busy` is set and every synchronous method throws `ERR_BUSY` at once
//! instead of blocking the event loop on the lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, PoisonError, RwLock};
use std::time::Duration;

use lightfm_core::metrics::EarlyStopping;
use lightfm_core::train::Control;
use lightfm_core::{
    needs_values, Examples, FitOptions, Model, Observer, Progress, Side, TrainingSet,
};
use napi::bindgen_prelude::{Env, Float32Array, Int32Array, Object, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use std::sync::Mutex;

use crate::background::on_own_thread;
use crate::convert::{coo_view, csr, csr_out, f32_array, indices, opt_csr, CooArg, CsrArg, CsrOut};
use crate::errors::{coded, guarded, to_napi};
use crate::metrics::{early_stopping, ValidationArgs};
use crate::options::{describe, merge, ModelOptions};
use crate::progress::ProgressCounter;

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

/// A flag the TypeScript layer sets when the user's `AbortSignal` fires (or the process
/// exits); training polls it between chunks. It also tells when the fit's thread is done.
#[napi]
pub struct CancelToken {
    pub(crate) flag: Arc<AtomicBool>,
    pub(crate) done: Finished,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        CancelToken {
            flag: Arc::new(AtomicBool::new(false)),
            done: Finished::default(),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Blocks until the fit's thread has stopped using the model, or `timeout_ms` passed;
    /// returns whether it stopped. For `process.exit()`, which would otherwise tear the
    /// process down under a running fit.
    #[napi]
    pub fn wait(&self, timeout_ms: u32) -> bool {
        self.done.wait(Duration::from_millis(u64::from(timeout_ms)))
    }
}

/// Set once a fit's thread is done with the model.
#[derive(Clone, Default)]
pub(crate) struct Finished(Arc<(Mutex<bool>, Condvar)>);

impl Finished {
    pub(crate) fn set(&self) {
        *self.0 .0.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.0 .1.notify_all();
    }

    fn wait(&self, timeout: Duration) -> bool {
        let done = self.0 .0.lock().unwrap_or_else(PoisonError::into_inner);
        let (done, _) = self
            .0
             .1
            .wait_timeout_while(done, timeout, |done| !*done)
            .unwrap_or_else(PoisonError::into_inner);
        *done
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
#[napi(object, object_from_js = false)]
pub struct NativeRepresentations<'env> {
    pub rows: u32,
    pub cols: u32,
    #[napi(ts_type = "Float32Array")]
    pub biases: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub embeddings: Unknown<'env>,
}

/// One side's full state (LightFM's parameter arrays), for inspection and tests.
#[napi(object, object_from_js = false)]
pub struct NativeSideState<'env> {
    pub rows: u32,
    #[napi(ts_type = "Float32Array")]
    pub embeddings: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub biases: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub embedding_gradients: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub bias_gradients: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub embedding_momentum: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub bias_momentum: Unknown<'env>,
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
    /// Examples done, read by JavaScript while the fit runs.
    counter: Arc<Progress>,
    progress: Option<ProgressFn>,
    /// Every epoch's report, returned when training ends so none is lost or reordered.
    history: Mutex<Vec<EpochProgress>>,
    stopper: Option<EarlyStopping>,
}

impl NodeObserver {
    fn new(
        cancel: Arc<AtomicBool>,
        counter: Arc<Progress>,
        progress: Option<ProgressFn>,
        stopper: Option<EarlyStopping>,
    ) -> Self {
        NodeObserver {
            cancel,
            counter,
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
    fn progress(&self) -> Option<&Progress> {
        Some(&self.counter)
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
    /// Copies what a fit of `model` reads, grouped by user (`Examples`): no values when
    /// they are all 1, or when the loss only needs to know which entries exist (`needs_values`).
    /// Sizes no allocation could serve fail first, before anything is copied.
    fn new(a: &FitArgs, model: &Model) -> lightfm_core::Result<Self> {
        let interactions = coo_view(&a.interactions)?;
        let cols = |f: &Option<CsrArg>| f.as_ref().map(|f| f.cols as usize);
        model.check_fit_size(
            interactions.shape(),
            cols(&a.user_features),
            cols(&a.item_features),
        )?;
        let loss = model.hyper().loss;
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

/// A fit running on its own thread (see [`on_own_thread`]).
struct FitThread {
    model: Arc<RwLock<Model>>,
    set: OwnedSet,
    observer: NodeObserver,
    busy: BusyGuard,
    done: Finished,
}

impl FitThread {
    /// Trains; the busy guard comes back so that it is released on the JavaScript thread,
    /// when the promise settles: until then every call sees `ERR_BUSY`, however short the fit.
    fn run(self) -> (napi::Result<Vec<EpochProgress>>, BusyGuard) {
        let FitThread {
            model,
            set,
            observer,
            busy,
            done,
        } = self;
        let trained = guarded(|| set.train(&model, &observer));
        crate::memory::release_free_memory();
        done.set();
        (trained.map(|()| observer.take_history()), busy)
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

    /// The model itself, for a task that reads it on another thread; `ERR_BUSY` while a fit
    /// runs (the task would wait for the whole fit).
    pub(crate) fn shared(&self, action: &str) -> napi::Result<Arc<RwLock<Model>>> {
        if self.busy.load(Ordering::Acquire) {
            return Err(to_napi(lightfm_core::Error::Busy(action.to_string())));
        }
        Ok(self.model.clone())
    }

    /// The training inputs, copied. Called with the busy flag claimed, so no fit holds the
    /// model and `setParams` cannot change it before the fit starts.
    fn owned_set(&self, args: &FitArgs) -> napi::Result<OwnedSet> {
        let model = self.model.read().unwrap_or_else(|e| e.into_inner());
        guarded(|| OwnedSet::new(args, &model))
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

    /// An independent copy of the model (parameters, optimiser state, epochs), e.g. to put
    /// back if a fit is cancelled.
    #[napi]
    pub fn copy(&self) -> napi::Result<NativeModel> {
        let model = self.read("copying the model", Model::try_clone)?;
        Ok(NativeModel {
            model: Arc::new(RwLock::new(model)),
            busy: Arc::new(AtomicBool::new(false)),
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

    /// What a side's rows were trained from: `"identity"`, `"matrix"` or `"unknown"`.
    #[napi]
    pub fn feature_kind(&self, which: String) -> napi::Result<&'static str> {
        self.read("featureKind()", |m| {
            Ok(m.feature_kind(side(&which)?).name())
        })
    }

    /// Epochs trained so far.
    #[napi]
    pub fn epochs_done(&self) -> napi::Result<f64> {
        self.read("epochsDone()", |m| {
            Ok(m.params("epochsDone()")
                .map_or(0.0, |p| p.epochs_done as f64))
        })
    }

    /// Trains off the event loop, on a thread of its own; resolves with every epoch's report.
    /// Inputs are copied before it starts; `progress` counts the examples trained.
    #[napi(ts_return_type = "Promise<Array<EpochProgress>>")]
    pub fn fit<'env>(
        &self,
        env: &'env Env,
        args: FitArgs,
        cancel: &CancelToken,
        progress: &ProgressCounter,
        on_epoch: Option<
            ThreadsafeFunction<EpochProgress, Unknown<'static>, EpochProgress, Status, false, true>,
        >,
    ) -> napi::Result<Object<'env>> {
        let busy = self.claim()?;
        let set = self.owned_set(&args)?;
        let stopper = guarded(|| set.early_stopping(&args))?;
        let job = FitThread {
            model: self.model.clone(),
            set,
            observer: NodeObserver::new(cancel.flag.clone(), progress.0.clone(), on_epoch, stopper),
            busy,
            done: cancel.done.clone(),
        };
        let settle = |_env: Env, (result, busy): (napi::Result<Vec<EpochProgress>>, BusyGuard)| {
            drop(busy);
            result
        };
        on_own_thread(
            env,
            "lightfm-fit",
            cancel.flag.clone(),
            move || job.run(),
            settle,
        )
    }

    /// Trains on the calling thread (blocks the event loop); `progress` counts the examples
    /// trained.
    #[napi]
    pub fn fit_sync(
        &self,
        args: FitArgs,
        progress: &ProgressCounter,
    ) -> napi::Result<Vec<EpochProgress>> {
        let _busy = self.claim()?;
        let set = self.owned_set(&args)?;
        let stopper = guarded(|| set.early_stopping(&args))?;
        let cancel = Arc::new(AtomicBool::new(false));
        let observer = NodeObserver::new(cancel, progress.0.clone(), None, stopper);
        guarded(|| set.train(&self.model, &observer))?;
        Ok(observer.take_history())
    }

    /// Scores of the pairs `(users[k], items[k])`.
    #[napi(ts_return_type = "Float32Array")]
    pub fn predict<'env>(
        &self,
        env: &'env Env,
        users: Int32Array,
        items: Int32Array,
        user_features: Option<CsrArg>,
        item_features: Option<CsrArg>,
        num_threads: u32,
    ) -> napi::Result<Unknown<'env>> {
        let scores = self.read("predict()", |m| {
            let (u, i) = (indices("user id", &users)?, indices("item id", &items)?);
            let (uf, itf) = (
                opt_csr(user_features.as_ref())?,
                opt_csr(item_features.as_ref())?,
            );
            m.predict(&u, &i, uf.as_ref(), itf.as_ref(), num_threads as usize)
        })?;
        f32_array(env, scores)
    }

    /// LightFM's `predict_rank`.
    #[allow(
        clippy::too_many_arguments,
        reason = "LightFM's positional arguments plus napi's Env"
    )]
    #[napi]
    pub fn predict_rank<'env>(
        &self,
        env: &'env Env,
        test: CsrArg,
        train: Option<CsrArg>,
        user_features: Option<CsrArg>,
        item_features: Option<CsrArg>,
        num_threads: u32,
        check_intersections: bool,
    ) -> napi::Result<CsrOut<'env>> {
        let ranks = self.read("predictRank()", |m| {
            let test = csr(&test)?;
            let train = opt_csr(train.as_ref())?;
            let (uf, itf) = (
                opt_csr(user_features.as_ref())?,
                opt_csr(item_features.as_ref())?,
            );
            m.predict_rank(
                &test,
                train.as_ref(),
                uf.as_ref(),
                itf.as_ref(),
                num_threads as usize,
                check_intersections,
            )
        })?;
        csr_out(env, ranks)
    }

    /// Representations of the rows of `features` (every embedding when omitted).
    #[napi]
    pub fn representations<'env>(
        &self,
        env: &'env Env,
        which: String,
        features: Option<CsrArg>,
    ) -> napi::Result<NativeRepresentations<'env>> {
        let r = self.read("getRepresentations()", |m| {
            let f = opt_csr(features.as_ref())?;
            m.representations(side(&which)?, f.as_ref())
        })?;
        Ok(NativeRepresentations {
            rows: r.rows as u32,
            cols: r.d as u32,
            biases: f32_array(env, r.biases)?,
            embeddings: f32_array(env, r.embeddings)?,
        })
    }

    /// A side's parameter and optimiser arrays.
    #[napi]
    pub fn side_state<'env>(
        &self,
        env: &'env Env,
        which: String,
    ) -> napi::Result<NativeSideState<'env>> {
        let s = self.read("getState()", |m| m.side_state(side(&which)?))?;
        Ok(NativeSideState {
            rows: s.rows as u32,
            embeddings: f32_array(env, s.embeddings)?,
            biases: f32_array(env, s.biases)?,
            embedding_gradients: f32_array(env, s.embedding_gradients)?,
            bias_gradients: f32_array(env, s.bias_gradients)?,
            embedding_momentum: f32_array(env, s.embedding_momentum)?,
            bias_momentum: f32_array(env, s.bias_momentum)?,
        })
    }
}
