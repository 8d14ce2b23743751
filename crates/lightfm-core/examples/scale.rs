//! Training throughput where the tables outgrow every cache: power-law interactions between
//! millions of users and a million items, generated in memory (no files).
//!
//! `cargo run --release -p lightfm-core --example scale -- [users] [items] [interactions] [losses] [threads] [epochs]`
//! (defaults: 5M users, 1M items, 10M interactions, warp, 2 threads, 1 epoch). The per-example
//! cost is set by the table sizes, not the number of interactions, so 10M interactions over
//! the 100M set's 5M x 1M tables measure what a 100M epoch pays per example, in a tenth of
//! the time.

use std::time::Instant;

use lightfm_core::{
    CooMatrix, Examples, FitOptions, Hyperparameters, Loss, Model, Quiet, Side, TrainingSet,
};

/// splitmix64: a well-mixed hash, used as a tiny seeded generator.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform draw in [0, 1) from the `k`-th hash of `seed`.
fn unit(seed: u64, k: u64) -> f64 {
    (mix(seed ^ mix(k)) >> 11) as f64 / (1u64 << 53) as f64
}

/// `n` interactions: users uniform, items by a continuous power law of exponent 0.8 over
/// popularity ranks, ranks scattered over the ids (popular items are not adjacent in memory).
fn generate(users: u32, items: u32, n: usize) -> CooMatrix {
    let s = 0.8_f64;
    let top = f64::from(items).powf(1.0 - s) - 1.0;
    let (mut rows, mut cols) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for k in 0..n as u64 {
        rows.push((unit(1, k) * f64::from(users)) as u32);
        let rank = (1.0 + unit(2, k) * top).powf(1.0 / (1.0 - s)) as u64 - 1;
        cols.push((mix(rank) % u64::from(items)) as u32);
    }
    CooMatrix::new(users as usize, items as usize, rows, cols, vec![1.0; n]).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: usize, default: &str| args.get(k).cloned().unwrap_or(default.to_string());
    let users: u32 = arg(1, "5000000").parse().unwrap();
    let items: u32 = arg(2, "1000000").parse().unwrap();
    let n: usize = arg(3, "10000000").parse().unwrap();
    let losses = arg(4, "warp");
    let threads: usize = arg(5, "2").parse().unwrap();
    let epochs: usize = arg(6, "1").parse().unwrap();
    let start = Instant::now();
    let coo = generate(users, items, n);
    eprintln!(
        "generated {n} interactions in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    for loss in losses.split(',') {
        let loss = Loss::parse(loss).unwrap();
        // Grouped once, outside the timing, as the binding does.
        let mut examples = Examples::new(coo.view(), false, None, loss).unwrap();
        examples.sort_for_search();
        let set = TrainingSet::new(&examples);
        let h = Hyperparameters {
            loss,
            no_components: 64,
            random_state: 1,
            ..Default::default()
        };
        let mut m = Model::new(h).unwrap();
        let opts = |epochs| FitOptions {
            epochs,
            num_threads: threads,
        };
        let start = Instant::now();
        m.fit(set, opts(0), &Quiet).unwrap();
        let init = start.elapsed().as_secs_f64();
        let start = Instant::now();
        m.fit_partial(set, opts(epochs), &Quiet).unwrap();
        let secs = start.elapsed().as_secs_f64();
        let rate = (epochs * n) as f64 / secs / 1e6;
        // A fingerprint of the trained parameters (FINGERPRINT=1): with one thread it must not
        // change when only the memory access changes.
        let fingerprint = std::env::var_os("FINGERPRINT").map_or(0, |_| fingerprint(&m));
        println!("{} threads={threads}: {rate:.3} M samples/s ({secs:.1} s for {epochs} epoch(s), init {init:.1} s, parameters {fingerprint:016x})", loss.name());
    }
}

fn fingerprint(m: &Model) -> u64 {
    [Side::User, Side::Item]
        .iter()
        .flat_map(|&side| {
            let state = m.side_state(side).unwrap();
            [state.embeddings, state.biases, state.embedding_gradients]
        })
        .flatten()
        .fold(0u64, |h, v| mix(h ^ u64::from(v.to_bits())))
}
