//! The epoch driver: the only place that starts parallel work during training.
//!
//! Each epoch visits the examples in a random order keyed by `(randomState, epoch)` (see
//! `epoch_order`: for large user tables, runs of one user's neighbouring examples) and
//! splits that order into fixed-size chunks; chunk `c` draws its negatives from a stream
//! seeded from `(randomState, epoch, c)`. Chunks run on a rayon pool and update the shared tables
//! Hogwild-style, except that with more than one thread each worker updates its own copies of
//! the hottest rows and adds its changes to the shared ones after every chunk (`hot_rows`).
//! The random draws therefore never depend on the thread count, and with one thread the
//! result is bit-identical run to run.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::OnceLock;
use std::time::Instant;

use crate::epoch_order::EpochOrder;
use crate::error::{Error, Result};
use crate::examples::Examples;
use crate::hot_rows::{self, Copies, HotSet, Table};
use crate::hyper::{LearningSchedule, Loss};
use crate::loss::{Ctx, Draws, Example, FeatureRows, Scratch};
use crate::model::{block_len, FeatureKind, Model, Side, PARAMS};
use crate::parallel;
use crate::popularity::Popularity;
use crate::positives::Positives;
use crate::progress::Progress;
use crate::regularize::{LazyL2, LocalDecay};
use crate::rng::{Rng, Stream};
use crate::schedule::Optimizer;
use crate::shared::SharedTable;
use crate::sparse::{CooMatrix, CooView, CsrMatrix};

/// Examples per chunk: large enough to amortise scheduling, small enough to balance two
/// threads and to check for cancellation every few milliseconds.
pub const CHUNK: usize = 4096;

/// What to train on.
#[derive(Debug, Clone, Copy)]
pub struct TrainingSet<'a> {
    /// `users x items`; stored entries are examples, their values labels.
    pub interactions: Interactions<'a>,
    /// `users x user features`; identity when `None`.
    pub user_features: Option<&'a CsrMatrix>,
    /// `items x item features`; identity when `None`.
    pub item_features: Option<&'a CsrMatrix>,
    /// One weight per stored interaction of a [`Interactions::Coo`], in the same order
    /// (grouped examples carry their own).
    pub sample_weight: Option<&'a [f32]>,
}

/// The interactions of a [`TrainingSet`]: a COO matrix, which each fit groups by user, or
/// examples grouped once up front (the binding groups the caller's arrays directly).
#[derive(Debug, Clone, Copy)]
pub enum Interactions<'a> {
    Coo(&'a CooMatrix),
    Grouped(&'a Examples),
}

impl<'a> From<&'a CooMatrix> for Interactions<'a> {
    fn from(m: &'a CooMatrix) -> Self {
        Interactions::Coo(m)
    }
}

impl<'a> From<&'a Examples> for Interactions<'a> {
    fn from(e: &'a Examples) -> Self {
        Interactions::Grouped(e)
    }
}

impl Interactions<'_> {
    pub fn shape(&self) -> (usize, usize) {
        match self {
            Interactions::Coo(m) => m.shape(),
            Interactions::Grouped(e) => e.shape(),
        }
    }
}

impl<'a> TrainingSet<'a> {
    /// `interactions` with identity features and no sample weights; set the other fields
    /// with struct update syntax (`TrainingSet { item_features: Some(&f), ..TrainingSet::new(&m) }`).
    pub fn new(interactions: impl Into<Interactions<'a>>) -> Self {
        TrainingSet {
            interactions: interactions.into(),
            user_features: None,
            item_features: None,
            sample_weight: None,
        }
    }

    /// The examples a fit with `loss` reads: grouped here from a COO matrix, or borrowed.
    fn examples(&self, loss: Loss) -> Result<Cow<'a, Examples>> {
        match self.interactions {
            Interactions::Coo(m) => {
                let view = m.view();
                let values = needs_values(loss, &view);
                let mut examples = Examples::new(view, values, self.sample_weight, loss)?;
                examples.sort_for_search();
                Ok(Cow::Owned(examples))
            }
            Interactions::Grouped(_) if self.sample_weight.is_some() => Err(Error::invalid(
                "sampleWeight goes with COO interactions; grouped examples carry their own weights",
            )),
            Interactions::Grouped(e) if e.loss() != loss => Err(Error::invalid(format!(
                "the examples were grouped for the {} loss, but the model's loss is {}",
                e.loss().name(),
                loss.name()
            ))),
            Interactions::Grouped(e) => Ok(Cow::Borrowed(e)),
        }
    }
}

/// Whether a fit with `loss` needs the values of its interactions, or could train on a copy
/// without them ([`Examples::new`], where every value then reads as 1). The pairwise losses only
/// skip entries <= 0 (and k-OS keeps entries > 0), so they need values only when some are
/// <= 0; the others need them unless every value is 1 (implicit feedback).
pub fn needs_values(loss: Loss, interactions: &CooView) -> bool {
    let data = interactions.data();
    if loss.is_pairwise() {
        data.iter().any(|&v| v <= 0.0)
    } else {
        data.iter().any(|&v| v != 1.0)
    }
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    pub epochs: usize,
    pub num_threads: usize,
}

/// Hooks into a running fit. `cancelled` is polled between chunks from worker threads.
pub trait Observer: Sync {
    fn cancelled(&self) -> bool {
        false
    }
    /// A counter the fit keeps up to date: `epochs` steps of one epoch's examples each, to
    /// which every finished chunk adds its examples.
    fn progress(&self) -> Option<&Progress> {
        None
    }
    /// After each epoch (and its validation): `seconds` is the wall time of its training alone.
    fn on_epoch(&self, _epoch: usize, _epochs: usize, _seconds: f64) {}
    /// Called after each finished epoch, before `on_epoch`, with the trained model (e.g. to
    /// validate it); `Control::Stop` ends the fit successfully after this epoch.
    fn after_epoch(&self, _model: &Model, _data: TrainingSet, _epoch: usize) -> Result<Control> {
        Ok(Control::Continue)
    }
}

/// Whether training goes on after an epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Stop,
}

/// An observer that never cancels and ignores progress.
pub struct Quiet;
impl Observer for Quiet {}

/// Feature matrices after defaults and checks: the caller's, borrowed, or the identity.
struct Features<'a> {
    user: Cow<'a, CsrMatrix>,
    item: Cow<'a, CsrMatrix>,
}

fn resolve_features(
    side: Side,
    given: Option<&CsrMatrix>,
    n: usize,
    n_embeddings: Option<usize>,
) -> Result<Cow<'_, CsrMatrix>> {
    let m = match given {
        Some(m) => Cow::Borrowed(m),
        None => Cow::Owned(CsrMatrix::identity(n)?),
    };
    let name = side.name();
    if m.rows() < n {
        return Err(Error::shape(
            format!("{name}Features rows (one per {name} in the interactions)"),
            format!("at least {n}"),
            m.rows(),
        ));
    }
    if let Some(e) = n_embeddings {
        if m.cols() != e {
            return Err(Error::shape(
                format!("{name}Features columns (one per {name} feature embedding of the fitted model; use resize() to add features)"),
                e,
                m.cols(),
            ));
        }
    }
    Ok(m)
}

impl Model {
    /// Fails with `ERR_OUT_OF_MEMORY`, before anything is allocated, when a fit on `shape`
    /// interactions (with feature matrices of `user_cols` / `item_cols` columns, or the
    /// identity when `None`) could not get its largest buffers: the identity matrices, the
    /// grouping by user, the per-item sampling tables and, for a model not yet fitted, its
    /// parameter tables. (A shape made of raw database ids is the usual cause.)
    pub fn check_fit_size(
        &self,
        (n_users, n_items): (usize, usize),
        user_cols: Option<usize>,
        item_cols: Option<usize>,
    ) -> Result<()> {
        const IDENTITY_ROW: u128 = 12;
        const GROUPING_ROW: u128 = 8;
        const SAMPLING_ITEM: u128 = 40;
        let (users, items) = (n_users as u128, n_items as u128);
        let identity = |cols: Option<usize>, n: u128| cols.map_or(n * IDENTITY_ROW, |_| 0);
        let mut bytes = users * GROUPING_ROW
            + items * SAMPLING_ITEM
            + identity(user_cols, users)
            + identity(item_cols, items);
        if !self.is_fitted() {
            let blocks = Optimizer::blocks(self.hyper().learning_schedule) as u128;
            let row = blocks * block_len(self.d()) as u128 * 4;
            let rows =
                user_cols.map_or(users, |c| c as u128) + item_cols.map_or(items, |c| c as u128);
            bytes += rows * row;
        }
        crate::alloc::check("training on interactions of this shape", bytes)
    }

    /// Re-initialises the model and trains it (LightFM's `fit`).
    pub fn fit(&mut self, data: TrainingSet, opts: FitOptions, obs: &dyn Observer) -> Result<()> {
        self.reset();
        self.fit_partial(data, opts, obs)
    }

    /// Trains for `opts.epochs` more epochs, initialising first if needed.
    pub fn fit_partial(
        &mut self,
        data: TrainingSet,
        opts: FitOptions,
        obs: &dyn Observer,
    ) -> Result<()> {
        parallel::check_threads(opts.num_threads)?;
        let (n_users, n_items) = data.interactions.shape();
        let cols = |f: Option<&CsrMatrix>| f.map(CsrMatrix::cols);
        self.check_fit_size(
            (n_users, n_items),
            cols(data.user_features),
            cols(data.item_features),
        )?;
        if self.is_fitted() {
            self.check_features(Side::User, data.user_features)?;
            self.check_features(Side::Item, data.item_features)?;
        }
        let fitted = self
            .is_fitted()
            .then(|| (self.n_features(Side::User), self.n_features(Side::Item)));
        let features = Features {
            user: resolve_features(Side::User, data.user_features, n_users, fitted.map(|f| f.0))?,
            item: resolve_features(Side::Item, data.item_features, n_items, fitted.map(|f| f.1))?,
        };
        let examples = data.examples(self.hyper().loss)?;
        if !self.is_fitted() {
            self.initialize(features.user.cols(), features.item.cols())?;
        }
        let params = self.params_mut().expect("initialised above");
        params.user_kind = FeatureKind::of(data.user_features);
        params.item_kind = FeatureKind::of(data.item_features);
        let plan = Plan::new(self.hyper().loss, &examples);
        let hot = self.hot_rows(&features, &plan, opts.num_threads);
        if let Some(p) = obs.progress() {
            p.begin(opts.epochs, plan.n_examples);
        }
        for e in 0..opts.epochs {
            let start = Instant::now();
            let finished = self.run_epoch(&features, &plan, &hot, obs, opts.num_threads)?;
            let params = self.params_mut().expect("initialised above");
            if !finished {
                return Err(Error::Aborted {
                    completed_epochs: e as u64,
                });
            }
            params.epochs_done += 1;
            // Like LightFM, only parameters count: an overflowed accumulator just stops
            // updating its parameter.
            if !(params.user.all_finite(PARAMS) && params.item.all_finite(PARAMS)) {
                return Err(Error::Diverged {
                    epoch: e as u64 + 1,
                });
            }
            // Timed before validating, so `seconds` is the epoch's training alone.
            let seconds = start.elapsed().as_secs_f64();
            let control = obs.after_epoch(self, data, e + 1)?;
            obs.on_epoch(e + 1, opts.epochs, seconds);
            if control == Control::Stop {
                break;
            }
            if obs.cancelled() && e + 1 < opts.epochs {
                return Err(Error::Aborted {
                    completed_epochs: e as u64 + 1,
                });
            }
        }
        Ok(())
    }

    /// The rows each worker of a fit on `threads` threads copies (see `hot_rows`), if copies
    /// are worth taking at all.
    fn hot_rows(&self, features: &Features, plan: &Plan, threads: usize) -> HotRows {
        let h = self.hyper();
        let decays = LazyL2::new(h.user_alpha, h.item_alpha).active();
        let adds = h.learning_schedule == LearningSchedule::Adagrad && !decays;
        if !hot_rows::worth_copying(plan.n_examples, CHUNK, threads, adds) {
            return [None, None];
        }
        self.choose_hot_rows(features, plan)
    }

    /// The rows most worth copying (see `hot_rows::choose`).
    fn choose_hot_rows(&self, features: &Features, plan: &Plan) -> HotRows {
        let h = self.hyper();
        let params = self.params("training").expect("initialised");
        let threshold = hot_rows::threshold(plan.n_examples, CHUNK);
        let (user_rows, item_rows) = (params.user.rows(), params.item.rows());
        let user_features = FeatureRows::new(&features.user);
        let item_features = FeatureRows::new(&features.item);
        let candidates = [
            hot_rows::candidates(plan.user_writes(), user_features, user_rows, threshold),
            hot_rows::candidates(
                plan.item_writes(h.loss),
                item_features,
                item_rows,
                threshold,
            ),
        ];
        let row_bytes = params.item.blocks() * params.item.block_len() * size_of::<f32>();
        let [u, i] = hot_rows::choose(candidates, row_bytes);
        [HotSet::new(user_rows, u), HotSet::new(item_rows, i)]
    }

    /// One epoch on `threads` threads; returns false if it was cancelled part-way.
    fn run_epoch(
        &self,
        features: &Features,
        plan: &Plan,
        hot: &HotRows,
        obs: &dyn Observer,
        threads: usize,
    ) -> Result<bool> {
        let hyper = self.hyper();
        let params = self.params("training").expect("initialised");
        let epoch = params.epochs_done;
        // The order depends only on the seed and the epoch, so `fit(a + b)` equals `fit(a)`
        // then `fitPartial(b)`.
        let order = EpochOrder::new(
            plan.n_examples,
            hyper.loss,
            params.user.bytes(),
            &mut Rng::for_stream(hyper.random_state, Stream::Shuffle, epoch, 0),
        );
        let reg = LazyL2::new(hyper.user_alpha, hyper.item_alpha);
        let stop = AtomicBool::new(false);
        let progress = obs.progress();
        let base = Ctx {
            hyper,
            opt: Optimizer::new(hyper),
            d: self.d(),
            user: Table::shared(&params.user),
            item: Table::shared(&params.item),
            user_features: FeatureRows::new(&features.user),
            item_features: FeatureRows::new(&features.item),
            n_items: plan.n_items,
            positives: &plan.positives,
            popularity: plan.popularity.as_ref(),
            kos_positives: plan.kos_positives.as_ref(),
            scales: (1.0, 1.0),
        };
        // Each chunk first computes its positions in the order and asks for the lines of its
        // examples (arithmetic and hints only), then gathers the examples into a local buffer,
        // now mostly from cache. The entries sit at random positions: without the hints the
        // gather stalled on a miss every few examples (a tenth of a logistic epoch in perf).
        // Mixing the two passes leaves fewer loads in flight (measured 10-15% slower). Finding
        // an entry's user reads `indptr` at a place the block index gives, so a middle pass,
        // once the block index lines are in, asks for those `indptr` lines too (at 5M users
        // the gather's user search stalled on them).
        let tables = [&params.user, &params.item];
        let run_chunk = |(scratch, positions, examples, copies): &mut Worker, c: usize| {
            if stop.load(Relaxed) || obs.cancelled() {
                stop.store(true, Relaxed);
                return;
            }
            let mut draws = Draws::new(Rng::for_stream(
                hyper.random_state,
                Stream::Chunk,
                epoch,
                c as u64,
            ));
            let mut local = LocalDecay::default();
            positions.clear();
            let slots = c * CHUNK..order.slots().min((c + 1) * CHUNK);
            positions.extend(slots.filter_map(|s| order.get(s)).map(|p| {
                let p = plan.kept.as_ref().map_or(p, |kept| kept[p] as usize);
                plan.examples.prefetch(p);
                p as u32
            }));
            for &p in positions.iter() {
                plan.examples.prefetch_rows(p as usize);
            }
            examples.clear();
            examples.extend(positions.iter().map(|&p| plan.examples.example(p as usize)));
            // The worker's view of the tables is the same for the whole chunk.
            let [user_copies, item_copies] = copies.each_ref().map(Option::as_ref);
            let (user, item) = (base.user.with(user_copies), base.item.with(item_copies));
            let mut guard = reg.enter();
            for (k, ex) in examples.iter().enumerate() {
                let ctx = Ctx {
                    scales: reg.scales(),
                    user,
                    item,
                    ..base
                };
                ctx.prefetch_ahead(examples, k, &mut draws);
                let lr = ctx.step(ex, &mut draws, scratch);
                if reg.active() && reg.record(&mut local, lr) {
                    drop(guard.take());
                    reg.fold(&mut local, &params.user, &params.item);
                    guard = reg.enter();
                }
            }
            for (c, table) in copies.iter_mut().zip(tables) {
                if let Some(c) = c {
                    c.sync(table);
                }
            }
            drop(guard);
            reg.fold(&mut local, &params.user, &params.item);
            if let Some(p) = progress {
                p.add(examples.len());
            }
        };
        let bl = block_len(self.d());
        let worker = || {
            (
                Scratch::new(bl),
                Vec::with_capacity(CHUNK),
                Vec::with_capacity(CHUNK),
                copies(hot, tables),
            )
        };
        let chunks = order.slots().div_ceil(CHUNK);
        parallel::for_each(threads, 0..chunks, worker, run_chunk)?;
        reg.finish(&params.user, &params.item);
        Ok(!stop.load(Relaxed))
    }
}

/// One worker's buffers: loss scratch space, the current chunk's positions and examples, and
/// its copies of each side's hot rows.
type Worker<'a> = (Scratch, Vec<u32>, Vec<Example>, [Option<Copies<'a>>; 2]);

/// Each side's hot rows (user, item), if any.
type HotRows = [Option<HotSet>; 2];

/// A worker's copies of the hot rows of `tables`, taken now. A side whose copies cannot be
/// allocated is shared directly: the same training, only slower.
fn copies<'a>(hot: &'a HotRows, tables: [&SharedTable; 2]) -> [Option<Copies<'a>>; 2] {
    [0, 1].map(|side| {
        let set = hot[side].as_ref()?;
        Copies::new(set, tables[side]).ok()
    })
}

/// Everything an epoch needs that does not change between epochs.
struct Plan<'a> {
    examples: &'a Examples,
    /// Positions of the stored entries that are examples, when not all of them are
    /// (pairwise losses skip entries <= 0).
    kept: Option<Vec<u32>>,
    /// Examples per epoch.
    n_examples: usize,
    n_items: u32,
    positives: Positives<'a>,
    popularity: Option<Popularity>,
    kos_positives: Option<CsrMatrix>,
    /// Stored entries per item, counted once: BPR's popularity table and the hot-row choice
    /// both read them.
    item_counts: OnceLock<Vec<u32>>,
}

impl<'a> Plan<'a> {
    /// How often an epoch writes each user's rows, about: once per example.
    fn user_writes(&self) -> impl Iterator<Item = f32> + '_ {
        self.examples
            .indptr()
            .windows(2)
            .map(|w| (w[1] - w[0]) as f32)
    }

    /// How often an epoch writes each item's rows, about: once per example as the positive,
    /// plus its share of negatives (BPR draws them like positives, WARP and k-OS uniformly).
    fn item_writes(&self, loss: Loss) -> impl Iterator<Item = f32> + '_ {
        let uniform = match loss {
            Loss::Warp | Loss::WarpKos => self.n_examples as f32 / self.n_items.max(1) as f32,
            _ => 0.0,
        };
        let as_positive = if loss == Loss::Bpr { 2.0 } else { 1.0 };
        let counts = self.item_counts().iter();
        counts.map(move |&c| c as f32 * as_positive + uniform)
    }

    fn item_counts(&self) -> &[u32] {
        self.item_counts.get_or_init(|| self.examples.item_counts())
    }

    fn new(loss: Loss, examples: &'a Examples) -> Self {
        let skips = loss.is_pairwise() && loss != Loss::WarpKos;
        let kept = (skips && (0..examples.len()).any(|p| examples.value(p) <= 0.0)).then(|| {
            (0..examples.len() as u32)
                .filter(|&p| examples.value(p as usize) > 0.0)
                .collect::<Vec<_>>()
        });
        let n_examples = kept.as_ref().map_or(examples.len(), Vec::len);
        // Only the pairwise losses ask "is this item the user's?".
        let positives = if loss.is_pairwise() {
            Positives::new(examples)
        } else {
            Positives::empty()
        };
        let kos_positives = (loss == Loss::WarpKos).then(|| examples.positive_part());
        let mut plan = Plan {
            examples,
            kept,
            n_examples,
            n_items: examples.shape().1 as u32,
            positives,
            popularity: None,
            kos_positives,
            item_counts: OnceLock::new(),
        };
        if loss == Loss::Bpr {
            plan.popularity = Popularity::new(plan.item_counts());
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hyper::Hyperparameters;

    #[test]
    fn the_most_written_rows_are_copied() {
        // 50 users x 10 items, every pair an example: a WARP epoch writes each item row about
        // 100 times (50 as the positive, 50 as a negative) and each user row 10 times.
        let (rows, cols) = (0..500u32).map(|k| (k / 10, k % 10)).unzip();
        let coo = CooMatrix::new(50, 10, rows, cols, vec![1.0; 500]).unwrap();
        let features = Features {
            user: Cow::Owned(CsrMatrix::identity(50).unwrap()),
            item: Cow::Owned(CsrMatrix::identity(10).unwrap()),
        };
        let hyper = Hyperparameters {
            loss: Loss::Warp,
            ..Default::default()
        };
        let mut model = Model::new(hyper).unwrap();
        let set = TrainingSet::new(&coo);
        let opts = FitOptions {
            epochs: 1,
            num_threads: 2,
        };
        model.fit(set, opts, &Quiet).unwrap();
        let examples = set.examples(Loss::Warp).unwrap();
        let plan = Plan::new(Loss::Warp, &examples);
        // Too short an epoch to copy anything; the choice itself takes every item.
        assert!(model
            .hot_rows(&features, &plan, 2)
            .iter()
            .all(Option::is_none));
        let hot = model.choose_hot_rows(&features, &plan);
        assert_eq!(hot.map(|s| s.map(|s| s.len())), [None, Some(10)]);
    }
}
