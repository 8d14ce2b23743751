//! Squared error on the interaction value, for explicit ratings (not in LightFM).
//!
//! loss = w (s - y)^2 / 2, so d(loss)/d(score) = w (s - y). There is no global bias: the
//! user and item biases learn the rating level.

use super::{Ctx, Example, Scratch, Slot};

pub fn step(ctx: &Ctx, ex: &Example, s: &mut Scratch) -> f32 {
    ctx.represent(Slot::User, ex.user, s);
    ctx.represent(Slot::Pos, ex.item, s);
    let g = ex.weight * (ctx.score(&s.user, &s.pos) - ex.value);
    ctx.apply_pointwise(ex.user, ex.item, g, s)
}
