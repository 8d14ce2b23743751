//! "Is item i stored for user u?" in O(1) where memory allows.
//!
//! WARP and BPR ask this for every sampled negative. A dense bitset answers with one load
//! (the largest single speed-up measured in `hogwild-prototype-results.md`); when
//! `users x items` bits would be too large we fall back to binary search in the sorted row.

use crate::prefetch::prefetch_read;
use crate::sparse::CooMatrix;

/// Largest bitset built, in bytes, unless the interactions themselves are larger.
const BITSET_BUDGET: usize = 64 << 20;

pub enum Positives {
    Bits {
        words: Vec<u64>,
        n_items: usize,
    },
    /// Sorted, distinct column indices per row (a CSR without values, which membership ignores).
    Rows {
        indptr: Vec<u32>,
        indices: Vec<u32>,
    },
}

impl Positives {
    /// Membership of every stored entry of `interactions` (whatever its value, as LightFM).
    pub fn new(interactions: &CooMatrix) -> Self {
        let (rows, cols) = interactions.shape();
        let bits = rows.saturating_mul(cols);
        let budget = BITSET_BUDGET.max(interactions.nnz() * 8);
        if bits / 8 > budget {
            return Positives::rows(interactions);
        }
        let mut words = vec![0u64; bits.div_ceil(64)];
        for (&r, &c) in interactions.row().iter().zip(interactions.col()) {
            let b = r as usize * cols + c as usize;
            words[b / 64] |= 1 << (b % 64);
        }
        Positives::Bits {
            words,
            n_items: cols,
        }
    }

    /// The binary-search form, whatever the size: a counting sort by row, then each row
    /// sorted and deduplicated in place, so only `indptr` and `indices` are ever allocated.
    pub fn rows(interactions: &CooMatrix) -> Self {
        let n_rows = interactions.shape().0;
        let mut indptr = vec![0u32; n_rows + 1];
        for &r in interactions.row() {
            indptr[r as usize + 1] += 1;
        }
        for r in 0..n_rows {
            indptr[r + 1] += indptr[r];
        }
        let mut next = indptr.clone();
        let mut indices = vec![0u32; interactions.nnz()];
        for (&r, &c) in interactions.row().iter().zip(interactions.col()) {
            let slot = &mut next[r as usize];
            indices[*slot as usize] = c;
            *slot += 1;
        }
        drop(next);
        let mut end = 0;
        for r in 0..n_rows {
            let (s, e) = (indptr[r] as usize, indptr[r + 1] as usize);
            indices[s..e].sort_unstable();
            indptr[r] = end as u32;
            for i in s..e {
                if i == s || indices[i] != indices[i - 1] {
                    indices[end] = indices[i];
                    end += 1;
                }
            }
        }
        indptr[n_rows] = end as u32;
        indices.truncate(end);
        indices.shrink_to_fit();
        Positives::Rows { indptr, indices }
    }

    /// For losses that never ask.
    pub fn empty() -> Self {
        Positives::Rows {
            indptr: vec![0],
            indices: Vec::new(),
        }
    }

    /// Starts fetching the word `contains(user, item)` will read (bitset form only).
    #[inline]
    pub fn prefetch(&self, user: u32, item: u32) {
        if let Positives::Bits { words, n_items } = self {
            let b = user as usize * n_items + item as usize;
            prefetch_read(&words[b / 64]);
        }
    }

    #[inline]
    pub fn contains(&self, user: u32, item: u32) -> bool {
        match self {
            Positives::Bits { words, n_items } => {
                let b = user as usize * n_items + item as usize;
                words[b / 64] & (1 << (b % 64)) != 0
            }
            Positives::Rows { indptr, indices } => {
                let (s, e) = (
                    indptr[user as usize] as usize,
                    indptr[user as usize + 1] as usize,
                );
                indices[s..e].binary_search(&item).is_ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::CooMatrix;

    #[test]
    fn in_positives_like_lightfm() {
        // test_fast_functions::test_in_positives: CSR [[0,1],[1,0]]
        let coo = CooMatrix::new(2, 2, vec![0, 1], vec![1, 0], vec![1.0, 1.0]).unwrap();
        for p in [Positives::rows(&coo), Positives::new(&coo)] {
            assert!(!p.contains(0, 0));
            assert!(p.contains(0, 1));
            assert!(p.contains(1, 0));
            assert!(!p.contains(1, 1));
        }
    }

    #[test]
    fn rows_form_dedups_and_sorts() {
        // Unsorted input with a duplicate (1, 2) and an empty row 2.
        let coo =
            CooMatrix::new(4, 5, vec![3, 1, 0, 1, 1], vec![4, 2, 3, 0, 2], vec![1.0; 5]).unwrap();
        let Positives::Rows { indptr, indices } = Positives::rows(&coo) else {
            unreachable!()
        };
        assert_eq!(indptr, [0, 1, 3, 3, 4]);
        assert_eq!(indices, [3, 0, 2, 4]);
        for u in 0..4 {
            for i in 0..5 {
                let stored = coo
                    .row()
                    .iter()
                    .zip(coo.col())
                    .any(|(&r, &c)| (r, c) == (u, i));
                assert_eq!(Positives::rows(&coo).contains(u, i), stored);
                assert_eq!(Positives::new(&coo).contains(u, i), stored);
            }
        }
    }
}
