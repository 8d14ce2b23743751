//! Hyperparameters: one struct, defaults defined once here (LightFM 1.17's), every field
//! validated in one place.

use crate::error::{Error, Result};

/// The training objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Pointwise log-loss on the sign of each interaction (LightFM's default).
    Logistic,
    /// Bayesian personalised ranking: one sampled negative per positive.
    Bpr,
    /// Weighted approximate-rank pairwise loss: sample until a violating negative is found.
    Warp,
    /// k-th order statistic WARP: the k-th best of `n` sampled positives is the anchor.
    WarpKos,
    /// Squared error on the interaction value, for explicit ratings (not in LightFM).
    Regression,
}

/// How per-parameter learning rates adapt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearningSchedule {
    Adagrad,
    Adadelta,
}

impl Loss {
    pub fn name(self) -> &'static str {
        match self {
            Loss::Logistic => "logistic",
            Loss::Bpr => "bpr",
            Loss::Warp => "warp",
            Loss::WarpKos => "warp-kos",
            Loss::Regression => "regression",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "logistic" => Loss::Logistic,
            "bpr" => Loss::Bpr,
            "warp" => Loss::Warp,
            "warp-kos" => Loss::WarpKos,
            "regression" => Loss::Regression,
            _ => {
                return Err(Error::invalid(format!(
                    "loss must be one of 'logistic', 'bpr', 'warp', 'warp-kos', 'regression', got '{s}'"
                )))
            }
        })
    }

    /// Pairwise losses train only on positive entries and never move the user bias.
    pub fn is_pairwise(self) -> bool {
        matches!(self, Loss::Bpr | Loss::Warp | Loss::WarpKos)
    }
}

impl LearningSchedule {
    pub fn name(self) -> &'static str {
        match self {
            LearningSchedule::Adagrad => "adagrad",
            LearningSchedule::Adadelta => "adadelta",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "adagrad" => Ok(LearningSchedule::Adagrad),
            "adadelta" => Ok(LearningSchedule::Adadelta),
            _ => Err(Error::invalid(format!(
                "learningSchedule must be 'adagrad' or 'adadelta', got '{s}'"
            ))),
        }
    }
}

/// Largest embedding size accepted; larger values are almost surely a mistake and would
/// allocate absurd amounts of memory.
pub const MAX_COMPONENTS: usize = 4096;

/// Model hyperparameters with LightFM's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyperparameters {
    /// Embedding dimension d (default 10). Typical: 10-128.
    pub no_components: usize,
    /// k-OS: the k-th positive of the `n` sampled is used (default 5).
    pub k: usize,
    /// k-OS: positives sampled per update (default 10).
    pub n: usize,
    /// adagrad (default) or adadelta.
    pub learning_schedule: LearningSchedule,
    /// Objective (default logistic).
    pub loss: Loss,
    /// adagrad's initial learning rate (default 0.05); adadelta ignores it.
    pub learning_rate: f32,
    /// adadelta's decay (default 0.95), in (0, 1).
    pub rho: f32,
    /// adadelta's conditioning constant (default 1e-6).
    pub epsilon: f32,
    /// L2 penalty on item feature parameters (default 0).
    pub item_alpha: f32,
    /// L2 penalty on user feature parameters (default 0).
    pub user_alpha: f32,
    /// WARP / k-OS: most negatives drawn per positive (default 10).
    pub max_sampled: usize,
    /// Seed for initialisation, shuffling and sampling.
    pub random_state: u64,
}

impl Default for Hyperparameters {
    fn default() -> Self {
        Hyperparameters {
            no_components: 10,
            k: 5,
            n: 10,
            learning_schedule: LearningSchedule::Adagrad,
            loss: Loss::Logistic,
            learning_rate: 0.05,
            rho: 0.95,
            epsilon: 1e-6,
            item_alpha: 0.0,
            user_alpha: 0.0,
            max_sampled: 10,
            random_state: 0,
        }
    }
}

impl Hyperparameters {
    /// Checks every field; the message names the option and the accepted range.
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| Err(Error::invalid(msg));
        if self.no_components == 0 || self.no_components > MAX_COMPONENTS {
            return bad(format!(
                "noComponents must be an integer in 1..={MAX_COMPONENTS}, got {}",
                self.no_components
            ));
        }
        if self.k == 0 {
            return bad("k must be a positive integer".into());
        }
        if self.n == 0 {
            return bad("n must be a positive integer".into());
        }
        if self.max_sampled == 0 {
            return bad("maxSampled must be a positive integer".into());
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return bad(format!(
                "learningRate must be a finite number > 0, got {}",
                self.learning_rate
            ));
        }
        if !(self.rho > 0.0 && self.rho < 1.0) {
            return bad(format!("rho must be in (0, 1), got {}", self.rho));
        }
        if !(self.epsilon.is_finite() && self.epsilon >= 0.0) {
            return bad(format!(
                "epsilon must be a finite number >= 0, got {}",
                self.epsilon
            ));
        }
        for (name, v) in [
            ("itemAlpha", self.item_alpha),
            ("userAlpha", self.user_alpha),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return bad(format!("{name} must be a finite number >= 0, got {v}"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_lightfms() {
        let h = Hyperparameters::default();
        assert_eq!((h.no_components, h.k, h.n, h.max_sampled), (10, 5, 10, 10));
        assert_eq!(h.loss, Loss::Logistic);
        assert_eq!(h.learning_schedule, LearningSchedule::Adagrad);
        assert!(h.validate().is_ok());
    }

    #[test]
    fn rejects_bad_values() {
        let cases: [fn(&mut Hyperparameters); 7] = [
            |h| h.no_components = 0,
            |h| h.rho = 1.0,
            |h| h.epsilon = -1.0,
            |h| h.item_alpha = -1.0,
            |h| h.user_alpha = f32::NAN,
            |h| h.max_sampled = 0,
            |h| h.learning_rate = 0.0,
        ];
        for set in cases {
            let mut h = Hyperparameters::default();
            set(&mut h);
            assert_eq!(h.validate().unwrap_err().code(), "ERR_INVALID_ARG");
        }
        assert!(Loss::parse("warp-kos").is_ok());
        assert!(Loss::parse("hinge").is_err());
    }
}
