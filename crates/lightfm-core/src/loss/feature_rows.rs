//! One side's feature matrix, as a training step reads it.
//!
//! Most fits use the default identity features, where id `i` is feature row `i` with
//! weight 1. Recognising that once per epoch lets the hot paths skip the CSR lookup: two
//! dependent loads in front of each of the ~20 parameter rows a WARP example touches.

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

    /// The feature rows that make up `id`, and their weights.
    #[inline]
    pub fn row(&self, id: u32) -> (&'a [u32], &'a [f32]) {
        if self.identity {
            let i = id as usize;
            return (&self.matrix.indices()[i..=i], &self.matrix.data()[i..=i]);
        }
        self.matrix.row(id as usize)
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
                assert_eq!(rows.row(id), (idx, val));
                let single = (idx.len() == 1).then(|| (idx[0], val[0]));
                assert_eq!(rows.single(id), single);
            }
        }
        assert!(FeatureRows::new(&identity).identity);
        assert!(!FeatureRows::new(&general).identity);
    }
}
