//! Fixtures shared by the criterion benches: a seeded synthetic data set shaped like
//! MovieLens 1M, and the bench settings (full or quick mode).
//!
//! Quick mode (`LIGHTFM_BENCH_QUICK=1`) keeps the configurations the headline numbers need
//! (64 components, BPR / WARP / logistic, 1 and 2 threads) and shortens the measurement.
#![allow(dead_code)]

use std::time::Duration;

use criterion::{Criterion, SamplingMode};
use lightfm_core::rng::{Rng, Stream};
use lightfm_core::{
    CooMatrix, CsrMatrix, FitOptions, Hyperparameters, Loss, Model, Quiet, TrainingSet,
};

/// MovieLens 1M's shape: 6040 users x 3706 items.
pub const USERS: usize = 6040;
pub const ITEMS: usize = 3706;
/// Stored interactions in the synthetic set.
pub const INTERACTIONS: usize = 1_000_000;
/// Active features per item in the hybrid configuration: the item's own indicator plus
/// `TAGS_PER_ITEM` tags.
pub const FEATURES_PER_ITEM: usize = 5;
const TAGS_PER_ITEM: usize = FEATURES_PER_ITEM - 1;
const TAGS: usize = 200;
/// Latent clusters: every user prefers one, every item belongs to one, so models can learn.
const CLUSTERS: usize = 20;
/// Every user has at least as many interactions as in MovieLens 1M.
const MIN_PER_USER: usize = 20;
const SEED: u64 = 20_240_601;

/// Whether `LIGHTFM_BENCH_QUICK` asks for the short run.
pub fn quick() -> bool {
    std::env::var("LIGHTFM_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Criterion settings for benches whose iterations take a large fraction of a second:
/// few samples, flat sampling (criterion's linear mode would run 55 iterations at least).
pub fn criterion() -> Criterion {
    let (warm_up, measure) = if quick() { (1, 3) } else { (1, 8) };
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(warm_up))
        .measurement_time(Duration::from_secs(measure))
        .configure_from_args()
}

/// Flat sampling for one group (see [`criterion`]).
pub const SAMPLING: SamplingMode = SamplingMode::Flat;

/// Embedding sizes to measure.
pub fn components() -> &'static [usize] {
    if quick() {
        &[64]
    } else {
        &[32, 64, 128]
    }
}

/// Losses to measure.
pub fn losses() -> &'static [Loss] {
    if quick() {
        &[Loss::Bpr, Loss::Warp, Loss::Logistic]
    } else {
        &[
            Loss::Bpr,
            Loss::Warp,
            Loss::Logistic,
            Loss::WarpKos,
            Loss::Regression,
        ]
    }
}

/// The synthetic MovieLens-1M-shaped set.
pub struct Synthetic {
    /// `USERS x ITEMS`, `INTERACTIONS` unique entries sorted by user, values are ratings 1..=5.
    pub interactions: CooMatrix,
    /// `ITEMS x (ITEMS + TAGS)`: identity plus four tags per item, each row summing to 1
    /// (LightFM's `Dataset` normalisation).
    pub item_features: CsrMatrix,
}

/// Popularity-weighted sampling by inverse CDF.
struct Cdf(Vec<f64>);

impl Cdf {
    fn new(weights: impl Iterator<Item = f64>) -> Self {
        let mut total = 0.0;
        Cdf(weights
            .map(|w| {
                total += w;
                total
            })
            .collect())
    }
    fn draw(&self, rng: &mut Rng) -> usize {
        let x = rng.unit_f64() * self.0.last().copied().unwrap_or(0.0);
        self.0.partition_point(|&c| c <= x).min(self.0.len() - 1)
    }
}

impl Synthetic {
    /// Builds the set; the same on every machine and every run.
    pub fn generate() -> Self {
        let mut rng = Rng::for_stream(SEED, Stream::Init, 0xBE_4C, 0);
        // Item popularity follows a Zipf law over a random order of the items (MovieLens'
        // long tail); each item belongs to one latent cluster.
        let mut order: Vec<usize> = (0..ITEMS).collect();
        rng.shuffle(&mut order);
        let mut popularity = vec![0.0; ITEMS];
        for (rank, &item) in order.iter().enumerate() {
            popularity[item] = 1.0 / (rank as f64 + 10.0);
        }
        let cluster_of = |item: usize| item % CLUSTERS;
        let global = Cdf::new(popularity.iter().copied());
        let per_cluster: Vec<(Vec<usize>, Cdf)> = (0..CLUSTERS)
            .map(|c| {
                let members: Vec<usize> = (c..ITEMS).step_by(CLUSTERS).collect();
                let cdf = Cdf::new(members.iter().map(|&i| popularity[i]));
                (members, cdf)
            })
            .collect();
        let counts = user_counts(&mut rng);
        let (mut row, mut col, mut data) = (
            Vec::with_capacity(INTERACTIONS),
            Vec::with_capacity(INTERACTIONS),
            Vec::with_capacity(INTERACTIONS),
        );
        let mut seen = vec![false; ITEMS];
        let mut items = Vec::new();
        for (user, &count) in counts.iter().enumerate() {
            let favourite = rng.below(CLUSTERS as u32) as usize;
            let (members, cdf) = &per_cluster[favourite];
            items.clear();
            while items.len() < count {
                // Two draws in three from the favourite cluster, the rest from everything.
                let item = if rng.below(3) < 2 {
                    members[cdf.draw(&mut rng)]
                } else {
                    global.draw(&mut rng)
                };
                if !seen[item] {
                    seen[item] = true;
                    items.push(item);
                }
            }
            items.sort_unstable();
            for &item in &items {
                seen[item] = false;
                row.push(user as u32);
                col.push(item as u32);
                let liked = cluster_of(item) == favourite;
                data.push((if liked { 3 } else { 1 } + rng.below(3)) as f32);
            }
        }
        let interactions =
            CooMatrix::new(USERS, ITEMS, row, col, data).expect("generated in range");
        Synthetic {
            interactions,
            item_features: item_features(&mut rng, cluster_of),
        }
    }

    /// `(users, items)` of every stored interaction, for predict benches.
    pub fn pairs(&self) -> (&[u32], &[u32]) {
        (self.interactions.row(), self.interactions.col())
    }
}

/// Interactions per user: a heavy-tailed draw with MovieLens 1M's floor of 20, scaled so
/// the total is exactly `INTERACTIONS` and no user exceeds half the catalogue.
fn user_counts(rng: &mut Rng) -> Vec<usize> {
    let cap = ITEMS / 2;
    let raw: Vec<f64> = (0..USERS)
        .map(|_| (1.0 - rng.unit_f64()).powf(-1.0 / 1.3))
        .collect();
    let spare = (INTERACTIONS - MIN_PER_USER * USERS) as f64;
    let total: f64 = raw.iter().sum();
    let mut counts: Vec<usize> = raw
        .iter()
        .map(|r| (MIN_PER_USER + (r / total * spare) as usize).min(cap))
        .collect();
    // Hand out what rounding and the cap left over, one at a time to users below the cap.
    let mut missing = INTERACTIONS - counts.iter().sum::<usize>();
    let mut u = 0;
    while missing > 0 {
        if counts[u] < cap {
            counts[u] += 1;
            missing -= 1;
        }
        u = (u + 1) % USERS;
    }
    counts
}

/// Identity plus `TAGS_PER_ITEM` distinct tags per item, half of them from the item's
/// cluster's own tags so that features carry signal.
fn item_features(rng: &mut Rng, cluster_of: impl Fn(usize) -> usize) -> CsrMatrix {
    let tags_per_cluster = TAGS / CLUSTERS;
    let value = 1.0 / FEATURES_PER_ITEM as f32;
    let (mut indptr, mut indices, mut data) = (vec![0u32], Vec::new(), Vec::new());
    let mut row = Vec::with_capacity(FEATURES_PER_ITEM);
    for item in 0..ITEMS {
        row.clear();
        row.push(item as u32);
        while row.len() < FEATURES_PER_ITEM {
            let tag = if row.len() % 2 == 1 {
                cluster_of(item) * tags_per_cluster + rng.below(tags_per_cluster as u32) as usize
            } else {
                rng.below(TAGS as u32) as usize
            };
            let column = (ITEMS + tag) as u32;
            if !row.contains(&column) {
                row.push(column);
            }
        }
        row.sort_unstable();
        indices.extend_from_slice(&row);
        data.extend(std::iter::repeat_n(value, row.len()));
        indptr.push(indices.len() as u32);
    }
    CsrMatrix::new(ITEMS, ITEMS + TAGS, indptr, indices, data).expect("generated in range")
}

/// A seeded split of `m`'s entries: about `test_fraction` of them go to the second matrix.
pub fn split(m: &CooMatrix, test_fraction: f64) -> (CooMatrix, CooMatrix) {
    let mut rng = Rng::for_stream(SEED, Stream::Split, 0, 0);
    let (mut train, mut test) = ((vec![], vec![], vec![]), (vec![], vec![], vec![]));
    for k in 0..m.nnz() {
        let side = if rng.unit_f64() < test_fraction {
            &mut test
        } else {
            &mut train
        };
        side.0.push(m.row()[k]);
        side.1.push(m.col()[k]);
        side.2.push(m.value(k));
    }
    let (rows, cols) = m.shape();
    let build = |(r, c, v)| CooMatrix::new(rows, cols, r, c, v).expect("subset of a valid matrix");
    (build(train), build(test))
}

/// The model the serving and evaluation benches score with: WARP, 64 components, seed 42,
/// one epoch on two threads over `train`.
pub fn trained_warp(train: &CooMatrix) -> Model {
    let mut m = Model::new(Hyperparameters {
        loss: Loss::Warp,
        no_components: 64,
        random_state: 42,
        ..Default::default()
    })
    .expect("valid");
    let opts = FitOptions {
        epochs: 1,
        num_threads: 2,
    };
    m.fit(TrainingSet::new(train), opts, &Quiet)
        .expect("trains");
    m
}
