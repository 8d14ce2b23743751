//! One side's feature matrix, as a training step reads it.
//!
//! Most fits use the default identity features, where id `i` is feature row `i` with
//! weight 1. Recognising that once per epoch lets the hot paths skip the CSR lookup: two
//! dependent loads in front of each of the ~20 parameter rows a WARP example touches. A
//! [`Row`] of identity features is the id itself, so not even the matrix's `indices` entry is
//! read: with a million items that entry is a cache miss of its own, and profiles of the
//! 5M x 1M set put 60% of WARP's candidate scoring on it, in front of the candidate's prefetch.

use crate::prefetch::prefetch_read;
use crate::sparse::CsrMatrix;

#[derive(Clone, Copy)]
pub struct FeatureRows<'a> {
    matrix: &'a CsrMatrix,
    identity: bool,
}

impl<'a> FeatureRows<'a> {
    pub fn new(matrix: &'a CsrMatrix) -> Self {
        FeatureRows {
            matrix,
            identity: matrix.is_identity(),
        }
    }

    /// Whether id `i` is feature row `i` with weight 1.
    pub fn is_identity(&self) -> bool {
        self.identity
    }

    /// The feature rows that make up `id`, and their weights.
    #[inline]
    pub fn row(&self, id: u32) -> Row<'a> {
        if self.identity {
            return Row::Own(id);
        }
        let (idx, val) = self.matrix.row(id as usize);
        Row::Listed(idx, val)
    }

    /// Starts fetching where `id`'s entries are (the matrix's row bounds): the first of the
    /// two lookups of [`Self::row`]. Nothing to fetch for identity features.
    #[inline]
    pub fn prefetch_bounds(&self, id: u32) {
        if !self.identity {
            // The two bounds share a line but for one row in sixteen.
            let bounds = self.matrix.indptr().get(id as usize..id as usize + 2);
            if let Some([start, end]) = bounds {
                prefetch_read(start);
                prefetch_read(end);
            }
        }
    }

    /// Reads `id`'s row bounds (best fetched by [`Self::prefetch_bounds`] first) and starts
    /// fetching its entries: the second lookup. Nothing to fetch for identity features.
    #[inline]
    pub fn prefetch_entries(&self, id: u32) {
        if let Row::Listed(idx, val) = self.row(id) {
            let ends = [idx.first().zip(val.first()), idx.last().zip(val.last())];
            for (i, x) in ends.into_iter().flatten() {
                prefetch_read(i);
                prefetch_read(x);
            }
        }
    }

    /// `(feature row, weight)` when `id` is made of exactly one feature.
    #[inline]
    pub fn single(&self, id: u32) -> Option<(u32, f32)> {
        if self.identity {
            return Some((id, 1.0));
        }
        match self.matrix.row(id as usize) {
            ([f], [x]) => Some((*f, *x)),
            _ => None,
        }
    }
}

/// The feature rows of one user or item, with their weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Row<'a> {
    /// Identity features: the id's own row, weight 1.
    Own(u32),
    /// Rows and weights as the feature matrix lists them.
    Listed(&'a [u32], &'a [f32]),
}

impl<'a> Row<'a> {
    /// How many feature rows (a user or item without features has none).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        match self {
            Row::Own(_) => 1,
            Row::Listed(idx, _) => idx.len(),
        }
    }

    /// `(feature row, weight)` pairs, in the matrix's order.
    #[inline]
    pub fn iter(&self) -> RowIter<'a> {
        match *self {
            Row::Own(f) => RowIter::Own(Some(f)),
            Row::Listed(idx, val) => RowIter::Listed(idx.iter().zip(val)),
        }
    }
}

/// The iterator of [`Row::iter`].
pub enum RowIter<'a> {
    Own(Option<u32>),
    Listed(std::iter::Zip<std::slice::Iter<'a, u32>, std::slice::Iter<'a, f32>>),
}

impl Iterator for RowIter<'_> {
    type Item = (u32, f32);

    #[inline]
    fn next(&mut self) -> Option<(u32, f32)> {
        match self {
            RowIter::Own(f) => f.take().map(|f| (f, 1.0)),
            RowIter::Listed(pairs) => pairs.next().map(|(&f, &x)| (f, x)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_and_general_rows_agree_with_the_matrix() {
        let identity = CsrMatrix::identity(3).unwrap();
        let general =
            CsrMatrix::new(3, 2, vec![0, 1, 3, 3], vec![1, 0, 1], vec![0.5, 1.0, 2.0]).unwrap();
        for m in [&identity, &general] {
            let rows = FeatureRows::new(m);
            for id in 0..3u32 {
                let (idx, val) = m.row(id as usize);
                let row = rows.row(id);
                let pairs: Vec<_> = idx.iter().zip(val).map(|(&f, &x)| (f, x)).collect();
                assert_eq!(row.iter().collect::<Vec<_>>(), pairs);
                assert_eq!(row.len(), idx.len());
                let single = (idx.len() == 1).then(|| (idx[0], val[0]));
                assert_eq!(rows.single(id), single);
            }
        }
        assert!(FeatureRows::new(&identity).identity);
        assert!(!FeatureRows::new(&general).identity);
    }
}
