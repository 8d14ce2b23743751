//! `ProgressCounter`: a core `Progress` that JavaScript reads while a fit or an evaluation
//! runs on another thread (the TypeScript layer polls it on a timer).

use std::sync::Arc;

use lightfm_core::Progress;
use napi_derive::napi;

/// One reading: `steps` steps (epochs) of `perStep` units each, `done` units over all steps.
#[napi(object)]
pub struct ProgressReading {
    /// 0 until the work begins.
    pub steps: f64,
    pub per_step: f64,
    pub done: f64,
    /// Seconds since the work began.
    pub seconds: f64,
}

/// Counts a fit's examples or an evaluation's users (`lightfm_core::Progress`).
#[napi]
pub struct ProgressCounter(pub(crate) Arc<Progress>);

#[napi]
impl ProgressCounter {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        ProgressCounter(Arc::new(Progress::new()))
    }

    #[napi]
    pub fn read(&self) -> ProgressReading {
        let s = self.0.snapshot();
        ProgressReading {
            steps: s.steps as f64,
            per_step: s.per_step as f64,
            done: s.done as f64,
            seconds: s.seconds,
        }
    }
}
