//! MovieLens 100k accuracy per loss, with LightFM's test protocol (§12.1 of
//! lightfm-behaviour.md): ratings >= 4 are +1, the rest -1; metrics on positives only.
//!
//! `LIGHTFM_DATA_HOME=../shared/data cargo run --release -p lightfm-core --example movielens -- [loss] [d] [epochs] [threads]`

use std::time::Instant;

use lightfm_core::{
    CooMatrix, CsrMatrix, FitOptions, Hyperparameters, LearningSchedule, Loss, Model, Quiet,
    TrainingSet,
};

fn read(path: &str) -> CooMatrix {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut r, mut c, mut v) = (vec![], vec![], vec![]);
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        r.push(f[0].parse::<u32>().unwrap() - 1);
        c.push(f[1].parse::<u32>().unwrap() - 1);
        let rating: f32 = f[2].parse().unwrap();
        v.push(if rating >= 4.0 { 1.0 } else { -1.0 });
    }
    CooMatrix::new(943, 1682, r, c, v).unwrap()
}

fn positives(m: &CooMatrix) -> CsrMatrix {
    let keep: Vec<usize> = (0..m.nnz()).filter(|&k| m.value(k) > 0.0).collect();
    let pick = |a: &[u32]| keep.iter().map(|&k| a[k]).collect::<Vec<_>>();
    CooMatrix::new(
        943,
        1682,
        pick(m.row()),
        pick(m.col()),
        vec![1.0; keep.len()],
    )
    .unwrap()
    .to_csr()
}

/// LightFM's auc_score and precision_at_k means (no train exclusion).
fn metrics(model: &Model, test: &CsrMatrix) -> (f64, f64) {
    let ranks = model.predict_rank(test, None, None, None, 2, true).unwrap();
    let (mut auc, mut prec, mut n) = (0.0, 0.0, 0);
    for u in 0..test.rows() {
        let r = ranks.row(u).1;
        if r.is_empty() {
            continue;
        }
        let neg = (1682 - r.len()) as f64;
        let mut s = r.to_vec();
        s.sort_by(f32::total_cmp);
        auc += s
            .iter()
            .enumerate()
            .map(|(i, &x)| 1.0 - (f64::from(x) - i as f64).max(0.0) / neg)
            .sum::<f64>()
            / r.len() as f64;
        prec += r.iter().filter(|&&x| x < 10.0).count() as f64 / 10.0;
        n += 1;
    }
    (auc / f64::from(n), prec / f64::from(n))
}

fn main() {
    let home = std::env::var("LIGHTFM_DATA_HOME").expect("set LIGHTFM_DATA_HOME");
    let args: Vec<String> = std::env::args().collect();
    let loss = Loss::parse(args.get(1).map_or("warp", String::as_str)).unwrap();
    let d: usize = args.get(2).map_or(10, |s| s.parse().unwrap());
    let epochs: usize = args.get(3).map_or(10, |s| s.parse().unwrap());
    let threads: usize = args.get(4).map_or(1, |s| s.parse().unwrap());
    let schedule = LearningSchedule::parse(args.get(5).map_or("adagrad", String::as_str)).unwrap();
    let train = read(&format!("{home}/movielens100k/ml-100k/ua.base"));
    let test = read(&format!("{home}/movielens100k/ml-100k/ua.test"));
    let mut train_used = train.clone();
    if loss == Loss::WarpKos {
        let p = positives(&train).to_coo();
        train_used = p;
    }
    let h = Hyperparameters {
        loss,
        no_components: d,
        random_state: std::env::var("SEED").map_or(10, |s| s.parse().unwrap()),
        learning_schedule: schedule,
        ..Default::default()
    };
    let mut model = Model::new(h).unwrap();
    let set = TrainingSet::new(&train_used);
    let t = Instant::now();
    model
        .fit(
            set,
            FitOptions {
                epochs,
                num_threads: threads,
            },
            &Quiet,
        )
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    let (auc_tr, p_tr) = metrics(&model, &positives(&train));
    let (auc_te, p_te) = metrics(&model, &positives(&test));
    println!("{} d={d} epochs={epochs} threads={threads}: train AUC {auc_tr:.4} P@10 {p_tr:.4} | test AUC {auc_te:.4} P@10 {p_te:.4} | fit {secs:.2}s", loss.name());
}
