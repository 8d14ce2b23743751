//! Logistic loss: `-log σ(s)` for positives and `-log(1-σ(s))` otherwise. Only the sign of
//! the interaction value matters (> 0 is positive), as in LightFM.
//!
//! d(loss)/d(score) = w (σ(s) - y).

use super::{Ctx, Example, Scratch, Slot};
use crate::linalg::sigmoid;

pub fn step(ctx: &Ctx, ex: &Example, s: &mut Scratch) -> f32 {
    ctx.represent(Slot::User, ex.user, s);
    ctx.represent(Slot::Pos, ex.item, s);
    let p = sigmoid(f64::from(ctx.score(&s.user, &s.pos)));
    let y = if ex.value > 0.0 { 1.0 } else { 0.0 };
    let g = (f64::from(ex.weight) * (p - y)) as f32;
    ctx.apply_pointwise(ex.user, ex.item, g, s)
}
