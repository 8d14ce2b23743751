//! k-OS WARP (Weston et al. 2013): draw `n` of the user's positives (with replacement), rank
//! them by score, and use the k-th best as the anchor of a WARP step.
//!
//! Differences from LightFM: only positive (value > 0) entries are candidates, and the rank
//! weight has WARP's `max(1, ·)` guard, so few items cannot produce `log(0)`. Like LightFM
//! it ignores sample weights and visits a user once per stored interaction.

use super::{warp, Ctx, Draws, Example, Scratch, Slot};

pub fn step(ctx: &Ctx, ex: &Example, draws: &mut Draws, s: &mut Scratch) -> f32 {
    let Some(positives) = ctx.kos_positives else {
        return 0.0;
    };
    let candidates = positives.row(ex.user as usize).0;
    if candidates.is_empty() {
        return 0.0;
    }
    ctx.represent(Slot::User, ex.user, s);
    let m = ctx.hyper.n.min(candidates.len());
    let mut pairs = std::mem::take(&mut s.kos);
    pairs.clear();
    for _ in 0..m {
        let item = candidates[draws.rng.below_usize(candidates.len())];
        ctx.represent(Slot::Pos, item, s);
        pairs.push((item, ctx.score(&s.user, &s.pos)));
    }
    // Highest score first; ties keep draw order, so results are reproducible.
    pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (pos, sp) = pairs[ctx.hyper.k.min(m) - 1];
    s.kos = pairs;
    ctx.represent(Slot::Pos, pos, s);
    warp::sample_and_update(ctx, ex, pos, sp, 1.0, draws, s)
}
