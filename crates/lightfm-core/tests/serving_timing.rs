//! Timing of `recommend` (top-10 for every user, 64 components): MovieLens 100k (through
//! `LIGHTFM_DATA_HOME`) and a 6,000 x 3,700, 1M-interaction synthetic set, 1 and 2 threads.
//!
//! `cargo test -p lightfm-core --test serving_timing -- --ignored --nocapture`
//! (the test profile builds the core with opt-level 3).

mod common;

use std::time::Instant;

use common::Lcg;
use lightfm_core::{
    CooMatrix, FitOptions, Hyperparameters, Loss, Model, Quiet, RecommendOptions, TrainingSet,
};

/// CPU time of the whole process (all threads), from /proc; shows the work done even
/// when other processes compete for the cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields 14 and 15 (utime, stime) follow the ")" that ends the command name.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

fn movielens() -> Option<CooMatrix> {
    let home = std::env::var("LIGHTFM_DATA_HOME").ok()?;
    let text = std::fs::read_to_string(format!("{home}/movielens100k/ml-100k/u.data")).ok()?;
    let (mut r, mut c) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let f: Vec<u32> = line
            .split('\t')
            .take(2)
            .map(|v| v.parse().unwrap())
            .collect();
        r.push(f[0] - 1);
        c.push(f[1] - 1);
    }
    let n = r.len();
    Some(CooMatrix::new(943, 1682, r, c, vec![1.0; n]).unwrap())
}

/// 1M interactions over 6,000 users and 3,700 items with a skewed item popularity.
fn synthetic() -> CooMatrix {
    let mut rng = Lcg(77);
    let (mut r, mut c) = (Vec::with_capacity(1_000_000), Vec::with_capacity(1_000_000));
    for _ in 0..1_000_000 {
        r.push(rng.below(6000));
        let u = rng.unit().max(1e-6);
        c.push(((u * u) * 3700.0) as u32 % 3700);
    }
    CooMatrix::new(6000, 3700, r, c, vec![1.0; 1_000_000]).unwrap()
}

fn time(name: &str, data: &CooMatrix) {
    let mut m = Model::new(Hyperparameters {
        loss: Loss::Warp,
        no_components: 64,
        random_state: 1,
        ..Default::default()
    })
    .unwrap();
    let set = TrainingSet::new(data);
    let fit = FitOptions {
        epochs: 1,
        num_threads: 2,
    };
    m.fit(set, fit, &Quiet).unwrap();
    let train = data.to_csr();
    let users: Vec<u32> = (0..data.shape().0 as u32).collect();
    for threads in [1, 2] {
        for exclude in [None, Some(train.view())] {
            let o = RecommendOptions {
                k: 10,
                exclude,
                items: None,
                user_features: None,
                item_features: None,
                num_threads: threads,
            };
            m.recommend(&users, &o).unwrap(); // warm-up
            let runs = 10;
            let (mut wall, cpu0) = (f64::INFINITY, cpu_seconds());
            for _ in 0..runs {
                let t = Instant::now();
                let top = m.recommend(&users, &o).unwrap();
                wall = wall.min(t.elapsed().as_secs_f64());
                assert_eq!(top.ids.len(), users.len() * 10);
            }
            let cpu = (cpu_seconds() - cpu0) / f64::from(runs);
            println!(
                "{name}: {} users x {} items, d=64, top-10, {threads} thread(s), exclude train: {}: wall (best of {runs}) {:.1} ms, cpu (mean) {:.1} ms",
                users.len(),
                data.shape().1,
                exclude.is_some(),
                wall * 1e3,
                cpu * 1e3,
            );
        }
    }
}

#[test]
#[ignore = "timing; run with --ignored --nocapture"]
fn recommend_timing() {
    match movielens() {
        Some(ml) => time("MovieLens 100k", &ml),
        None => println!("MovieLens 100k skipped: set LIGHTFM_DATA_HOME to time it"),
    }
    time("synthetic 1M", &synthetic());
}
