//! Per-parameter learning-rate schedules: adagrad and adadelta, as LightFM applies them,
//! plus the lazy-L2 compensation of §5.6/§5.7 of `lightfm-behaviour.md`.
//!
//! Parameters are stored as `stored = true_value * scale` (the lazy-L2 scale of their side,
//! see `regularize`). A step moves the true value by the gradient and then exempts the
//! touched parameter from this example's decay: `stored' = (stored - scale*step) * (1 + alpha*lr)`.

use crate::hyper::{Hyperparameters, LearningSchedule};

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

    /// One step on the first `w` lanes of a parameter row.
    ///
    /// `grad` is d(loss)/d(parameter) divided by the feature value `x` (LightFM's
    /// convention), so the true gradient of lane `c` is `grad[c] * x`. Returns the sum of the
    /// per-lane learning rates used, which drives the lazy L2 decay.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn step(
        &self,
        param: &mut [f32],
        acc: &mut [f32],
        momentum: &mut [f32],
        grad: &[f32],
        x: f32,
        alpha: f32,
        scale: f32,
        w: usize,
    ) -> f32 {
        let (param, acc, grad) = (&mut param[..w], &mut acc[..w], &grad[..w]);
        let mut lr_sum = [0f32; 4];
        match self.schedule {
            LearningSchedule::Adagrad => {
                let lr = self.learning_rate;
                for c in 0..w {
                    // lr_loc = lr / sqrt(G);  θ -= lr_loc * g x;  G += (g x)^2
                    let gx = grad[c] * x;
                    let lr_loc = lr / acc[c].sqrt();
                    param[c] = (param[c] - scale * lr_loc * gx) * (1.0 + alpha * lr_loc);
                    acc[c] += gx * gx;
                    lr_sum[c % 4] += lr_loc;
                }
            }
            LearningSchedule::Adadelta => {
                let (rho, eps) = (self.rho, self.epsilon);
                let momentum = &mut momentum[..w];
                for c in 0..w {
                    // G = ρG + (1-ρ)(g x)^2;  lr_loc = sqrt(M+ε)/sqrt(G+ε);  Δ = lr_loc g x;
                    // M = ρM + (1-ρ)Δ^2;  θ -= Δ
                    let gx = grad[c] * x;
                    acc[c] = rho * acc[c] + (1.0 - rho) * gx * gx;
                    let lr_loc = (momentum[c] + eps).sqrt() / (acc[c] + eps).sqrt();
                    let delta = lr_loc * gx;
                    momentum[c] = rho * momentum[c] + (1.0 - rho) * delta * delta;
                    param[c] = (param[c] - scale * delta) * (1.0 + alpha * lr_loc);
                    lr_sum[c % 4] += lr_loc;
                }
            }
        }
        (lr_sum[0] + lr_sum[1]) + (lr_sum[2] + lr_sum[3])
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

    #[test]
    fn adagrad_matches_lightfm_formula() {
        let (mut p, mut g2, mut m) = (vec![0.5f32, -0.25], vec![1.0f32, 4.0], vec![0.0; 2]);
        let s = opt(LearningSchedule::Adagrad).step(
            &mut p,
            &mut g2,
            &mut m,
            &[2.0, -1.0],
            0.5,
            0.0,
            1.0,
            2,
        );
        // lane 0: lr_loc = 0.05, gx = 1 -> 0.45; G = 2. lane 1: lr_loc = 0.025, gx = -0.5 -> -0.2375; G = 4.25
        assert!((p[0] - 0.45).abs() < 1e-7 && (p[1] + 0.2375).abs() < 1e-7);
        assert_eq!(g2, vec![2.0, 4.25]);
        assert!((s - 0.075).abs() < 1e-7);
    }

    #[test]
    fn adadelta_matches_formula() {
        let (mut p, mut g2, mut m) = (vec![0.0f32], vec![0.0f32], vec![0.0f32]);
        opt(LearningSchedule::Adadelta).step(&mut p, &mut g2, &mut m, &[1.0], 1.0, 0.0, 1.0, 1);
        let g = 0.05f32;
        let lr = (1e-6f32).sqrt() / (g + 1e-6).sqrt();
        assert!((g2[0] - g).abs() < 1e-7);
        assert!((p[0] + lr).abs() < 1e-7);
        assert!((m[0] - 0.05 * lr * lr).abs() < 1e-9);
    }

    #[test]
    fn touched_parameters_are_exempt_from_decay() {
        let (mut p, mut g2, mut m) = (vec![1.0f32], vec![1.0f32], vec![0.0]);
        opt(LearningSchedule::Adagrad).step(&mut p, &mut g2, &mut m, &[0.0], 1.0, 0.1, 1.0, 1);
        assert!((p[0] - 1.005).abs() < 1e-6);
    }
}
