//! Hyperparameters as a JS options object; defaults come from the core, never from here.

use lightfm_core::metrics::{EarlyStoppingOptions, EvalOptions};
use lightfm_core::{Error, Hyperparameters, LearningSchedule, Loss, Result, DEFAULT_K};
use napi_derive::napi;

/// Model hyperparameters (camelCase in JS). Every field is optional on input.
#[napi(object)]
#[derive(Default)]
pub struct ModelOptions {
    pub no_components: Option<u32>,
    pub k: Option<u32>,
    pub n: Option<u32>,
    pub learning_schedule: Option<String>,
    pub loss: Option<String>,
    pub learning_rate: Option<f64>,
    pub rho: Option<f64>,
    pub epsilon: Option<f64>,
    pub item_alpha: Option<f64>,
    pub user_alpha: Option<f64>,
    pub max_sampled: Option<u32>,
    pub random_state: Option<f64>,
}

fn seed(v: f64) -> Result<u64> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_991.0 {
        Ok(v as u64)
    } else {
        Err(Error::InvalidArg(format!(
            "randomState must be a non-negative safe integer, got {v}"
        )))
    }
}

/// A float option as the `f32` the model stores: a finite number too large for `f32` would
/// become infinity, and the error would then show "inf" instead of what was given.
fn float(name: &str, v: f64) -> Result<f32> {
    let f = v as f32;
    if v.is_finite() && !f.is_finite() {
        return Err(Error::InvalidArg(format!(
            "{name} must be at most {:e} in magnitude (parameters are 32-bit floats), got {v:e}",
            f32::MAX
        )));
    }
    Ok(f)
}

/// Applies the given fields over `base`.
pub fn merge(base: &Hyperparameters, o: &ModelOptions) -> Result<Hyperparameters> {
    let mut h = base.clone();
    if let Some(v) = o.no_components {
        h.no_components = v as usize;
    }
    if let Some(v) = o.k {
        h.k = v as usize;
    }
    if let Some(v) = o.n {
        h.n = v as usize;
    }
    if let Some(v) = &o.learning_schedule {
        h.learning_schedule = LearningSchedule::parse(v)?;
    }
    if let Some(v) = &o.loss {
        h.loss = Loss::parse(v)?;
    }
    if let Some(v) = o.learning_rate {
        h.learning_rate = float("learningRate", v)?;
    }
    if let Some(v) = o.rho {
        h.rho = float("rho", v)?;
    }
    if let Some(v) = o.epsilon {
        h.epsilon = float("epsilon", v)?;
    }
    if let Some(v) = o.item_alpha {
        h.item_alpha = float("itemAlpha", v)?;
    }
    if let Some(v) = o.user_alpha {
        h.user_alpha = float("userAlpha", v)?;
    }
    if let Some(v) = o.max_sampled {
        h.max_sampled = v as usize;
    }
    if let Some(v) = o.random_state {
        h.random_state = seed(v)?;
    }
    h.validate()?;
    Ok(h)
}

/// Every field filled in from `h`.
pub fn describe(h: &Hyperparameters) -> ModelOptions {
    ModelOptions {
        no_components: Some(h.no_components as u32),
        k: Some(h.k as u32),
        n: Some(h.n as u32),
        learning_schedule: Some(h.learning_schedule.name().into()),
        loss: Some(h.loss.name().into()),
        learning_rate: Some(f64::from(h.learning_rate)),
        rho: Some(f64::from(h.rho)),
        epsilon: Some(f64::from(h.epsilon)),
        item_alpha: Some(f64::from(h.item_alpha)),
        user_alpha: Some(f64::from(h.user_alpha)),
        max_sampled: Some(h.max_sampled as u32),
        random_state: Some(h.random_state as f64),
    }
}

/// LightFM's defaults, as the core defines them.
#[napi]
pub fn default_options() -> ModelOptions {
    describe(&Hyperparameters::default())
}

/// What an evaluation uses for an omitted option.
#[napi(object)]
pub struct EvalDefaults {
    pub k: u32,
    pub preserve_rows: bool,
    pub num_threads: u32,
    pub check_intersections: bool,
}

/// What early stopping uses for an omitted option.
#[napi(object)]
pub struct ValidationDefaults {
    pub metric: String,
    pub k: u32,
    pub patience: u32,
    pub restore_best: bool,
    pub check_intersections: bool,
}

/// The defaults of the serving, evaluation and early-stopping options.
#[napi(object)]
pub struct OptionDefaults {
    /// Items per `recommend` list and per similar-items / similar-users list.
    pub k: u32,
    pub evaluation: EvalDefaults,
    pub validation: ValidationDefaults,
    pub index: IndexDefaults,
}

/// The defaults of `buildIndex`.
#[napi(object)]
pub struct IndexDefaults {
    pub m: u32,
    pub ef_construction: u32,
    pub ef: u32,
}

/// The defaults of the serving, evaluation and early-stopping options, as the core defines them.
#[napi]
pub fn option_defaults() -> OptionDefaults {
    let e = EvalOptions::default();
    let v = EarlyStoppingOptions::default();
    OptionDefaults {
        k: DEFAULT_K as u32,
        evaluation: EvalDefaults {
            k: e.k as u32,
            preserve_rows: e.preserve_rows,
            num_threads: e.num_threads as u32,
            check_intersections: e.check_intersections,
        },
        validation: ValidationDefaults {
            metric: v.metric.name().to_string(),
            k: v.k as u32,
            patience: v.patience as u32,
            restore_best: v.restore_best,
            check_intersections: v.check_intersections,
        },
        index: IndexDefaults {
            m: lightfm_core::ann::DEFAULT_M as u32,
            ef_construction: lightfm_core::ann::DEFAULT_EF_CONSTRUCTION as u32,
            ef: lightfm_core::ann::DEFAULT_EF as u32,
        },
    }
}
