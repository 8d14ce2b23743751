//! What sound storage costs: one single-threaded BPR or WARP epoch over the synthetic
//! MovieLens-1M-shaped set with identity features, written twice over the same kernel:
//!
//! - `atomic`: parameters in the core's `SharedTable` (two `f32` per relaxed `AtomicU64`);
//!   rows are read into local buffers and updated in place through the atomics, as the core
//!   does;
//! - `plain-f32`: parameters in a plain `Vec<f32>` updated in place. Sound here only because
//!   it is single-threaded; a multi-threaded version would be a data race. Benchmark-only,
//!   never shipped.
//!
//! Both use the core's `Optimizer::step` and `Rng`, the same row layout and the same draws,
//! so the ratio between them is the price of the atomic row transfers. `core-fit` is the
//! real `fit_partial` (one epoch, one thread) for reference: a gap between it and `atomic`
//! is overhead of the core outside the kernel.
//!
//! `cargo bench -p lightfm-core --bench storage`

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use lightfm_core::model::PARAMS;
use lightfm_core::rng::{Rng, Stream};
use lightfm_core::schedule::Optimizer;
use lightfm_core::shared::SharedTable;
use lightfm_core::{FitOptions, Hyperparameters, Loss, Model, Quiet, Side, TrainingSet};

use common::Synthetic;

/// Row access the kernel needs; the two implementations are the only difference measured.
trait Storage {
    /// Copies the parameter block (embedding + bias) of `row` into `out`.
    fn read(&self, row: usize, out: &mut [f32]);
    /// One adagrad step with `grad` on the first `w` lanes of `row`.
    fn step(&mut self, opt: &Optimizer, row: usize, grad: &[f32], w: usize);
}

/// The core's storage, used the way `loss::Ctx::update_rows` uses it.
struct Atomic(SharedTable);

impl Storage for Atomic {
    fn read(&self, row: usize, out: &mut [f32]) {
        self.0.load(row, PARAMS, out);
    }
    fn step(&mut self, opt: &Optimizer, row: usize, grad: &[f32], w: usize) {
        opt.step((&self.0, row), grad, 1.0, 0.0, 1.0, w);
    }
}

/// Plain `f32` rows `[params | accumulator]`, updated in place.
struct Plain {
    values: Vec<f32>,
    block_len: usize,
}

impl Storage for Plain {
    fn read(&self, row: usize, out: &mut [f32]) {
        let start = row * 2 * self.block_len;
        out.copy_from_slice(&self.values[start..start + self.block_len]);
    }
    fn step(&mut self, opt: &Optimizer, row: usize, grad: &[f32], w: usize) {
        let start = row * 2 * self.block_len;
        let (param, acc) =
            self.values[start..start + 2 * self.block_len].split_at_mut(self.block_len);
        opt.step([param, acc, &mut []], grad, 1.0, 0.0, 1.0, w);
    }
}

/// Eight independent sums so LLVM vectorises without reassociating (as the core's `dot`).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let tail = a.len() - a.len() % 8;
    let rest: f32 = a[tail..].iter().zip(&b[tail..]).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + rest
}

/// One epoch's worth of state for the mirrored BPR / WARP steps (identity features,
/// adagrad, no regularisation).
struct Kernel<'a, S> {
    loss: Loss,
    opt: Optimizer,
    d: usize,
    n_items: u32,
    /// users x items membership bits.
    positives: &'a [u64],
    /// BPR negatives: the items of all stored entries (popularity-weighted).
    pool: &'a [u32],
    user: S,
    item: S,
    u: Vec<f32>,
    p: Vec<f32>,
    n: Vec<f32>,
    grad: Vec<f32>,
}

impl<S: Storage> Kernel<'_, S> {
    fn is_positive(&self, user: u32, item: u32) -> bool {
        let bit = user as usize * self.n_items as usize + item as usize;
        self.positives[bit / 64] >> (bit % 64) & 1 == 1
    }

    fn score(&self, a: &[f32], b: &[f32]) -> f32 {
        dot(&a[..self.d], &b[..self.d]) + a[self.d] + b[self.d]
    }

    /// Adagrad on one row with `self.grad`.
    fn apply(&mut self, item_side: bool, row: u32) {
        let table = if item_side {
            &mut self.item
        } else {
            &mut self.user
        };
        table.step(&self.opt, row as usize, &self.grad, self.d + 1);
    }

    /// The pairwise update of `loss::Ctx::apply_pairwise` with loss weight `l`.
    fn pairwise(&mut self, user: u32, pos: u32, neg: u32, l: f32) {
        let d = self.d;
        // positive item: ∂/∂q = -l p_u, ∂/∂b = -l
        (0..d).for_each(|c| self.grad[c] = -l * self.u[c]);
        self.grad[d] = -l;
        self.apply(true, pos);
        // negative item: ∂/∂q = +l p_u, ∂/∂b = +l
        (0..d).for_each(|c| self.grad[c] = l * self.u[c]);
        self.grad[d] = l;
        self.apply(true, neg);
        // user: ∂/∂p = l (q_neg - q_pos); no bias gradient
        (0..d).for_each(|c| self.grad[c] = l * (self.n[c] - self.p[c]));
        self.grad[d] = 0.0;
        self.apply(false, user);
    }

    fn bpr(&mut self, user: u32, pos: u32, rng: &mut Rng) {
        let Some(neg) = (0..self.pool.len().min(1000))
            .map(|_| self.pool[rng.below_usize(self.pool.len())])
            .find(|&j| !self.is_positive(user, j))
        else {
            return;
        };
        self.user.read(user as usize, &mut self.u);
        self.item.read(pos as usize, &mut self.p);
        self.item.read(neg as usize, &mut self.n);
        let x = self.score(&self.u, &self.p) - self.score(&self.u, &self.n);
        let l = (1.0 - 1.0 / (1.0 + (-f64::from(x)).exp())) as f32;
        self.pairwise(user, pos, neg, l);
    }

    fn warp(&mut self, user: u32, pos: u32, rng: &mut Rng) {
        self.user.read(user as usize, &mut self.u);
        self.item.read(pos as usize, &mut self.p);
        let sp = self.score(&self.u, &self.p);
        for sampled in 1..=10usize {
            let neg = rng.below(self.n_items);
            self.item.read(neg as usize, &mut self.n);
            if self.score(&self.u, &self.n) > sp - 1.0 {
                if self.is_positive(user, neg) {
                    continue;
                }
                let rank = ((self.n_items as usize - 1) / sampled).max(1);
                let l = (rank as f32).ln().min(10.0);
                self.pairwise(user, pos, neg, l);
                return;
            }
        }
    }

    fn epoch(mut self, order: &[(u32, u32)]) -> Self {
        let mut rng = Rng::for_stream(42, Stream::Chunk, 0, 0);
        for &(user, item) in order {
            match self.loss {
                Loss::Bpr => self.bpr(user, item, &mut rng),
                _ => self.warp(user, item, &mut rng),
            }
        }
        self
    }
}

/// Everything both variants share: data, initial parameters, visiting order.
struct Setup {
    set: Synthetic,
    positives: Vec<u64>,
    order: Vec<(u32, u32)>,
}

impl Setup {
    fn new() -> Self {
        let set = Synthetic::generate();
        let items = common::ITEMS;
        let mut positives = vec![0u64; (common::USERS * items).div_ceil(64)];
        let (rows, cols) = set.pairs();
        for (&u, &i) in rows.iter().zip(cols) {
            let bit = u as usize * items + i as usize;
            positives[bit / 64] |= 1 << (bit % 64);
        }
        let mut order: Vec<(u32, u32)> = rows.iter().copied().zip(cols.iter().copied()).collect();
        Rng::for_stream(42, Stream::Shuffle, 0, 0).shuffle(&mut order);
        Setup {
            set,
            positives,
            order,
        }
    }

    fn training_set(&self) -> TrainingSet<'_> {
        TrainingSet::new(&self.set.interactions)
    }

    fn kernel<S>(&self, model: &Model, wrap: impl Fn(&SharedTable) -> S) -> Kernel<'_, S> {
        let hyper = model.hyper();
        let bl = lightfm_core::model::block_len(hyper.no_components);
        let buf = || vec![0.0; bl];
        Kernel {
            loss: hyper.loss,
            opt: Optimizer::new(hyper),
            d: hyper.no_components,
            n_items: common::ITEMS as u32,
            positives: &self.positives,
            pool: self.set.interactions.col(),
            user: wrap(model.table(Side::User).expect("initialised")),
            item: wrap(model.table(Side::Item).expect("initialised")),
            u: buf(),
            p: buf(),
            n: buf(),
            grad: buf(),
        }
    }
}

fn storage(c: &mut Criterion) {
    let setup = Setup::new();
    let mut group = c.benchmark_group("storage");
    group.sampling_mode(common::SAMPLING);
    group.throughput(Throughput::Elements(setup.order.len() as u64));
    for loss in [Loss::Bpr, Loss::Warp] {
        for &d in common::components().iter().filter(|&&d| d <= 64) {
            let hyper = Hyperparameters {
                loss,
                no_components: d,
                random_state: 42,
                ..Default::default()
            };
            let mut model = Model::new(hyper).expect("valid");
            let opts = |epochs| FitOptions {
                epochs,
                num_threads: 1,
            };
            model
                .fit(setup.training_set(), opts(0), &Quiet)
                .expect("initialises");
            let name = format!("{}/d{d}", loss.name());
            let block_len = lightfm_core::model::block_len(d);
            group.bench_function(BenchmarkId::new(name.clone(), "plain-f32"), |b| {
                b.iter_batched(
                    || {
                        setup.kernel(&model, |t| Plain {
                            values: t.to_vec(),
                            block_len,
                        })
                    },
                    |k| k.epoch(&setup.order),
                    BatchSize::PerIteration,
                );
            });
            group.bench_function(BenchmarkId::new(name.clone(), "atomic"), |b| {
                b.iter_batched(
                    || setup.kernel(&model, |t| Atomic(t.clone())),
                    |k| k.epoch(&setup.order),
                    BatchSize::PerIteration,
                );
            });
            group.bench_function(BenchmarkId::new(name, "core-fit"), |b| {
                b.iter_batched(
                    || model.clone(),
                    |mut m| m.fit_partial(setup.training_set(), opts(1), &Quiet),
                    BatchSize::PerIteration,
                );
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = storage
}
criterion_main!(benches);
