//! Per-parameter learning-rate schedules: adagrad and adadelta, as LightFM applies them,
//! plus the lazy-L2 compensation of §5.6/§5.7 of `lightfm-behaviour.md`.
//!
//! Parameters are stored as `stored = true_value * scale` (the lazy-L2 scale of their side,
//! see `regularize`). A step moves the true value by the gradient and then exempts the
//! touched parameter from this example's decay: `stored' = (stored - scale*step) * (1 + alpha*lr)`.

use std::array;
use std::ops::{Add, Div, Mul, Sub};

use wide::f32x8;

use crate::hyper::{Hyperparameters, LearningSchedule};
use crate::model::{ACCUMULATOR, MOMENTUM, PARAMS};
use crate::shared::SharedTable;

/// The optimiser settings a step needs, copied out of the hyperparameters.
#[derive(Debug, Clone, Copy)]
pub struct Optimizer {
    pub schedule: LearningSchedule,
    pub learning_rate: f32,
    pub rho: f32,
    pub epsilon: f32,
}

impl Optimizer {
    pub fn new(h: &Hyperparameters) -> Self {
        Optimizer {
            schedule: h.learning_schedule,
            learning_rate: h.learning_rate,
            rho: h.rho,
            epsilon: h.epsilon,
        }
    }

    /// Number of state blocks per parameter row: parameters, squared-gradient
    /// accumulator, and (adadelta only) squared-update accumulator.
    pub fn blocks(schedule: LearningSchedule) -> usize {
        match schedule {
            LearningSchedule::Adagrad => 2,
            LearningSchedule::Adadelta => 3,
        }
    }

    /// Initial value of the squared-gradient accumulator (adagrad starts at 1, as LightFM).
    pub fn accumulator_init(schedule: LearningSchedule) -> f32 {
        match schedule {
            LearningSchedule::Adagrad => 1.0,
            LearningSchedule::Adadelta => 0.0,
        }
    }

    /// One step, in place, on the first `w` lanes of `rows`: a parameter row with its
    /// squared-gradient accumulator and (adadelta) squared-update accumulator.
    ///
    /// `grad` is d(loss)/d(parameter) divided by the feature value `x` (LightFM's
    /// convention), so the true gradient of lane `c` is `grad[c] * x`. Returns the sum of the
    /// per-lane learning rates used, which drives the lazy L2 decay.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn step(
        &self,
        rows: impl Rows,
        grad: &[f32],
        x: f32,
        alpha: f32,
        scale: f32,
        w: usize,
    ) -> f32 {
        let k = Lane {
            x,
            alpha,
            scale,
            opt: *self,
        };
        // Whole groups of eight lanes run as explicit vectors (sqrt and division dominate a
        // step); the last few lanes go one by one through the same generic formula, so every
        // lane computes exactly what the scalar code would.
        let mut sums = f32x8::ZERO;
        let mut tail = 0.0;
        // Whole groups of `grad`, cut to `w` so that group indices need no bounds check.
        let groups = grad[..w].as_chunks::<LANES>().0;
        let g = |c: usize| f32x8::from(groups[c / LANES]);
        match self.schedule {
            // Without decay the step skips its two decay terms: multiplying by 1 and by
            // `1 + 0 * lr_loc` changes no bit, so both arms compute the same values.
            LearningSchedule::Adagrad if k.decays() => rows.rewrite::<2>(
                w,
                |c, [p, a]| sums += k.adagrad::<_, true>(p, a, g(c)),
                |c, [p, a]| tail += k.adagrad::<_, true>(p, a, grad[c]),
            ),
            LearningSchedule::Adagrad => rows.rewrite::<2>(
                w,
                |c, [p, a]| sums += k.adagrad::<_, false>(p, a, g(c)),
                |c, [p, a]| tail += k.adagrad::<_, false>(p, a, grad[c]),
            ),
            LearningSchedule::Adadelta => rows.rewrite::<3>(
                w,
                |c, [p, a, m]| sums += k.adadelta(p, a, m, g(c)),
                |c, [p, a, m]| tail += k.adadelta(p, a, m, grad[c]),
            ),
        }
        sums.as_array().iter().sum::<f32>() + tail
    }
}

/// Where a step's lanes live: parameters, accumulator, momentum, in that order.
pub trait Rows {
    /// Rewrites lanes `0..w` of the first `K` rows, lane `c` of every row together: whole
    /// groups of eight lanes through `group`, the rest one lane at a time through `lane`.
    fn rewrite<const K: usize>(
        self,
        w: usize,
        group: impl FnMut(usize, &mut [f32x8; K]),
        lane: impl FnMut(usize, &mut [f32; K]),
    );
}

/// A row of a shared table, rewritten straight in the atomics (training).
impl Rows for (&SharedTable, usize) {
    #[inline(always)]
    fn rewrite<const K: usize>(
        self,
        w: usize,
        group: impl FnMut(usize, &mut [f32x8; K]),
        lane: impl FnMut(usize, &mut [f32; K]),
    ) {
        // The table's blocks are these rows: the parameters first, then their state.
        const _: () = assert!(PARAMS == 0 && ACCUMULATOR == 1 && MOMENTUM == 2);
        let (table, row) = self;
        table.rewrite_lanes(row, w, group, lane);
    }
}

/// Plain buffers (tests, and the storage benchmark's unshared reference).
impl Rows for [&mut [f32]; 3] {
    fn rewrite<const K: usize>(
        mut self,
        w: usize,
        mut group: impl FnMut(usize, &mut [f32x8; K]),
        mut lane: impl FnMut(usize, &mut [f32; K]),
    ) {
        let full = w - w % LANES;
        for c in (0..full).step_by(LANES) {
            let mut v = array::from_fn(|b| lanes(&self[b][c..c + LANES]));
            group(c, &mut v);
            for (row, v) in self.iter_mut().zip(v) {
                row[c..c + LANES].copy_from_slice(v.as_array());
            }
        }
        for c in full..w {
            let mut v = array::from_fn(|b| self[b][c]);
            lane(c, &mut v);
            for (row, v) in self.iter_mut().zip(v) {
                row[c] = v;
            }
        }
    }
}

/// Lanes processed together in a step.
const LANES: usize = 8;

/// One lane (`f32`) or eight (`f32x8`): the step formulas are written once for both.
trait Float:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self>
{
    fn splat(v: f32) -> Self;
    fn sqrt(self) -> Self;
}

impl Float for f32 {
    #[inline(always)]
    fn splat(v: f32) -> Self {
        v
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
}

impl Float for f32x8 {
    #[inline(always)]
    fn splat(v: f32) -> Self {
        f32x8::splat(v)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f32x8::sqrt(self)
    }
}

#[inline(always)]
fn lanes(v: &[f32]) -> f32x8 {
    f32x8::from(<[f32; LANES]>::try_from(v).expect("a whole group of lanes"))
}

/// The per-lane constants of one step.
#[derive(Clone, Copy)]
struct Lane {
    x: f32,
    alpha: f32,
    scale: f32,
    opt: Optimizer,
}

impl Lane {
    /// Whether the step has decay terms: a lazy-L2 scale other than 1 or an `alpha`.
    fn decays(&self) -> bool {
        self.scale != 1.0 || self.alpha != 0.0
    }

    /// lr_loc = lr / sqrt(G);  θ -= lr_loc * g x;  G += (g x)^2.  Returns lr_loc.
    /// `DECAY` false: the same where the scale is 1 and `alpha` 0 (see [`Self::decays`]).
    #[inline(always)]
    fn adagrad<T: Float, const DECAY: bool>(&self, p: &mut T, a: &mut T, g: T) -> T {
        let gx = g * T::splat(self.x);
        let lr_loc = T::splat(self.opt.learning_rate) / a.sqrt();
        *p = if DECAY {
            (*p - T::splat(self.scale) * lr_loc * gx)
                * (T::splat(1.0) + T::splat(self.alpha) * lr_loc)
        } else {
            *p - lr_loc * gx
        };
        *a = *a + gx * gx;
        lr_loc
    }

    /// G = ρG + (1-ρ)(g x)^2;  lr_loc = sqrt(M+ε)/sqrt(G+ε);  Δ = lr_loc g x;
    /// M = ρM + (1-ρ)Δ^2;  θ -= Δ.  Returns lr_loc.
    #[inline(always)]
    fn adadelta<T: Float>(&self, p: &mut T, a: &mut T, m: &mut T, g: T) -> T {
        let (rho, keep, eps) = (
            T::splat(self.opt.rho),
            T::splat(1.0 - self.opt.rho),
            T::splat(self.opt.epsilon),
        );
        let gx = g * T::splat(self.x);
        *a = rho * *a + keep * gx * gx;
        let lr_loc = (*m + eps).sqrt() / (*a + eps).sqrt();
        let delta = lr_loc * gx;
        *m = rho * *m + keep * delta * delta;
        *p = (*p - T::splat(self.scale) * delta) * (T::splat(1.0) + T::splat(self.alpha) * lr_loc);
        lr_loc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(schedule: LearningSchedule) -> Optimizer {
        Optimizer {
            schedule,
            learning_rate: 0.05,
            rho: 0.95,
            epsilon: 1e-6,
        }
    }

    /// One step on two lanes whose blocks (parameters, accumulator, momentum) are `b`;
    /// returns the blocks after the step, concatenated, and the learning-rate sum.
    fn step(
        schedule: LearningSchedule,
        b: &[[f32; 2]],
        grad: [f32; 2],
        x: f32,
        alpha: f32,
        w: usize,
    ) -> (Vec<f32>, f32) {
        let table = SharedTable::from_slice(1, b.len(), 2, &b.concat());
        let sum = opt(schedule).step((&table, 0), &grad, x, alpha, 1.0, w);
        (table.to_vec(), sum)
    }

    #[test]
    fn adagrad_matches_lightfm_formula() {
        let (v, s) = step(
            LearningSchedule::Adagrad,
            &[[0.5, -0.25], [1.0, 4.0]],
            [2.0, -1.0],
            0.5,
            0.0,
            2,
        );
        // lane 0: lr_loc = 0.05, gx = 1 -> 0.45; G = 2. lane 1: lr_loc = 0.025, gx = -0.5 -> -0.2375; G = 4.25
        assert!((v[0] - 0.45).abs() < 1e-7 && (v[1] + 0.2375).abs() < 1e-7);
        assert_eq!(&v[2..], &[2.0, 4.25]);
        assert!((s - 0.075).abs() < 1e-7);
    }

    #[test]
    fn adadelta_matches_formula() {
        let (v, _) = step(
            LearningSchedule::Adadelta,
            &[[0.0; 2], [0.0; 2], [0.0; 2]],
            [1.0, 0.0],
            1.0,
            0.0,
            1,
        );
        let g = 0.05f32;
        let lr = (1e-6f32).sqrt() / (g + 1e-6).sqrt();
        assert!((v[2] - g).abs() < 1e-7);
        assert!((v[0] + lr).abs() < 1e-7);
        assert!((v[4] - 0.05 * lr * lr).abs() < 1e-9);
        assert_eq!([v[1], v[3], v[5]], [0.0; 3], "lanes past w are untouched");
    }

    #[test]
    fn touched_parameters_are_exempt_from_decay() {
        let (v, _) = step(
            LearningSchedule::Adagrad,
            &[[1.0, 0.0], [1.0, 1.0]],
            [0.0; 2],
            1.0,
            0.1,
            1,
        );
        assert!((v[0] - 1.005).abs() < 1e-6);
    }

    #[test]
    fn grouped_lanes_match_lane_by_lane() {
        // 21 lanes: two whole groups of 8 and five more, in blocks of 22 (one lane untouched).
        // With decay, and without it, which takes the shorter formula: every lane must equal
        // the full formula's value, bit for bit.
        let (w, len) = (21, 22);
        let p0: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
        let a0: Vec<f32> = (0..len).map(|i| 1.0 + i as f32 * 0.01).collect();
        let grad: Vec<f32> = (0..w).map(|i| (i as f32 * 0.11).cos()).collect();
        let o = opt(LearningSchedule::Adagrad);
        for (alpha, scale) in [(0.01, 2.0), (0.0, 1.0)] {
            let table = SharedTable::from_slice(1, 2, len, &[&p0[..], &a0[..]].concat());
            let sum = o.step((&table, 0), &grad, 0.7, alpha, scale, w);
            let v = table.to_vec();
            let (p, a) = v.split_at(len);
            assert_eq!(
                (p[w], a[w]),
                (p0[w], a0[w]),
                "lanes past w keep their values"
            );
            let lane = Lane {
                x: 0.7,
                alpha,
                scale,
                opt: o,
            };
            let mut want_sum = 0.0;
            for c in 0..w {
                let (mut pc, mut ac) = (p0[c], a0[c]);
                want_sum += lane.adagrad::<_, true>(&mut pc, &mut ac, grad[c]);
                assert_eq!(
                    (p[c].to_bits(), a[c]),
                    (pc.to_bits(), ac),
                    "lane {c}, alpha {alpha}"
                );
            }
            assert!((sum - want_sum).abs() < 1e-5);
        }
    }

    #[test]
    fn table_rows_match_plain_rows() {
        // Both schedules, on 21 of 22 lanes: the in-place table step equals the plain one.
        let (w, len) = (21, 22);
        let start = |k: usize| -> Vec<f32> {
            (0..len)
                .map(|i| 1.0 + ((i + k * 7) as f32 * 0.37).sin() * 0.5)
                .collect()
        };
        let grad: Vec<f32> = (0..w).map(|i| (i as f32 * 0.11).cos()).collect();
        for schedule in [LearningSchedule::Adagrad, LearningSchedule::Adadelta] {
            let o = opt(schedule);
            let (mut p, mut a, mut m) = (start(0), start(1), start(2));
            let plain_sum = o.step(
                [&mut p[..], &mut a[..], &mut m[..]],
                &grad,
                0.7,
                0.01,
                2.0,
                w,
            );
            let blocks = Optimizer::blocks(schedule);
            let table = SharedTable::from_slice(
                1,
                blocks,
                len,
                &(0..blocks).flat_map(start).collect::<Vec<_>>(),
            );
            let table_sum = o.step((&table, 0), &grad, 0.7, 0.01, 2.0, w);
            assert_eq!(table.to_vec(), [p, a, m][..blocks].concat(), "{schedule:?}");
            assert_eq!(table_sum.to_bits(), plain_sum.to_bits(), "{schedule:?}");
        }
    }
}
