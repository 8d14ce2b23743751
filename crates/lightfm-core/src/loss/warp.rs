//! WARP: sample negatives uniformly until one violates the margin (`s_uj > s_ui - 1`), then
//! take a step weighted by the log of the estimated rank of the positive.
//!
//! With `N` items and a violator found after `k` draws, the rank is estimated as
//! `floor((N - 1) / k)` and the loss weight is `l = w * ln(max(1, rank))`, capped at
//! [`MAX_LOSS`]. A draw that hits one of the user's stored items consumes an attempt.

use super::{Ctx, Draws, Example, Scratch, Slot, MAX_LOSS};
use crate::model::PARAMS;

/// WARP's loss weight for a violator found on draw `sampled` (1-based).
#[inline]
pub fn rank_weight(n_items: u32, sampled: usize) -> f32 {
    let rank = (n_items.saturating_sub(1) as usize / sampled).max(1);
    (rank as f32).ln()
}

/// Draws negatives for `ex`'s user and anchor `pos` (its representation already in `s.pos`,
/// score `sp`) and applies the update for the first violator. Returns the average learning
/// rate.
pub fn sample_and_update(
    ctx: &Ctx,
    ex: &Example,
    pos: u32,
    sp: f32,
    weight: f32,
    draws: &mut Draws,
    s: &mut Scratch,
) -> f32 {
    for sampled in 1..=ctx.hyper.max_sampled {
        // Scoring needs only the parameter block; the update fetches the rest.
        let neg = draws.next(
            |r| r.below(ctx.n_items),
            |c, distance| ctx.warm_item(c, distance, PARAMS + 1),
        );
        ctx.positives.prefetch(ex.user, neg);
        if ctx.score_candidate(neg, s) > sp - 1.0 {
            if ctx.positives.contains(ex.user, ex.span, neg) {
                continue;
            }
            // Its optimiser state is read last, after the positive's update: ask for it now.
            ctx.prefetch_item(neg, usize::MAX);
            let l = (weight * rank_weight(ctx.n_items, sampled)).min(MAX_LOSS);
            // The update needs the violator's representation; rejected draws never copy theirs.
            ctx.represent(Slot::Neg, neg, s);
            return ctx.apply_pairwise(ex.user, pos, neg, l, s);
        }
    }
    0.0
}

pub fn step(ctx: &Ctx, ex: &Example, draws: &mut Draws, s: &mut Scratch) -> f32 {
    ctx.represent(Slot::User, ex.user, s);
    ctx.represent(Slot::Pos, ex.item, s);
    let sp = ctx.score(&s.user, &s.pos);
    sample_and_update(ctx, ex, ex.item, sp, ex.weight, draws, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_weight_uses_integer_division_and_floor_of_one() {
        assert_eq!(rank_weight(2, 1), 0.0); // 2 items: log(1) = 0, WARP learns nothing
        assert_eq!(rank_weight(11, 3), (3f32).ln()); // 10 div 3 = 3
        assert_eq!(rank_weight(1, 1), 0.0);
    }
}
