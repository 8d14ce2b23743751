//! The evaluation pass: precision@10 + AUC + NDCG@10 over every test user of a 64-component
//! WARP model, train items excluded, 1 and 2 threads, on
//!
//! - MovieLens 100k (`ua.base` / `ua.test`, 943 x 1682; needs `LIGHTFM_DATA_HOME`), the
//!   data of LightFM's reference timing (`precision_at_k` + `auc_score`, about 0.045 s each
//!   at 64 components and 2 threads);
//! - the synthetic 1M-interaction MovieLens-1M-shaped set (6040 x 3706), 10% held out.
//!
//! `cargo bench -p lightfm-core --bench evaluate`

mod common;

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lightfm_core::metrics::{EvalOptions, Metric};
use lightfm_core::{CooMatrix, CsrMatrix};

/// `ua.base` / `ua.test` with every rating kept (LightFM's `fetch_movielens`).
fn movielens() -> Option<(CooMatrix, CsrMatrix)> {
    let dir = PathBuf::from(std::env::var_os("LIGHTFM_DATA_HOME")?).join("movielens100k/ml-100k");
    let read = |name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        let (mut r, mut c, mut v) = (vec![], vec![], vec![]);
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            r.push(f[0].parse::<u32>().ok()? - 1);
            c.push(f[1].parse::<u32>().ok()? - 1);
            v.push(f[2].parse::<f32>().ok()?);
        }
        CooMatrix::new(943, 1682, r, c, v).ok()
    };
    Some((read("ua.base")?, read("ua.test")?.to_csr()))
}

fn bench_set(c: &mut Criterion, name: &str, train: &CooMatrix, test: &CsrMatrix) {
    let m = common::trained_warp(train);
    let train = train.to_csr();
    let mut group = c.benchmark_group(format!("evaluate/{name}"));
    group.sampling_mode(common::SAMPLING);
    for threads in [1, 2] {
        let opts = EvalOptions {
            metrics: vec![Metric::Precision, Metric::Auc, Metric::Ndcg],
            k: 10,
            num_threads: threads,
            ..EvalOptions::default()
        };
        let id = BenchmarkId::new("p10+auc+ndcg10", format!("t{threads}"));
        group.bench_function(id, |b| {
            b.iter(|| {
                m.evaluate(test, Some(&train), None, None, &opts)
                    .expect("evaluates")
            });
        });
    }
    group.finish();
}

fn evaluate(c: &mut Criterion) {
    match movielens() {
        Some((train, test)) => bench_set(c, "ml100k", &train, &test),
        None => eprintln!(
            "evaluate/ml100k skipped: set LIGHTFM_DATA_HOME to a folder with movielens100k/ml-100k/"
        ),
    }
    let set = common::Synthetic::generate();
    let (train, test) = common::split(&set.interactions, 0.1);
    bench_set(c, "synthetic-1m", &train, &test.to_csr());
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = evaluate
}
criterion_main!(benches);
