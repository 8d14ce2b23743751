//! Training throughput on the MovieLens-1M-shaped table (every rating a positive).
//!
//! `LIGHTFM_DATA_HOME=../shared/data cargo run --release -p lightfm-core --example throughput -- [d] [losses] [threads] [max rows]`

use std::time::Instant;

use lightfm_core::{CooMatrix, FitOptions, Hyperparameters, Loss, Model, Quiet, TrainingSet};

fn main() {
    let home = std::env::var("LIGHTFM_DATA_HOME").expect("set LIGHTFM_DATA_HOME");
    let args: Vec<String> = std::env::args().collect();
    let d: usize = args.get(1).map_or(64, |s| s.parse().unwrap());
    let losses = args
        .get(2)
        .map_or("logistic,bpr,warp,warp-kos", String::as_str);
    let threads: Vec<usize> = args.get(3).map_or(vec![1, 2], |s| {
        s.split(',').map(|t| t.parse().unwrap()).collect()
    });
    let limit: usize = args.get(4).map_or(usize::MAX, |s| s.parse().unwrap());
    let text = std::fs::read_to_string(format!("{home}/bench/ml1m-shaped-ratings.tsv")).unwrap();
    let (mut r, mut c) = (vec![], vec![]);
    for line in text.lines().take(limit) {
        let mut f = line.split('\t');
        r.push(f.next().unwrap().parse::<u32>().unwrap() - 1);
        c.push(f.next().unwrap().parse::<u32>().unwrap() - 1);
    }
    let n = r.len();
    let coo = CooMatrix::new(6040, 3706, r, c, vec![1.0; n]).unwrap();
    let set = TrainingSet::new(&coo);
    let reps: usize = std::env::var("REPS").map_or(5, |r| r.parse().unwrap());
    for loss in losses.split(',') {
        // Alternate the thread counts and take medians: this machine is shared and noisy.
        let mut rates = vec![Vec::new(); threads.len()];
        for _ in 0..reps {
            for (k, &t) in threads.iter().enumerate() {
                let h = Hyperparameters {
                    loss: Loss::parse(loss).unwrap(),
                    no_components: d,
                    random_state: 1,
                    ..Default::default()
                };
                let mut m = Model::new(h).unwrap();
                m.fit(
                    set,
                    FitOptions {
                        epochs: 1,
                        num_threads: t,
                    },
                    &Quiet,
                )
                .unwrap();
                let start = Instant::now();
                m.fit_partial(
                    set,
                    FitOptions {
                        epochs: 2,
                        num_threads: t,
                    },
                    &Quiet,
                )
                .unwrap();
                rates[k].push(2.0 * n as f64 / start.elapsed().as_secs_f64() / 1e6);
            }
        }
        let medians: Vec<f64> = rates
            .iter_mut()
            .map(|r| {
                r.sort_by(f64::total_cmp);
                r[r.len() / 2]
            })
            .collect();
        for (t, m) in threads.iter().zip(&medians) {
            println!("{loss} d={d} threads={t}: {m:.2} M samples/s (median of {reps})");
        }
        if let [one, two] = medians[..] {
            println!("{loss} d={d}: 2-thread speed-up {:.2}x", two / one);
        }
    }
}
