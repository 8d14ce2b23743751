//! The order in which an epoch visits its examples: a random permutation, or, for the losses
//! where it was measured harmless and when the user table outgrows the caches, short runs of
//! neighbouring examples (mostly one user's) in a random order of runs.
//!
//! The examples are grouped by user, so [`RUN`] neighbouring positions nearly always belong to
//! one user. Visiting whole runs keeps that user's row in the core's cache for the next
//! `RUN - 1` steps: at 5M users every example otherwise begins with a user row (9 cache
//! lines of parameters and optimiser state) fetched from memory.
//!
//! Statistically this is still an epoch of SGD without replacement: every example is visited
//! exactly once, the runs come in a uniformly random order (a keyed [`Permutation`]), and the
//! grid of runs is shifted by a random offset each epoch, so which neighbours share a run
//! changes from epoch to epoch. What changes from a full shuffle is that up to `RUN`
//! consecutive steps update the same user row, each from the row the previous one left.
//! Item rows see no difference: a run's items are its user's, and the items of successive
//! runs are independent. Measured on the 100M benchmark set (5M users x 1M items, 2 threads,
//! one epoch, two seeds; docs/benchmarks.md):
//! - logistic: epoch 27.2 s -> 16.6 s, test AUC and precision@10 unchanged;
//! - WARP: epoch about 15% shorter, AUC 0.891 -> 0.910, precision@10 within noise;
//! - BPR: 7-25% shorter, AUC 0.60 -> 0.65 but precision@10 0.0145 -> 0.011 (both seeds), so
//!   BPR keeps the full shuffle; k-OS and regression were not measured and keep it too.
//!
//! Where users have many examples and the tables are small the runs cost WARP a little: on
//! MovieLens-1M (150 examples per user) its AUC fell by 0.002 and precision@10 by 4%, with
//! nothing to gain there (the tables sit in cache). So runs start at user tables larger than
//! [`RUNS_FROM_BYTES`]; smaller ones keep the full shuffle, exactly as before.

use crate::hyper::Loss;
use crate::permutation::Permutation;
use crate::rng::Rng;

/// Neighbouring examples visited together when the user table is large: a power of two, so
/// that finding a slot's run is a shift, not a division, on the per-example path.
pub const RUN: usize = 8;
const _: () = assert!(RUN.is_power_of_two());

/// The user table size (parameters and optimiser state) from which runs are used: far beyond
/// the caches of the CPUs the library runs on (about 500k users at 64 components).
pub const RUNS_FROM_BYTES: usize = 256 << 20;

/// One epoch's visiting order over positions `0..n`, read by slot: slot `s` of
/// `0..slots()` visits [`EpochOrder::get`]`(s)`, or nothing for the few slots that fall
/// before the first or after the last position (only with runs).
pub struct EpochOrder {
    runs: Permutation,
    /// The run grid's shift: run `r` covers positions `r * RUN - offset ..` (`offset < RUN`).
    offset: usize,
    n: usize,
    /// log2 of the run length (0: no runs).
    run_bits: u32,
}

impl EpochOrder {
    /// A random order of `n` positions for a fit with `loss` whose user table holds
    /// `user_table_bytes`, keyed by the next draws of `rng`. Without runs it draws exactly
    /// what a plain [`Permutation`] of `n` does, so those fits train as before.
    pub fn new(n: usize, loss: Loss, user_table_bytes: usize, rng: &mut Rng) -> Self {
        let measured = matches!(loss, Loss::Warp | Loss::Logistic);
        let run = if measured && user_table_bytes > RUNS_FROM_BYTES {
            RUN
        } else {
            1
        };
        Self::with_run(n, run, rng)
    }

    fn with_run(n: usize, run: usize, rng: &mut Rng) -> Self {
        debug_assert!(run.is_power_of_two());
        let offset = if run > 1 {
            (rng.next_u64() % run as u64) as usize
        } else {
            0
        };
        EpochOrder {
            runs: Permutation::new((n + offset).div_ceil(run), rng),
            offset,
            n,
            run_bits: run.trailing_zeros(),
        }
    }

    /// Slots to read: with runs, a few more than positions (the first and last runs may be
    /// partial).
    pub fn slots(&self) -> usize {
        (self.n + self.offset).div_ceil(self.run()) << self.run_bits
    }

    fn run(&self) -> usize {
        1 << self.run_bits
    }

    /// The position slot `s` visits, if any.
    #[inline]
    pub fn get(&self, s: usize) -> Option<usize> {
        let run = self.runs.get(s >> self.run_bits) as usize;
        ((run << self.run_bits) + (s & (self.run() - 1)))
            .checked_sub(self.offset)
            .filter(|&p| p < self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    fn rng(seed: u64, epoch: u64) -> Rng {
        Rng::for_stream(seed, Stream::Shuffle, epoch, 0)
    }

    fn visits(n: usize, run: usize, seed: u64, epoch: u64) -> Vec<usize> {
        let o = EpochOrder::with_run(n, run, &mut rng(seed, epoch));
        (0..o.slots()).filter_map(|s| o.get(s)).collect()
    }

    #[test]
    fn visits_every_position_once() {
        for n in [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 17, 1000, 4097] {
            for run in [1, 2, RUN] {
                for epoch in 0..6 {
                    let mut v = visits(n, run, 3, epoch);
                    v.sort_unstable();
                    assert_eq!(
                        v,
                        (0..n).collect::<Vec<_>>(),
                        "n={n} run={run} epoch={epoch}"
                    );
                }
            }
        }
    }

    #[test]
    fn small_user_tables_and_unmeasured_losses_keep_the_plain_permutation() {
        let n = 5000;
        let p = Permutation::new(n, &mut rng(9, 2));
        for (loss, bytes) in [(Loss::Warp, RUNS_FROM_BYTES), (Loss::Bpr, usize::MAX)] {
            let o = EpochOrder::new(n, loss, bytes, &mut rng(9, 2));
            assert_eq!(o.slots(), n);
            assert!((0..n).all(|k| o.get(k) == Some(p.get(k) as usize)));
        }
        for loss in [Loss::Warp, Loss::Logistic] {
            let o = EpochOrder::new(n, loss, RUNS_FROM_BYTES + 1, &mut rng(9, 2));
            assert_eq!(o.run(), RUN);
        }
    }

    #[test]
    fn runs_are_neighbours_and_the_grid_moves() {
        let n = 10_000;
        let mut offsets = std::collections::HashSet::new();
        for epoch in 0..20 {
            let o = EpochOrder::with_run(n, RUN, &mut rng(5, epoch));
            offsets.insert(o.offset);
            for s in (0..o.slots()).step_by(RUN) {
                let run: Vec<usize> = (s..s + RUN).filter_map(|t| o.get(t)).collect();
                assert!(run.windows(2).all(|w| w[1] == w[0] + 1), "{run:?}");
            }
        }
        assert_eq!(offsets.len(), RUN, "every shift of the grid occurs");
        // Runs are shuffled: beyond the steps within runs, consecutive positions are rarely neighbours.
        let v = visits(n, RUN, 5, 0);
        let adjacent = v.windows(2).filter(|w| w[1] == w[0] + 1).count();
        assert!(adjacent < n * (RUN - 1) / RUN + n / 100, "{adjacent}");
    }
}
