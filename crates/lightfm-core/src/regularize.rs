//! Lazy L2 regularisation (LightFM §5.7), with the representation bug fixed.
//!
//! Decaying every parameter after every example would cost O(model) per step. Instead each
//! side keeps one scale `S >= 1` and stores `stored = true_value * S`: growing `S` by
//! `(1 + alpha * avg_lr)` decays every parameter of that side at once. Parameters touched
//! by an example are exempted from that example's decay (see `schedule`).
//!
//! LightFM multiplies by `S` when it reads a representation, inflating scores by up to 2x
//! late in an epoch; we divide, so the decay applied is exactly the decay described. `S` is
//! folded back into the parameters at the end of every epoch, and mid-epoch once it passes
//! [`MAX_SCALE`]; that rescale waits for every worker to reach a fold point, so it never
//! races an update.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{RwLock, RwLockReadGuard};

use crate::model::PARAMS;
use crate::shared::SharedTable;

/// Scale at which parameters are rescaled mid-epoch (LightFM's `MAX_REG_SCALE`).
pub const MAX_SCALE: f64 = 1e6;

/// Examples a worker processes between folds of its local decay into the shared scales.
pub const FOLD_EVERY: u32 = 32;

/// The shared lazy-L2 state of one fit call.
pub struct LazyL2 {
    user_alpha: f64,
    item_alpha: f64,
    user_scale: AtomicU64,
    item_scale: AtomicU64,
    gate: RwLock<()>,
}

/// A worker's decay accumulated since its last fold.
pub struct LocalDecay {
    user: f64,
    item: f64,
    pending: u32,
}

impl Default for LocalDecay {
    fn default() -> Self {
        LocalDecay {
            user: 1.0,
            item: 1.0,
            pending: 0,
        }
    }
}

fn multiply(scale: &AtomicU64, factor: f64) -> f64 {
    let old = scale
        .fetch_update(Relaxed, Relaxed, |bits| {
            Some((f64::from_bits(bits) * factor).to_bits())
        })
        .unwrap_or_else(|bits| bits);
    f64::from_bits(old) * factor
}

/// Divides every parameter of `table` by `scale` (embeddings and biases, not optimiser state).
fn rescale(table: &SharedTable, scale: f64) {
    let inv = (1.0 / scale) as f32;
    let mut buf = vec![0.0; table.block_len()];
    for row in 0..table.rows() {
        table.load(row, PARAMS, &mut buf);
        buf.iter_mut().for_each(|v| *v *= inv);
        table.store(row, PARAMS, &buf);
    }
}

impl LazyL2 {
    pub fn new(user_alpha: f32, item_alpha: f32) -> Self {
        LazyL2 {
            user_alpha: f64::from(user_alpha),
            item_alpha: f64::from(item_alpha),
            user_scale: AtomicU64::new(1f64.to_bits()),
            item_scale: AtomicU64::new(1f64.to_bits()),
            gate: RwLock::new(()),
        }
    }

    /// Whether any decay applies; with both alphas 0 every method is a no-op.
    pub fn active(&self) -> bool {
        self.user_alpha > 0.0 || self.item_alpha > 0.0
    }

    /// Current `(user, item)` scales.
    #[inline]
    pub fn scales(&self) -> (f32, f32) {
        (
            f64::from_bits(self.user_scale.load(Relaxed)) as f32,
            f64::from_bits(self.item_scale.load(Relaxed)) as f32,
        )
    }

    /// Held while a worker processes examples, so a rescale never overlaps an update.
    pub fn enter(&self) -> Option<RwLockReadGuard<'_, ()>> {
        self.active()
            .then(|| self.gate.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records one example's average learning rate; returns true when it is time to fold.
    #[inline]
    pub fn record(&self, local: &mut LocalDecay, avg_lr: f32) -> bool {
        let a = f64::from(avg_lr);
        local.user *= 1.0 + self.user_alpha * a;
        local.item *= 1.0 + self.item_alpha * a;
        local.pending += 1;
        local.pending >= FOLD_EVERY
    }

    /// Folds a worker's local decay into the shared scales; rescales a side whose scale
    /// passed [`MAX_SCALE`]. Must be called without holding the guard from [`Self::enter`].
    pub fn fold(&self, local: &mut LocalDecay, user: &SharedTable, item: &SharedTable) {
        if !self.active() || local.pending == 0 {
            return;
        }
        let su = multiply(&self.user_scale, local.user);
        let si = multiply(&self.item_scale, local.item);
        *local = LocalDecay::default();
        if su > MAX_SCALE || si > MAX_SCALE {
            let _exclusive = self.gate.write().unwrap_or_else(|e| e.into_inner());
            self.normalize(user, item, MAX_SCALE);
        }
    }

    /// Folds the scales into the parameters (end of epoch).
    pub fn finish(&self, user: &SharedTable, item: &SharedTable) {
        if self.active() {
            self.normalize(user, item, 1.0);
        }
    }

    fn normalize(&self, user: &SharedTable, item: &SharedTable, above: f64) {
        for (scale, table) in [(&self.user_scale, user), (&self.item_scale, item)] {
            let s = f64::from_bits(scale.load(Relaxed));
            if s > above {
                rescale(table, s);
                scale.store(1f64.to_bits(), Relaxed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_folds_into_parameters() {
        let user = SharedTable::from_slice(1, 2, 2, &[2.0, 4.0, 1.0, 1.0]);
        let item = SharedTable::from_slice(1, 2, 2, &[3.0, 3.0, 1.0, 1.0]);
        let reg = LazyL2::new(1.0, 0.0);
        let mut local = LocalDecay::default();
        reg.record(&mut local, 1.0); // user scale x2
        reg.fold(&mut local, &user, &item);
        assert_eq!(reg.scales(), (2.0, 1.0));
        reg.finish(&user, &item);
        assert_eq!(user.to_vec(), vec![1.0, 2.0, 1.0, 1.0]);
        assert_eq!(item.to_vec(), vec![3.0, 3.0, 1.0, 1.0]);
        assert_eq!(reg.scales(), (1.0, 1.0));
    }

    #[test]
    fn inactive_without_alpha() {
        let reg = LazyL2::new(0.0, 0.0);
        assert!(!reg.active());
        assert!(reg.enter().is_none());
    }
}
