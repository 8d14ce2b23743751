//! "Is item i stored for user u?" in O(1) where memory allows.
//!
//! WARP and BPR ask this for every sampled negative. A dense bitset answers with one load
//! (the largest single speed-up measured in `hogwild-prototype-results.md`); when
//! `users x items` bits would be too large we fall back to binary search in the sorted row.

use crate::sparse::CsrMatrix;

/// Largest bitset built, in bytes, unless the interactions themselves are larger.
const BITSET_BUDGET: usize = 64 << 20;

pub enum Positives {
    Bits {
        words: Vec<u64>,
        n_items: usize,
    },
    /// Sorted column indices per row (a CSR without its values, which membership ignores).
    Rows {
        indptr: Vec<u32>,
        indices: Vec<u32>,
    },
}

impl Positives {
    /// Membership of every stored entry of `interactions` (whatever its value, as LightFM).
    pub fn new(interactions: CsrMatrix) -> Self {
        let (rows, cols) = interactions.shape();
        let bits = rows.saturating_mul(cols);
        let budget = BITSET_BUDGET.max(interactions.nnz() * 8);
        if bits / 8 > budget {
            return Positives::rows(interactions);
        }
        let mut words = vec![0u64; bits.div_ceil(64)];
        for r in 0..rows {
            for &c in interactions.row(r).0 {
                let b = r * cols + c as usize;
                words[b / 64] |= 1 << (b % 64);
            }
        }
        Positives::Bits {
            words,
            n_items: cols,
        }
    }

    /// The binary-search form, whatever the size.
    pub fn rows(interactions: CsrMatrix) -> Self {
        let (indptr, indices, _) = interactions.into_parts();
        Positives::Rows { indptr, indices }
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
        let csr = CooMatrix::new(2, 2, vec![0, 1], vec![1, 0], vec![1.0, 1.0])
            .unwrap()
            .to_csr();
        for p in [Positives::rows(csr.clone()), Positives::new(csr)] {
            assert!(!p.contains(0, 0));
            assert!(p.contains(0, 1));
            assert!(p.contains(1, 0));
            assert!(!p.contains(1, 1));
        }
    }
}
