//! Drawing items in proportion to how often they are stored: LightFM's BPR negatives.
//!
//! LightFM draws `item_ids[rand() % nnz]`, a random read into an array as long as the data.
//! Walker's alias method (Vose's construction) gives the same distribution from one table of
//! `n_items` slots: one uniform slot and one coin flip per draw.

use crate::prefetch::prefetch_read;
use crate::rng::Rng;

/// Tables from this size on outgrow a core's L2, and each draw fetches the next one's slot
/// ahead (see [`Popularity::draw`]).
const PREFETCH_FROM_BYTES: usize = 256 << 10;

/// One slot of the alias table: its own item with probability `keep`, else `alias`. Side by
/// side, so that a draw reads one cache line, not one in each of two arrays.
#[derive(Debug, Clone, Copy)]
struct Slot {
    keep: f32,
    alias: u32,
}

/// An alias table over items weighted by their counts.
pub struct Popularity {
    slots: Vec<Slot>,
}

impl Popularity {
    /// A table for `counts[i]` stored entries of item `i`; `None` when there are none.
    pub fn new(counts: &[u32]) -> Option<Self> {
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if total == 0 {
            return None;
        }
        let n = counts.len();
        let mut scaled: Vec<f64> = counts
            .iter()
            .map(|&c| c as f64 * n as f64 / total as f64)
            .collect();
        let mut slots: Vec<Slot> = (0..n as u32)
            .map(|i| Slot {
                keep: 1.0,
                alias: i,
            })
            .collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| scaled[i] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            slots[s] = Slot {
                keep: scaled[s] as f32,
                alias: l as u32,
            };
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Whatever is left holds probability 1 up to rounding.
        Some(Popularity { slots })
    }

    /// Whether draws fetch the next draw's slot ahead: the table outgrows L2.
    #[inline]
    fn prefetches(&self) -> bool {
        size_of_val(&self.slots[..]) >= PREFETCH_FROM_BYTES
    }

    /// One item, drawn with probability `counts[i] / total`.
    ///
    /// A large table's slot is a cache miss in front of every negative (at a million items,
    /// 6% of a 100M-example BPR epoch in `perf`). So the draw also computes, on a copy of the
    /// stream, where the next draw will land and fetches that slot now; when something else
    /// takes numbers from the stream in between, that fetch is merely wasted. The values drawn
    /// do not change.
    #[inline]
    pub fn draw(&self, rng: &mut Rng) -> u32 {
        let n = self.slots.len() as u32;
        let i = rng.below(n) as usize;
        let coin = (rng.next_u32() as f32) * (1.0 / 4_294_967_296.0);
        if self.prefetches() {
            prefetch_read(&self.slots[rng.clone().below(n) as usize]);
        }
        let slot = self.slots[i];
        if coin < slot.keep {
            i as u32
        } else {
            slot.alias
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn draws_follow_the_counts() {
        let counts = [0u32, 1, 5, 10, 0, 84];
        let table = Popularity::new(&counts).unwrap();
        let mut rng = Rng::for_stream(3, Stream::Init, 0, 0);
        let mut seen = [0u32; 6];
        let n = 200_000;
        for _ in 0..n {
            seen[table.draw(&mut rng) as usize] += 1;
        }
        for (i, &c) in counts.iter().enumerate() {
            let expected = f64::from(c) / 100.0 * f64::from(n);
            let sd = (expected.max(1.0)).sqrt();
            assert!(
                (f64::from(seen[i]) - expected).abs() < 5.0 * sd,
                "item {i}: {} vs {expected}",
                seen[i]
            );
        }
        assert!(Popularity::new(&[0, 0]).is_none());
    }

    #[test]
    fn a_table_large_enough_to_prefetch_draws_the_same() {
        // 100k items (800 KB of slots): one heavy item, every seventh never stored.
        let counts: Vec<u32> = (0..100_000u32)
            .map(|i| if i == 5 { 300_000 } else { i % 7 })
            .collect();
        let table = Popularity::new(&counts).unwrap();
        assert!(table.prefetches());
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        let mut rng = Rng::for_stream(11, Stream::Init, 0, 0);
        let mut again = rng.clone();
        let (mut heavy, n) = (0u32, 400_000);
        for _ in 0..n {
            let item = table.draw(&mut rng);
            // The same slot and coin as a draw that fetches nothing ahead.
            let (i, coin) = (
                again.below(100_000),
                again.next_u32() as f32 / 4_294_967_296.0,
            );
            let slot = table.slots[i as usize];
            assert_eq!(item, if coin < slot.keep { i } else { slot.alias });
            assert_ne!(counts[item as usize], 0, "item {item} is never stored");
            heavy += u32::from(item == 5);
        }
        let expected = 300_000.0 / total as f64 * f64::from(n);
        assert!(
            (f64::from(heavy) - expected).abs() < 5.0 * expected.sqrt(),
            "{heavy} vs {expected}"
        );
    }
}
