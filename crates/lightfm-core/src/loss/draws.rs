//! Negative candidates drawn one ahead of their use.
//!
//! A candidate's parameter row is usually a cache miss: on MovieLens-1M the item table is
//! larger than L2, and profiles put about a fifth of WARP's time on the first load of each
//! candidate row. Drawing every candidate one call early and prefetching its row lets that
//! miss overlap the work on the current candidate.
//!
//! The values come from the chunk's stream in the same order as drawing them on demand, so
//! a loss that takes all its random numbers through [`Draws::next`] gets the same results.

use crate::rng::Rng;

/// The chunk's random stream plus at most one candidate already drawn from it.
pub struct Draws {
    /// For draws that are not negatives (k-OS positives). Using it while a candidate is held
    /// shifts which numbers go where, but every draw stays an independent, seeded one.
    pub rng: Rng,
    ahead: Option<u32>,
}

impl Draws {
    pub fn new(rng: Rng) -> Self {
        Draws { rng, ahead: None }
    }

    /// The next candidate from `draw`. The one after it is drawn now and handed to `warm`,
    /// which prefetches what it will need.
    #[inline]
    pub fn next(&mut self, draw: impl Fn(&mut Rng) -> u32, warm: impl Fn(u32)) -> u32 {
        let current = self.peek(&draw);
        let after = draw(&mut self.rng);
        warm(after);
        self.ahead = Some(after);
        current
    }

    /// The candidate the next call to [`Self::next`] will return, drawn now if need be.
    #[inline]
    pub fn peek(&mut self, draw: impl Fn(&mut Rng) -> u32) -> u32 {
        *self.ahead.get_or_insert_with(|| draw(&mut self.rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn same_values_in_the_same_order_as_drawing_on_demand() {
        let stream = || Rng::for_stream(7, Stream::Chunk, 1, 2);
        let mut direct = stream();
        let mut draws = Draws::new(stream());
        let warmed = std::cell::RefCell::new(Vec::new());
        for _ in 0..100 {
            let v = draws.next(|r| r.below(1000), |c| warmed.borrow_mut().push(c));
            assert_eq!(v, direct.below(1000));
        }
        // Each call warms the value the following call returns.
        let warmed = warmed.into_inner();
        let mut again = stream();
        again.below(1000);
        assert!(warmed.iter().all(|&w| w == again.below(1000)));
        // peek shows the value next returns, and does not draw twice.
        let ahead = draws.peek(|r| r.below(1000));
        assert_eq!(draws.peek(|r| r.below(1000)), ahead);
        assert_eq!(draws.next(|r| r.below(1000), |_| ()), ahead);
        assert_eq!(ahead, direct.below(1000));
    }
}
