//! Bayesian personalised ranking: for a positive (u, i) draw one negative j the user has not
//! interacted with and maximise `log σ(s_ui - s_uj)`.
//!
//! d(loss)/d(s_ui - s_uj) = -w (1 - σ(x)); the pairwise update takes `l = w (1 - σ(x))`.
//! Negatives follow item popularity: an item is drawn in proportion to its stored entries,
//! LightFM's distribution (see `popularity`). LightFM tries up to `nnz` draws and then uses
//! the last draw even if it is a positive; we try up to [`MAX_DRAWS`] and skip the example
//! if all were positives.

use super::{Ctx, Draws, Example, Scratch, Slot};
use crate::linalg::sigmoid;

/// Most negative draws per positive before the example is skipped.
pub const MAX_DRAWS: usize = 1000;

/// Draws `next`'s first negative now and starts fetching what checking, scoring and updating
/// it read: its membership bit and its whole rows (a negative is nearly always updated, so
/// its optimiser state is fetched too). One example ahead is enough to hide those misses.
pub fn prefetch(ctx: &Ctx, next: &Example, draws: &mut Draws) {
    if let Some(popularity) = ctx.popularity {
        let neg = draws.peek(|r| popularity.draw(r));
        ctx.positives.prefetch(next.user, neg);
        ctx.prefetch_item(neg, usize::MAX);
    }
}

/// The lookups in front of a held negative's rows; the rows themselves are fetched by
/// [`prefetch`], with its membership bit, once it is the next example's.
#[inline]
fn warm(ctx: &Ctx, neg: u32, distance: usize) {
    if distance > 1 {
        ctx.warm_item(neg, distance, usize::MAX);
    }
}

pub fn step(ctx: &Ctx, ex: &Example, draws: &mut Draws, s: &mut Scratch) -> f32 {
    let Some(popularity) = ctx.popularity else {
        return 0.0;
    };
    let negative = (0..MAX_DRAWS)
        .map(|_| draws.next(|r| popularity.draw(r), |c, distance| warm(ctx, c, distance)))
        .find(|&j| !ctx.positives.contains(ex.user, ex.span, j));
    let Some(neg) = negative else { return 0.0 };
    ctx.represent(Slot::User, ex.user, s);
    ctx.represent(Slot::Pos, ex.item, s);
    ctx.represent(Slot::Neg, neg, s);
    let x = ctx.score(&s.user, &s.pos) - ctx.score(&s.user, &s.neg);
    let l = (f64::from(ex.weight) * (1.0 - sigmoid(f64::from(x)))) as f32;
    ctx.apply_pairwise(ex.user, ex.item, neg, l, s)
}
