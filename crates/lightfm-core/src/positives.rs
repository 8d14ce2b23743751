//! "Is item i stored for user u?" in O(1) where memory allows.
//!
//! WARP and BPR ask this for every sampled negative. A dense bitset answers with one load
//! (the largest single speed-up measured in `hogwild-prototype-results.md`); when
//! `users x items` bits would be too large we fall back to binary search in the sorted row.

use std::borrow::Cow;

use crate::examples::{Examples, Span};
use crate::prefetch::prefetch_read;

/// Largest bitset built, in bytes, unless the interactions themselves are larger.
const BITSET_BUDGET: usize = 64 << 20;

pub enum Positives<'a> {
    Bits {
        words: Vec<u64>,
        n_items: usize,
    },
    /// The grouped examples' items with each user's row sorted (duplicates are harmless to
    /// the search). A row is found by its example's [`Span`], not by an `indptr` of its own:
    /// with millions of users that lookup was a cache miss in front of every search.
    Rows {
        indices: Cow<'a, [u32]>,
    },
}

impl<'a> Positives<'a> {
    /// Whether `rows x cols` interactions with `nnz` entries get the bitset form.
    pub fn bitset_fits(rows: usize, cols: usize, nnz: usize) -> bool {
        rows.saturating_mul(cols) / 8 <= BITSET_BUDGET.max(nnz.saturating_mul(8))
    }

    /// Membership of every stored entry of `examples` (whatever its value, as LightFM). The
    /// search form borrows the examples' rows when they are sorted.
    pub fn new(examples: &'a Examples) -> Self {
        let (rows, cols) = examples.shape();
        if !Positives::bitset_fits(rows, cols, examples.len()) {
            return Positives::rows(examples);
        }
        let mut words = vec![0u64; (rows * cols).div_ceil(64)];
        let indptr = examples.indptr();
        for r in 0..rows {
            for &c in &examples.items()[indptr[r] as usize..indptr[r + 1] as usize] {
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
    pub fn rows(examples: &'a Examples) -> Self {
        if examples.rows_sorted() {
            return Positives::Rows {
                indices: Cow::Borrowed(examples.items()),
            };
        }
        let mut indices = examples.items().to_vec();
        for w in examples.indptr().windows(2) {
            indices[w[0] as usize..w[1] as usize].sort_unstable();
        }
        Positives::Rows {
            indices: Cow::Owned(indices),
        }
    }

    /// For losses that never ask.
    pub fn empty() -> Self {
        Positives::Rows {
            indices: Cow::Owned(Vec::new()),
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
    pub fn contains(&self, user: u32, span: Span, item: u32) -> bool {
        match self {
            Positives::Bits { words, n_items } => {
                let b = user as usize * n_items + item as usize;
                words[b / 64] & (1 << (b % 64)) != 0
            }
            Positives::Rows { indices } => indices[span.start as usize..span.end as usize]
                .binary_search(&item)
                .is_ok(),
        }
    }

    /// Starts fetching the row that [`Positives::contains`] searches for a user whose entries
    /// are `span` (the bitset form has no row: its words depend on the item). A hint only.
    #[inline]
    pub fn prefetch_row(&self, span: Span) {
        if let Positives::Rows { indices } = self {
            // Rows average a few lines at most; their ends are where a binary search starts.
            for p in [span.start as usize, (span.end as usize).saturating_sub(1)] {
                if let Some(x) = indices.get(p) {
                    prefetch_read(x);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hyper::Loss;
    use crate::sparse::CooMatrix;

    /// Calls `check` with `contains` of each form, asked with the span the examples give.
    fn forms(coo: &CooMatrix, check: impl Fn(&dyn Fn(u32, u32) -> bool)) {
        for loss in [Loss::Logistic, Loss::Warp] {
            let ex = Examples::new(coo.view(), false, None, loss).unwrap();
            let span = |u: usize| Span {
                start: ex.indptr()[u],
                end: ex.indptr()[u + 1],
            };
            for p in [Positives::new(&ex), Positives::rows(&ex)] {
                check(&|u, i| p.contains(u, span(u as usize), i));
            }
        }
    }

    #[test]
    fn in_positives_like_lightfm() {
        // test_fast_functions::test_in_positives: CSR [[0,1],[1,0]]
        let coo = CooMatrix::new(2, 2, vec![0, 1], vec![1, 0], vec![1.0, 1.0]).unwrap();
        forms(&coo, |p| {
            assert!(!p(0, 0));
            assert!(p(0, 1));
            assert!(p(1, 0));
            assert!(!p(1, 1));
        });
    }

    #[test]
    fn every_form_agrees_with_the_entries() {
        // Unsorted input with a duplicate (1, 2) and an empty row 2.
        let coo =
            CooMatrix::new(4, 5, vec![3, 1, 0, 1, 1], vec![4, 2, 3, 0, 2], vec![1.0; 5]).unwrap();
        forms(&coo, |p| {
            for u in 0..4 {
                for i in 0..5 {
                    let stored = coo
                        .row()
                        .iter()
                        .zip(coo.col())
                        .any(|(&r, &c)| (r, c) == (u, i));
                    assert_eq!(p(u, i), stored);
                }
            }
        });
    }
}
