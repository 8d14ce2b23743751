//! Shared fixtures for the integration tests.
#![allow(dead_code)]

use lightfm_core::{CooMatrix, CsrMatrix, FitOptions, Hyperparameters, Model, Quiet, TrainingSet};

/// A tiny deterministic generator for fixtures (independent of the crate's RNG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    pub fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
    pub fn unit(&mut self) -> f32 {
        self.next() as f32 / (1u64 << 31) as f32
    }
}

/// Random interactions with planted structure: users and items belong to one of `groups`
/// clusters, and users interact mostly with items of their own cluster.
pub fn clustered(users: usize, items: usize, per_user: usize, groups: u32, seed: u64) -> CooMatrix {
    let mut rng = Lcg(seed);
    let (mut row, mut col) = (Vec::new(), Vec::new());
    for u in 0..users {
        let g = u as u32 % groups;
        let mut seen = std::collections::HashSet::new();
        while seen.len() < per_user {
            let i = if rng.below(10) < 8 {
                let k = rng.below(items as u32 / groups);
                k * groups + g
            } else {
                rng.below(items as u32)
            };
            if (i as usize) < items && seen.insert(i) {
                row.push(u as u32);
                col.push(i);
            }
        }
    }
    let n = row.len();
    CooMatrix::new(users, items, row, col, vec![1.0; n]).unwrap()
}

/// A random feature matrix with `per_row` features of random positive weight per row.
pub fn random_features(rows: usize, cols: usize, per_row: usize, seed: u64) -> CsrMatrix {
    let mut rng = Lcg(seed);
    let (mut r, mut c, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..rows {
        for _ in 0..per_row {
            r.push(i as u32);
            c.push(rng.below(cols as u32));
            v.push(0.5 + rng.unit());
        }
    }
    CooMatrix::new(rows, cols, r, c, v).unwrap().to_csr()
}

/// Mean per-user AUC of scores against held-out positives, excluding train items.
pub fn mean_auc(model: &lightfm_core::Model, train: &CsrMatrix, test: &CsrMatrix) -> f64 {
    let ranks = model
        .predict_rank(test, Some(train), None, None, 1, true)
        .unwrap();
    let n_items = test.cols();
    let mut total = 0.0;
    let mut users = 0;
    for u in 0..test.rows() {
        let (_, r) = ranks.row(u);
        if r.is_empty() {
            continue;
        }
        let negatives = (n_items - r.len() - train.row_nnz(u)) as f64;
        let mut sorted: Vec<f32> = r.to_vec();
        sorted.sort_by(f32::total_cmp);
        let auc: f64 = sorted
            .iter()
            .enumerate()
            .map(|(i, &rank)| 1.0 - (f64::from(rank) - i as f64).max(0.0) / negatives)
            .sum::<f64>()
            / r.len() as f64;
        total += auc;
        users += 1;
    }
    total / f64::from(users)
}

/// A model with `hyper`, fitted on one thread for `epochs` on `train` and the given features.
pub fn fitted(
    hyper: Hyperparameters,
    train: &CooMatrix,
    uf: Option<&CsrMatrix>,
    itf: Option<&CsrMatrix>,
    epochs: usize,
) -> Model {
    let mut m = Model::new(hyper).unwrap();
    let set = TrainingSet {
        user_features: uf,
        item_features: itf,
        ..TrainingSet::new(train)
    };
    let opts = FitOptions {
        epochs,
        num_threads: 1,
    };
    m.fit(set, opts, &Quiet).unwrap();
    m
}
