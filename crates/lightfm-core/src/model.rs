//! Model state: hyperparameters plus, once fitted, one parameter table per side.
//!
//! Each feature (a user feature or an item feature) owns one row of its side's table. A row
//! holds `blocks` blocks of `block_len = round_up(d + 1, 2)` floats: block 0 is the embedding
//! with the bias in lane `d` (the layout of LightFM's representation buffers), block 1 the
//! squared-gradient accumulator, block 2 (adadelta only) the squared-update accumulator.

use crate::alloc;
use crate::error::{Error, Result};
use crate::hyper::Hyperparameters;
use crate::rng::{Rng, Stream};
use crate::schedule::Optimizer;
use crate::shared::SharedTable;
use crate::sparse::CsrMatrix;

/// Block index of the parameters (embedding + bias).
pub const PARAMS: usize = 0;
/// Block index of the squared-gradient accumulator.
pub const ACCUMULATOR: usize = 1;
/// Block index of adadelta's squared-update accumulator.
pub const MOMENTUM: usize = 2;

/// Which side of the model a table belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    User,
    Item,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::User => "user",
            Side::Item => "item",
        }
    }
}

/// What a side's feature rows were trained from. A side trained on a feature matrix cannot
/// be scored from the identity (its rows are features, not users or items), so calls without
/// that matrix are refused instead of silently ranking feature rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeatureKind {
    /// Not recorded (a model file written before it was): every call is allowed, as then.
    #[default]
    Unknown,
    /// One row per user or item: no matrix, or an identity matrix, was given.
    Identity,
    /// A feature matrix that is not the identity.
    Matrix,
}

impl FeatureKind {
    /// `"unknown"`, `"identity"` or `"matrix"` (as model files store it).
    pub fn name(self) -> &'static str {
        match self {
            FeatureKind::Unknown => "unknown",
            FeatureKind::Identity => "identity",
            FeatureKind::Matrix => "matrix",
        }
    }

    /// The kind of the features a fit was given (`None`: the identity).
    pub fn of(features: Option<&CsrMatrix>) -> Self {
        match features {
            Some(m) if !m.is_identity() => FeatureKind::Matrix,
            _ => FeatureKind::Identity,
        }
    }
}

/// Trained parameters and optimiser state.
#[derive(Debug, Clone)]
pub struct Params {
    pub user: SharedTable,
    pub item: SharedTable,
    /// Epochs trained so far; seeds the next epoch's random streams.
    pub epochs_done: u64,
    /// What each side's rows were last trained from.
    pub user_kind: FeatureKind,
    pub item_kind: FeatureKind,
}

/// Dense copies of one side's state, LightFM's twelve arrays split by side.
#[derive(Debug, Clone, PartialEq)]
pub struct SideState {
    pub rows: usize,
    pub embeddings: Vec<f32>,
    pub biases: Vec<f32>,
    pub embedding_gradients: Vec<f32>,
    pub bias_gradients: Vec<f32>,
    pub embedding_momentum: Vec<f32>,
    pub bias_momentum: Vec<f32>,
}

/// A LightFM model.
#[derive(Debug, Clone)]
pub struct Model {
    hyper: Hyperparameters,
    params: Option<Params>,
}

/// Floats per block for `d` components: embedding + bias, padded to an even count.
pub fn block_len(d: usize) -> usize {
    (d + 2) & !1
}

impl Model {
    pub fn new(hyper: Hyperparameters) -> Result<Self> {
        hyper.validate()?;
        Ok(Model {
            hyper,
            params: None,
        })
    }

    pub fn hyper(&self) -> &Hyperparameters {
        &self.hyper
    }

    /// Replaces the hyperparameters. Changing the embedding size or the schedule changes
    /// the shape of the state, so a fitted model is reset (as `fit` would do).
    pub fn set_hyper(&mut self, hyper: Hyperparameters) -> Result<()> {
        hyper.validate()?;
        if hyper.no_components != self.hyper.no_components
            || hyper.learning_schedule != self.hyper.learning_schedule
        {
            self.params = None;
        }
        self.hyper = hyper;
        Ok(())
    }

    /// A copy, or `ERR_OUT_OF_MEMORY` when there is no room for one.
    pub fn try_clone(&self) -> Result<Self> {
        let bytes = self
            .params
            .as_ref()
            .map_or(0, |p| p.user.bytes() + p.item.bytes());
        alloc::check("a copy of the model", bytes as u128)?;
        Ok(self.clone())
    }

    pub fn is_fitted(&self) -> bool {
        self.params.is_some()
    }

    /// The trained parameters, or `ERR_NOT_FITTED` naming `action`.
    pub fn params(&self, action: &str) -> Result<&Params> {
        self.params.as_ref().ok_or_else(|| Error::NotFitted {
            action: action.to_string(),
        })
    }

    pub(crate) fn params_mut(&mut self) -> Option<&mut Params> {
        self.params.as_mut()
    }

    /// Forgets all trained state (what `fit` does before training).
    pub fn reset(&mut self) {
        self.params = None;
    }

    /// Embedding dimension d.
    pub fn d(&self) -> usize {
        self.hyper.no_components
    }

    pub fn table(&self, side: Side) -> Option<&SharedTable> {
        self.params.as_ref().map(|p| match side {
            Side::User => &p.user,
            Side::Item => &p.item,
        })
    }

    /// Number of feature embeddings on a side (0 before fitting).
    pub fn n_features(&self, side: Side) -> usize {
        self.table(side).map_or(0, SharedTable::rows)
    }

    /// Checks that `given` (`None`: the identity) can be the features a side was trained on:
    /// a side trained on a feature matrix needs a matrix of as many columns, since its rows
    /// are features, not users or items. More rows than trained (new users or items) are fine.
    pub fn check_features(&self, side: Side, given: Option<&CsrMatrix>) -> Result<()> {
        let (name, n) = (side.name(), self.n_features(side));
        let title = if side == Side::User { "User" } else { "Item" };
        match (self.feature_kind(side), given) {
            (FeatureKind::Matrix, None) => Err(Error::shape(
                format!(
                    "{name}Features (this model's {name}s were trained on a feature matrix, not the identity: pass that {name}Features matrix, e.g. dataset.build{title}Features(...); rows beyond the trained {name}s are new {name}s)"
                ),
                format!("a matrix of {n} columns"),
                "none",
            )),
            (FeatureKind::Matrix, Some(m)) if m.cols() != n => Err(Error::shape(
                format!(
                    "{name}Features columns (one per {name} feature the model was trained on: pass the {name}Features matrix it was trained with, built with the same features)"
                ),
                n,
                m.cols(),
            )),
            _ => Ok(()),
        }
    }

    /// What a side's rows were trained from (`Unknown` before fitting).
    pub fn feature_kind(&self, side: Side) -> FeatureKind {
        self.params
            .as_ref()
            .map_or(FeatureKind::Unknown, |p| match side {
                Side::User => p.user_kind,
                Side::Item => p.item_kind,
            })
    }

    /// Creates fresh parameters as LightFM does: embeddings uniform on
    /// `[-0.5/d, 0.5/d)`, item rows drawn before user rows; biases 0; adagrad accumulators 1.
    pub fn initialize(&mut self, n_user_features: usize, n_item_features: usize) -> Result<()> {
        let d = self.d();
        let mut rng = Rng::for_stream(self.hyper.random_state, Stream::Init, 0, 0);
        let item = self.fresh_table(n_item_features, &mut rng)?;
        let user = self.fresh_table(n_user_features, &mut rng)?;
        debug_assert_eq!(item.block_len(), block_len(d));
        self.params = Some(Params {
            user,
            item,
            epochs_done: 0,
            user_kind: FeatureKind::Unknown,
            item_kind: FeatureKind::Unknown,
        });
        Ok(())
    }

    /// A table of `rows` freshly initialised rows.
    pub(crate) fn fresh_table(&self, rows: usize, rng: &mut Rng) -> Result<SharedTable> {
        let schedule = self.hyper.learning_schedule;
        let mut t = SharedTable::zeros(0, Optimizer::blocks(schedule), block_len(self.d()))?;
        self.init_rows(&mut t, rows, rng)?;
        Ok(t)
    }

    /// Appends `rows` freshly initialised rows to `t`.
    pub(crate) fn init_rows(&self, t: &mut SharedTable, rows: usize, rng: &mut Rng) -> Result<()> {
        let d = self.d();
        let acc0 = Optimizer::accumulator_init(self.hyper.learning_schedule);
        t.grow(rows, |_, block, out| match block {
            PARAMS => {
                for v in &mut out[..d] {
                    *v = ((rng.unit_f64() - 0.5) / d as f64) as f32;
                }
            }
            ACCUMULATOR => out[..=d].iter_mut().for_each(|v| *v = acc0),
            _ => {}
        })
    }

    /// Dense copies of a side's state (LightFM's `*_embeddings`, `*_biases`, `*_gradients`,
    /// `*_momentum`); momentum is all zeros under adagrad.
    pub fn side_state(&self, side: Side) -> Result<SideState> {
        let t = match side {
            Side::User => &self.params("reading user parameters")?.user,
            Side::Item => &self.params("reading item parameters")?.item,
        };
        let (d, bl, nb) = (self.d(), t.block_len(), t.blocks());
        const STATE: &str = "a copy of the model state";
        alloc::check(STATE, t.bytes() as u128 * 2)?;
        let all = t.to_vec();
        let mut s = SideState {
            rows: t.rows(),
            embeddings: alloc::with_capacity(STATE, t.rows() * d)?,
            biases: alloc::with_capacity(STATE, t.rows())?,
            embedding_gradients: alloc::with_capacity(STATE, t.rows() * d)?,
            bias_gradients: alloc::with_capacity(STATE, t.rows())?,
            embedding_momentum: alloc::with_capacity(STATE, t.rows() * d)?,
            bias_momentum: alloc::with_capacity(STATE, t.rows())?,
        };
        for row in all.chunks_exact(nb * bl) {
            let block = |b: usize| &row[b * bl..b * bl + bl];
            s.embeddings.extend_from_slice(&block(PARAMS)[..d]);
            s.biases.push(block(PARAMS)[d]);
            s.embedding_gradients
                .extend_from_slice(&block(ACCUMULATOR)[..d]);
            s.bias_gradients.push(block(ACCUMULATOR)[d]);
            if nb > MOMENTUM {
                s.embedding_momentum
                    .extend_from_slice(&block(MOMENTUM)[..d]);
                s.bias_momentum.push(block(MOMENTUM)[d]);
            } else {
                s.embedding_momentum.extend(std::iter::repeat_n(0.0, d));
                s.bias_momentum.push(0.0);
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisation_matches_lightfm_ranges() {
        let mut m = Model::new(Hyperparameters {
            no_components: 8,
            ..Default::default()
        })
        .unwrap();
        assert!(m.params("x").is_err());
        m.initialize(5, 7).unwrap();
        let u = m.side_state(Side::User).unwrap();
        let i = m.side_state(Side::Item).unwrap();
        assert_eq!((u.rows, i.rows), (5, 7));
        assert!(u.embeddings.iter().all(|&v| (-0.0625..0.0625).contains(&v)));
        assert!(i.biases.iter().all(|&v| v == 0.0));
        assert!(i.embedding_gradients.iter().all(|&v| v == 1.0));
        assert!(i.bias_gradients.iter().all(|&v| v == 1.0));
        assert!(u.embedding_momentum.iter().all(|&v| v == 0.0));
        assert_eq!(block_len(8), 10);
        assert_eq!(block_len(7), 8);
    }

    #[test]
    fn initialisation_is_seeded() {
        let h = Hyperparameters {
            random_state: 42,
            ..Default::default()
        };
        let mut a = Model::new(h.clone()).unwrap();
        let mut b = Model::new(h).unwrap();
        a.initialize(3, 4).unwrap();
        b.initialize(3, 4).unwrap();
        assert_eq!(
            a.side_state(Side::User).unwrap(),
            b.side_state(Side::User).unwrap()
        );
    }
}
