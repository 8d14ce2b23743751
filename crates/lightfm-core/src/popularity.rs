//! Drawing items in proportion to how often they are stored: LightFM's BPR negatives.
//!
//! LightFM draws `item_ids[rand() % nnz]`, a random read into an array as long as the data.
//! Walker's alias method (Vose's construction) gives the same distribution from two arrays
//! of `n_items` entries, which stay in cache: one uniform slot and one coin flip per draw.

use crate::rng::Rng;

/// An alias table over items weighted by their counts.
pub struct Popularity {
    /// Probability of keeping slot `i` rather than taking `alias[i]`.
    keep: Vec<f32>,
    alias: Vec<u32>,
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
        let mut keep = vec![1.0f32; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| scaled[i] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            keep[s] = scaled[s] as f32;
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Whatever is left holds probability 1 up to rounding.
        Some(Popularity { keep, alias })
    }

    /// One item, drawn with probability `counts[i] / total`.
    #[inline]
    pub fn draw(&self, rng: &mut Rng) -> u32 {
        let slot = rng.below(self.keep.len() as u32) as usize;
        if (rng.next_u32() as f32) * (1.0 / 4_294_967_296.0) < self.keep[slot] {
            slot as u32
        } else {
            self.alias[slot]
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
}
