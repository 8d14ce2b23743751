//! Inference on a 64-component model trained for one epoch on 90% of the synthetic
//! MovieLens-1M-shaped set (6040 users x 3706 items), 1 and 2 threads:
//!
//! - `predict`: the scores of all 1M stored pairs;
//! - `predict_rank`: LightFM's ranks of the 10% test split among all items, train items
//!   excluded (what LightFM's evaluation functions are built on);
//! - `recommend`: the top 10 unseen items of every user (train items excluded).
//!
//! The one-pass evaluation has its own bench (`evaluate`).
//!
//! `cargo bench -p lightfm-core --bench predict`

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lightfm_core::RecommendOptions;

use common::Synthetic;

fn predict(c: &mut Criterion) {
    let set = Synthetic::generate();
    let (train_coo, test) = common::split(&set.interactions, 0.1);
    let (train, test) = (train_coo.to_csr(), test.to_csr());
    let model = common::trained_warp(&train_coo);

    let mut group = c.benchmark_group("predict");
    group.sampling_mode(common::SAMPLING);
    let (users, items) = set.pairs();
    group.throughput(Throughput::Elements(users.len() as u64));
    for threads in [1, 2] {
        group.bench_function(BenchmarkId::new("pairs-1M", format!("t{threads}")), |b| {
            b.iter(|| {
                model
                    .predict(users, items, None, None, threads)
                    .expect("predicts")
            });
        });
    }
    // Throughput in users ranked.
    group.throughput(Throughput::Elements(common::USERS as u64));
    for threads in [1, 2] {
        let id = BenchmarkId::new("rank-test-split", format!("t{threads}"));
        group.bench_function(id, |b| {
            b.iter(|| {
                model
                    .predict_rank(&test, Some(&train), None, None, threads, true)
                    .expect("ranks")
            });
        });
    }
    let all_users: Vec<u32> = (0..common::USERS as u32).collect();
    for threads in [1, 2] {
        let opts = RecommendOptions {
            k: 10,
            exclude: Some(train.view()),
            items: None,
            user_features: None,
            item_features: None,
            num_threads: threads,
        };
        let id = BenchmarkId::new("recommend-top10-all-users", format!("t{threads}"));
        group.bench_function(id, |b| {
            b.iter(|| model.recommend(&all_users, &opts).expect("recommends"));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = predict
}
criterion_main!(benches);
