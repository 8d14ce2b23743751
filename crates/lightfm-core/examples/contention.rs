//! Two-thread scaling on the benchmark's 10M set, next to a probe of what moving a cache line
//! between the two cores costs at that moment.
//!
//! `cargo run --release -p lightfm-core --example contention -- benchmarks/.cache/data/synthetic10m [loss] [rounds] [max examples] [identity]`
//!
//! The folder is the one `pnpm bench` prepares; `identity` trains without its item features.
//! Each round prints the probe, one epoch on a fresh model at 1 and at 2 threads, and the probe
//! again. Hogwild threads write the same hot rows (here the 1,000 tag features), so the 2-thread
//! epoch slows down when the host places the two vCPUs where line transfers are dear; the probe
//! shows when that is the case, though only at the ends of a round.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use lightfm_core::{
    needs_values, CooMatrix, CsrMatrix, Examples, FitOptions, Hyperparameters, Loss, Model, Quiet,
    TrainingSet,
};

/// Lines in the probe's table: as many as the benchmark's tag features.
const PROBE_LINES: u64 = 1000;
/// Words per 64-byte line.
const WORDS_PER_LINE: u64 = 8;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .expect("usage: contention DIR [loss] [rounds] [max examples] [identity]");
    let loss = Loss::parse(args.get(2).map_or("warp", String::as_str)).expect("a loss name");
    let rounds: usize = args.get(3).map_or(5, |s| s.parse().expect("rounds"));
    let limit: usize = args
        .get(4)
        .map_or(usize::MAX, |s| s.parse().expect("max examples"));

    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/meta.json")).unwrap())
            .unwrap();
    let count = |key: &str| meta[key].as_u64().unwrap() as usize;
    let (mut rows, mut cols) = (
        read_u32(dir, "train_row.i32"),
        read_u32(dir, "train_col.i32"),
    );
    rows.truncate(limit);
    cols.truncate(limit);
    let n = rows.len();
    let interactions =
        CooMatrix::new(count("users"), count("items"), rows, cols, vec![1.0; n]).unwrap();
    let with_tags = args.get(5).is_none_or(|a| a != "identity");
    let item_features = meta["itemFeatures"]["cols"]
        .as_u64()
        .filter(|_| with_tags)
        .map(|n_features| {
            CsrMatrix::new(
                count("items"),
                n_features as usize,
                read_u32(dir, "item_indptr.i32"),
                read_u32(dir, "item_indices.i32"),
                read_words(dir, "item_data.f32", f32::from_le_bytes),
            )
            .unwrap()
        });

    // Grouped once, so that the timed epochs are training alone.
    let view = interactions.view();
    let mut examples = Examples::new(view, needs_values(loss, &view), None, loss).unwrap();
    examples.sort_for_search();
    let set = TrainingSet {
        item_features: item_features.as_ref(),
        ..TrainingSet::new(&examples)
    };

    let features = if item_features.is_some() {
        "item features"
    } else {
        "identity features"
    };
    println!(
        "{n} examples, {} loss, {features}; probe: ns per load+store of a shared line, 2 threads",
        loss.name()
    );
    for _ in 0..rounds {
        let before = probe();
        let seconds = [1, 2].map(|threads| epoch_seconds(set, loss, threads));
        println!(
            "probe {before:5.1} | 1 thread {:6.2} s | 2 threads {:6.2} s | speed-up {:.2}x | probe {:5.1}",
            seconds[0],
            seconds[1],
            seconds[0] / seconds[1],
            probe()
        );
    }
}

/// A little-endian `i32` file of the benchmark cache, as `u32`.
fn read_u32(dir: &str, name: &str) -> Vec<u32> {
    read_words(dir, name, u32::from_le_bytes)
}

/// A file of the benchmark cache as 4-byte little-endian words, each decoded by `decode`.
fn read_words<T>(dir: &str, name: &str, decode: fn([u8; 4]) -> T) -> Vec<T> {
    let bytes =
        std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{dir}/{name}: {e}"));
    bytes
        .as_chunks::<4>()
        .0
        .iter()
        .map(|&word| decode(word))
        .collect()
}

/// Wall seconds of one epoch on a fresh model.
fn epoch_seconds(set: TrainingSet, loss: Loss, threads: usize) -> f64 {
    let hyper = Hyperparameters {
        loss,
        no_components: 64,
        random_state: 42,
        ..Default::default()
    };
    let mut model = Model::new(hyper).unwrap();
    let start = Instant::now();
    let opts = FitOptions {
        epochs: 1,
        num_threads: threads,
    };
    model.fit(set, opts, &Quiet).unwrap();
    start.elapsed().as_secs_f64()
}

/// Nanoseconds per operation while two threads each read and rewrite random lines of one
/// shared table, as Hogwild threads do with hot rows. About 4 when the two vCPUs sit close
/// together; several times that when every transfer crosses the host's farther links.
fn probe() -> f64 {
    const OPS: u64 = 5_000_000;
    let table: Vec<AtomicU64> = (0..PROBE_LINES * WORDS_PER_LINE)
        .map(|_| AtomicU64::new(0))
        .collect();
    let hammer = |mut x: u64| {
        for _ in 0..OPS {
            // xorshift64: cheap and dependency-free; any spread over the lines will do.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let word = &table[((x % PROBE_LINES) * WORDS_PER_LINE) as usize];
            word.store(word.load(Relaxed).wrapping_add(1), Relaxed);
        }
    };
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| hammer(0x9E37_79B9_7F4A_7C15));
        hammer(0x2545_F491_4F6C_DD1D);
    });
    start.elapsed().as_secs_f64() / OPS as f64 * 1e9
}
