//! Seeded random streams. Every stream is derived from the user's `randomState` and a few
//! integers naming its purpose (epoch, chunk), so results never depend on thread scheduling.

use rand_core::{Rng as _, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// What a stream is used for; keeps streams of different purposes independent.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Stream {
    Init = 1,
    Shuffle = 2,
    Chunk = 3,
    Split = 4,
    Resize = 5,
    Index = 6,
}

/// splitmix64's output step: a cheap, well-mixed hash of one word.
#[inline]
fn mix(z: u64) -> u64 {
    finalize(z.wrapping_add(0x9E37_79B9_7F4A_7C15))
}

/// splitmix64's finaliser: every input bit affects every output bit.
#[inline]
pub(crate) fn finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A portable xoshiro256++ generator (stable output across versions and platforms).
#[derive(Clone)]
pub struct Rng(Xoshiro256PlusPlus);

impl Rng {
    /// A stream for `purpose`, identified by the seed and up to two further integers.
    pub fn for_stream(seed: u64, purpose: Stream, a: u64, b: u64) -> Self {
        let key =
            mix(mix(mix(seed) ^ purpose as u64) ^ a.wrapping_mul(0xD6E8_FEB8_6659_FD93)) ^ mix(b);
        Rng(Xoshiro256PlusPlus::seed_from_u64(key))
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        (self.0.next_u64() >> 32) as u32
    }

    /// Uniform integer in `0..n` (Lemire's multiply-shift; `n > 0`).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        ((u64::from(self.next_u32()) * u64::from(n)) >> 32) as u32
    }

    /// Uniform integer in `0..n` for sizes that may exceed `u32`.
    #[inline]
    pub fn below_usize(&mut self, n: usize) -> usize {
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform double in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn unit_f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below_usize(i + 1);
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u32> = (0..4)
            .map(|_| Rng::for_stream(7, Stream::Chunk, 1, 2).next_u32())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Rng::for_stream(7, Stream::Chunk, 1, 2);
        let mut y = Rng::for_stream(7, Stream::Chunk, 1, 3);
        assert_ne!(x.next_u32(), y.next_u32());
    }

    #[test]
    fn below_is_roughly_uniform() {
        let mut r = Rng::for_stream(1, Stream::Init, 0, 0);
        let mut counts = [0u32; 10];
        for _ in 0..100_000 {
            counts[r.below(10) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
        let mut v: Vec<u32> = (0..100).collect();
        r.shuffle(&mut v);
        let mut s = v.clone();
        s.sort_unstable();
        assert_eq!(s, (0..100).collect::<Vec<_>>());
        assert_ne!(v, s);
    }
}
