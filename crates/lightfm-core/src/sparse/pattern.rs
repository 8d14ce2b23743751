//! Which columns each row stores, without the values: all that excluding a user's train
//! items reads, at half the bytes of a CSR copy.

use super::{CsrMatrix, CsrView};

/// Read access to the sorted, unique column indices of each row.
pub trait RowIndices: Sync {
    fn shape(&self) -> (usize, usize);
    fn row_indices(&self, r: usize) -> &[u32];
}

/// A CSR matrix without its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    rows: usize,
    cols: usize,
    indptr: Vec<u32>,
    indices: Vec<u32>,
}

impl RowIndices for Pattern {
    fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
    fn row_indices(&self, r: usize) -> &[u32] {
        &self.indices[self.indptr[r] as usize..self.indptr[r + 1] as usize]
    }
}

impl RowIndices for CsrMatrix {
    fn shape(&self) -> (usize, usize) {
        CsrMatrix::shape(self)
    }
    fn row_indices(&self, r: usize) -> &[u32] {
        self.row(r).0
    }
}

impl RowIndices for CsrView<'_> {
    fn shape(&self) -> (usize, usize) {
        CsrView::shape(self)
    }
    fn row_indices(&self, r: usize) -> &[u32] {
        self.row(r).0
    }
}

impl CsrMatrix {
    /// The matrix's pattern, copied.
    pub fn pattern(&self) -> Pattern {
        self.view().select_pattern(|_| true)
    }
}

impl CsrView<'_> {
    /// The pattern of the rows `keep` selects, the others empty, in the same shape: an
    /// evaluation that ranks a few users copies only their rows of the train matrix.
    pub fn select_pattern(&self, keep: impl Fn(usize) -> bool) -> Pattern {
        let (mut indptr, mut indices) = (vec![0u32], Vec::new());
        for r in 0..self.rows {
            if keep(r) {
                indices.extend_from_slice(self.row(r).0);
            }
            indptr.push(indices.len() as u32);
        }
        Pattern {
            rows: self.rows,
            cols: self.cols,
            indptr,
            indices,
        }
    }
}

/// Number of stored coordinates `a` and `b` share (rows beyond either one's are ignored).
pub fn intersection_count(a: &dyn RowIndices, b: &dyn RowIndices) -> usize {
    (0..a.shape().0.min(b.shape().0))
        .map(|r| {
            let (a, b) = (a.row_indices(r), b.row_indices(r));
            let (mut i, mut j, mut n) = (0, 0, 0);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        n += 1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            n
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::CooMatrix;

    #[test]
    fn select_pattern_keeps_shape_and_chosen_rows() {
        let csr = CooMatrix::new(4, 5, vec![0, 1, 1, 3, 2], vec![4, 0, 3, 1, 2], vec![2.0; 5])
            .unwrap()
            .to_csr();
        let some = csr.view().select_pattern(|r| r % 2 == 1);
        assert_eq!(RowIndices::shape(&some), csr.shape());
        for r in 0..4 {
            let expected: &[u32] = if r % 2 == 1 { csr.row(r).0 } else { &[] };
            assert_eq!(some.row_indices(r), expected, "row {r}");
        }
    }

    #[test]
    fn intersections() {
        let a = CooMatrix::new(2, 3, vec![0, 0, 1], vec![0, 2, 1], vec![1.0; 3])
            .unwrap()
            .to_csr();
        let b = CooMatrix::new(2, 3, vec![0, 1], vec![2, 2], vec![1.0; 2])
            .unwrap()
            .to_csr();
        assert_eq!(intersection_count(&a, &b), 1);
        assert_eq!(
            intersection_count(&a, &a.view().select_pattern(|r| r == 0)),
            2
        );
    }
}
