//! Training throughput: one epoch of `fit_partial` over the synthetic MovieLens-1M-shaped
//! set (1M interactions), per loss, embedding size and thread count, with identity item
//! features, and for BPR, WARP and logistic at 32 and 64 components also with five active
//! features per item.
//!
//! Each iteration trains one epoch from the same freshly initialised model, so every loss
//! is measured on its first epoch (WARP slows down as the model fits). Throughput is in
//! training examples per second.
//!
//! `cargo bench -p lightfm-core --bench train [-- FILTER]`, e.g. `-- warp/d64`;
//! `LIGHTFM_BENCH_QUICK=1` for the short run.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use lightfm_core::{FitOptions, Hyperparameters, Loss, Model, Quiet, TrainingSet};

use common::Synthetic;

/// A model initialised for `data` (a zero-epoch fit), ready to be cloned per iteration.
fn initialised(hyper: Hyperparameters, data: TrainingSet) -> Model {
    let mut model = Model::new(hyper).expect("valid hyperparameters");
    let opts = FitOptions {
        epochs: 0,
        num_threads: 1,
    };
    model.fit(data, opts, &Quiet).expect("initialises");
    model
}

fn train(c: &mut Criterion) {
    let set = Synthetic::generate();
    let mut group = c.benchmark_group("train");
    group.sampling_mode(common::SAMPLING);
    group.throughput(Throughput::Elements(set.interactions.nnz() as u64));
    let feature_sets = [("identity", None), ("5-features", Some(&set.item_features))];
    for (features, item_features) in feature_sets {
        if common::quick() && item_features.is_some() {
            continue;
        }
        let data = TrainingSet {
            item_features,
            ..TrainingSet::new(&set.interactions)
        };
        // The hybrid grid keeps the three main losses so the whole suite stays short.
        let losses = common::losses().iter().filter(|&&loss| {
            item_features.is_none() || matches!(loss, Loss::Bpr | Loss::Warp | Loss::Logistic)
        });
        for &loss in losses {
            // Hybrid at 128 components adds minutes and little information.
            let sizes = common::components()
                .iter()
                .filter(|&&d| item_features.is_none() || d <= 64);
            for &d in sizes {
                let hyper = Hyperparameters {
                    loss,
                    no_components: d,
                    random_state: 42,
                    ..Default::default()
                };
                let model = initialised(hyper, data);
                for threads in [1, 2] {
                    let id = BenchmarkId::new(
                        format!("{}/d{d}/{features}", loss.name()),
                        format!("t{threads}"),
                    );
                    let opts = FitOptions {
                        epochs: 1,
                        num_threads: threads,
                    };
                    group.bench_function(id, |b| {
                        b.iter_batched(
                            || model.clone(),
                            |mut m| m.fit_partial(data, opts, &Quiet).expect("trains"),
                            BatchSize::PerIteration,
                        );
                    });
                }
            }
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = train
}
criterion_main!(benches);
