//! Negative candidates drawn ahead of their use.
//!
//! A candidate's parameter row is usually a cache miss: on MovieLens-1M the item table is
//! larger than L2, and profiles put about a fifth of WARP's time on the first load of each
//! candidate row. With item features, finding the rows is itself two dependent misses (the
//! feature matrix's row bounds, then its entries), which profiles of the 10M hybrid set put in
//! front of every candidate's prefetch. So candidates are drawn [`AHEAD`] calls early and each
//! is handed to a warm-up once per distance as it moves to the front: far out, the first
//! lookup is fetched; nearer, the next one reads it (now cached) and fetches the second; one
//! ahead, the rows themselves.
//!
//! The values come from the chunk's stream in the same order as drawing them on demand, so
//! a loss that takes all its random numbers through [`Draws::next`] gets the same results.

use crate::rng::Rng;

/// How many candidates are held drawn: one per dependent lookup in front of a candidate's
/// parameter rows (row bounds, entries, rows).
pub const AHEAD: usize = 3;

/// The chunk's random stream plus up to [`AHEAD`] candidates already drawn from it.
pub struct Draws {
    /// For draws that are not negatives (k-OS positives). Using it while candidates are held
    /// shifts which numbers go where, but every draw stays an independent, seeded one.
    pub rng: Rng,
    /// `ahead[..held]`, nearest first.
    ahead: [u32; AHEAD],
    held: usize,
}

impl Draws {
    pub fn new(rng: Rng) -> Self {
        Draws {
            rng,
            ahead: [0; AHEAD],
            held: 0,
        }
    }

    /// The next candidate from `draw`. Tops the held candidates up to [`AHEAD`] and hands each
    /// to `warm(candidate, distance)`, where `distance` (1 to `AHEAD`) is how many calls from
    /// now it will be returned: over its wait a candidate is warmed once at every distance.
    #[inline]
    pub fn next(&mut self, draw: impl Fn(&mut Rng) -> u32, warm: impl Fn(u32, usize)) -> u32 {
        let current = self.peek(&draw);
        self.ahead.copy_within(1..self.held, 0);
        self.held -= 1;
        while self.held < AHEAD {
            self.ahead[self.held] = draw(&mut self.rng);
            self.held += 1;
        }
        for (k, &c) in self.ahead.iter().enumerate() {
            warm(c, k + 1);
        }
        current
    }

    /// The candidate the next call to [`Self::next`] will return, drawn now if need be.
    #[inline]
    pub fn peek(&mut self, draw: impl Fn(&mut Rng) -> u32) -> u32 {
        if self.held == 0 {
            self.ahead[0] = draw(&mut self.rng);
            self.held = 1;
        }
        self.ahead[0]
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
        let mut returned = Vec::new();
        for _ in 0..100 {
            let v = draws.next(|r| r.below(1000), |c, d| warmed.borrow_mut().push((c, d)));
            assert_eq!(v, direct.below(1000));
            returned.push(v);
        }
        // Each call warms the next AHEAD values, nearest first, each at its distance.
        let warmed = warmed.into_inner();
        let mut again = stream();
        let values: Vec<u32> = (0..100 + AHEAD).map(|_| again.below(1000)).collect();
        assert_eq!(&values[..100], &returned[..]);
        for (call, w) in warmed.chunks(AHEAD).enumerate() {
            let expected: Vec<_> = (1..=AHEAD).map(|d| (values[call + d], d)).collect();
            assert_eq!(w, &expected[..]);
        }
        // peek shows the value next returns, and does not draw twice.
        let ahead = draws.peek(|r| r.below(1000));
        assert_eq!(draws.peek(|r| r.below(1000)), ahead);
        assert_eq!(draws.next(|r| r.below(1000), |_, _| ()), ahead);
        assert_eq!(ahead, values[100]);
    }

    #[test]
    fn peek_before_the_first_next_keeps_the_order() {
        let stream = || Rng::for_stream(3, Stream::Chunk, 0, 0);
        let mut direct = stream();
        let mut draws = Draws::new(stream());
        assert_eq!(draws.peek(|r| r.below(50)), direct.below(50));
        let mut direct_again = stream();
        for _ in 0..10 {
            assert_eq!(
                draws.next(|r| r.below(50), |_, _| ()),
                direct_again.below(50)
            );
        }
    }
}
