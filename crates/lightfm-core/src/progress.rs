//! How far a long call has got (a fit's examples over its epochs, an evaluation's users), for a
//! display that reads it from another thread.
//!
//! Workers add to it once per chunk of work (one relaxed atomic add per few thousand
//! examples), so keeping count costs nothing measurable, and nothing the computation reads
//! depends on it. The count only grows during a call: `begin` resets it before any work.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// A shared counter of work done: `steps` steps (epochs) of `per_step` units (examples) each.
#[derive(Debug, Default)]
pub struct Progress {
    steps: AtomicU64,
    per_step: AtomicU64,
    /// Units done over all steps of the call.
    done: AtomicU64,
    started: Mutex<Option<Instant>>,
}

/// One reading of a [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProgressSnapshot {
    /// Steps the call runs (0 before it began).
    pub steps: u64,
    /// Units in each step.
    pub per_step: u64,
    /// Units done so far over all steps (at most `steps * per_step`).
    pub done: u64,
    /// Seconds since the call began (0 before).
    pub seconds: f64,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a call of `steps` steps of `per_step` units each, from nothing done.
    pub(crate) fn begin(&self, steps: usize, per_step: usize) {
        *self.started.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        self.done.store(0, Ordering::Relaxed);
        self.per_step.store(per_step as u64, Ordering::Relaxed);
        // Published last: a reader that sees `steps` sees the reset count and the step size.
        self.steps.store(steps as u64, Ordering::Release);
    }

    /// Records `units` more done.
    pub(crate) fn add(&self, units: usize) {
        self.done.fetch_add(units as u64, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        let steps = self.steps.load(Ordering::Acquire);
        let started = *self.started.lock().unwrap_or_else(PoisonError::into_inner);
        ProgressSnapshot {
            steps,
            per_step: self.per_step.load(Ordering::Relaxed),
            done: self.done.load(Ordering::Relaxed),
            seconds: started.map_or(0.0, |t| t.elapsed().as_secs_f64()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_zero_after_begin() {
        let p = Progress::new();
        assert_eq!(p.snapshot().steps, 0);
        p.begin(3, 10);
        p.add(4);
        p.add(6);
        let s = p.snapshot();
        assert_eq!((s.steps, s.per_step, s.done), (3, 10, 10));
        p.begin(1, 5);
        assert_eq!(p.snapshot().done, 0);
    }
}
