//! Sparse matrices: COO for building and training order, CSR for row access.
//!
//! Indices are `u32` and values `f32`, as in LightFM. Both types (and the borrowed views of
//! `view`) are validated on construction, so every other module can index without
//! re-checking.

use crate::alloc;
use crate::error::{Error, Result};

mod pattern;
mod view;
pub use pattern::{intersection_count, Pattern, RowIndices};
pub(crate) use view::merged_row;
pub use view::{CooView, CsrView};

/// Largest number of rows, columns or stored entries a matrix may have.
pub const MAX_DIM: usize = i32::MAX as usize;

/// A coordinate-format matrix: parallel `row`, `col`, `data` arrays.
///
/// Duplicate coordinates are allowed and kept (each is its own training example).
#[derive(Debug, Clone, PartialEq)]
pub struct CooMatrix {
    rows: usize,
    cols: usize,
    row: Vec<u32>,
    col: Vec<u32>,
    data: Vec<f32>,
}

/// A compressed-sparse-row matrix with sorted, unique column indices in each row.
#[derive(Debug, Clone, PartialEq)]
pub struct CsrMatrix {
    rows: usize,
    cols: usize,
    indptr: Vec<u32>,
    indices: Vec<u32>,
    data: Vec<f32>,
}

fn check_dims(what: &str, rows: usize, cols: usize, nnz: usize) -> Result<()> {
    if rows > MAX_DIM || cols > MAX_DIM || nnz > MAX_DIM {
        return Err(Error::invalid(format!(
            "{what}: shape [{rows}, {cols}] with {nnz} entries is larger than the supported {MAX_DIM} per dimension"
        )));
    }
    Ok(())
}

fn check_finite(what: &str, data: &[f32]) -> Result<()> {
    match data.iter().position(|v| !v.is_finite()) {
        Some(position) => Err(Error::NotFinite {
            what: what.to_string(),
            position,
        }),
        None => Ok(()),
    }
}

fn check_range(what: &str, idx: &[u32], bound: usize) -> Result<()> {
    match idx.iter().find(|&&i| i as usize >= bound) {
        Some(&i) => Err(Error::IndexRange {
            what: what.to_string(),
            index: i64::from(i),
            bound: bound as u64,
        }),
        None => Ok(()),
    }
}

impl CooMatrix {
    /// Builds a COO matrix, checking it as [`CooView::new`] does.
    pub fn new(
        rows: usize,
        cols: usize,
        row: Vec<u32>,
        col: Vec<u32>,
        data: Vec<f32>,
    ) -> Result<Self> {
        CooView::new(rows, cols, &row, &col, &data)?;
        Ok(CooMatrix {
            rows,
            cols,
            row,
            col,
            data,
        })
    }

    /// The matrix, borrowed.
    pub fn view(&self) -> CooView<'_> {
        CooView {
            rows: self.rows,
            cols: self.cols,
            row: &self.row,
            col: &self.col,
            data: &self.data,
        }
    }

    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
    pub fn nnz(&self) -> usize {
        self.row.len()
    }
    pub fn row(&self) -> &[u32] {
        &self.row
    }
    pub fn col(&self) -> &[u32] {
        &self.col
    }
    pub fn data(&self) -> &[f32] {
        &self.data
    }
    /// The value of entry `k`.
    #[inline]
    pub fn value(&self, k: usize) -> f32 {
        self.data[k]
    }

    /// The `(row, col, data)` arrays.
    pub fn into_parts(self) -> (Vec<u32>, Vec<u32>, Vec<f32>) {
        (self.row, self.col, self.data)
    }

    /// Converts to CSR (see [`CooView::to_csr`]).
    pub fn to_csr(&self) -> CsrMatrix {
        self.view().to_csr()
    }
}

impl CsrMatrix {
    /// Builds a CSR matrix, checking it as [`CsrView::new`] does.
    pub fn new(
        rows: usize,
        cols: usize,
        indptr: Vec<u32>,
        indices: Vec<u32>,
        data: Vec<f32>,
    ) -> Result<Self> {
        CsrView::new(rows, cols, &indptr, &indices, &data)?;
        Ok(CsrMatrix {
            rows,
            cols,
            indptr,
            indices,
            data,
        })
    }

    /// The matrix, borrowed.
    pub fn view(&self) -> CsrView<'_> {
        CsrView {
            rows: self.rows,
            cols: self.cols,
            indptr: &self.indptr,
            indices: &self.indices,
            data: &self.data,
        }
    }

    /// Rows `ids` (each `< rows`), in that order, as a matrix of `ids.len()` rows.
    pub fn gather(&self, ids: &[u32]) -> CsrMatrix {
        let (mut indptr, mut indices, mut data) = (vec![0u32], Vec::new(), Vec::new());
        for &id in ids {
            let (idx, val) = self.row(id as usize);
            indices.extend_from_slice(idx);
            data.extend_from_slice(val);
            indptr.push(indices.len() as u32);
        }
        CsrMatrix {
            rows: ids.len(),
            cols: self.cols,
            indptr,
            indices,
            data,
        }
    }

    /// The `n x n` identity matrix: one feature per row, weight 1.
    pub fn identity(n: usize) -> Result<Self> {
        const WHAT: &str = "an identity feature matrix";
        // All three arrays at once: each alone may fit where together they do not.
        alloc::check(WHAT, 12 * n as u128 + 4)?;
        let mut indptr = alloc::with_capacity(WHAT, n + 1)?;
        indptr.extend(0..=n as u32);
        let mut indices = alloc::with_capacity(WHAT, n)?;
        indices.extend(0..n as u32);
        Ok(CsrMatrix {
            rows: n,
            cols: n,
            indptr,
            indices,
            data: alloc::vec_of(WHAT, n, 1.0)?,
        })
    }

    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn cols(&self) -> usize {
        self.cols
    }
    pub fn nnz(&self) -> usize {
        self.data.len()
    }
    pub fn indptr(&self) -> &[u32] {
        &self.indptr
    }
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The `(indptr, indices, data)` arrays, consuming the matrix.
    pub fn into_parts(self) -> (Vec<u32>, Vec<u32>, Vec<f32>) {
        (self.indptr, self.indices, self.data)
    }

    /// Column indices and values of row `r`.
    #[inline]
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (s, e) = (self.indptr[r] as usize, self.indptr[r + 1] as usize);
        (&self.indices[s..e], &self.data[s..e])
    }

    /// Number of stored entries in row `r`.
    #[inline]
    pub fn row_nnz(&self, r: usize) -> usize {
        (self.indptr[r + 1] - self.indptr[r]) as usize
    }

    /// Whether `(r, c)` is stored (whatever its value).
    #[inline]
    pub fn contains(&self, r: usize, c: u32) -> bool {
        self.row(r).0.binary_search(&c).is_ok()
    }

    /// Whether the matrix is the identity (so representations are single rows): square,
    /// with row `r` holding only `(r, 1.0)`.
    pub fn is_identity(&self) -> bool {
        self.rows == self.cols
            && self.nnz() == self.rows
            && self
                .indptr
                .iter()
                .enumerate()
                .all(|(r, &p)| p as usize == r)
            && self
                .indices
                .iter()
                .enumerate()
                .all(|(i, &c)| c as usize == i)
            && self.data.iter().all(|&v| v == 1.0)
    }

    /// The transpose, also in canonical (sorted) CSR form.
    pub fn transpose(&self) -> CsrMatrix {
        self.to_coo_transposed().to_csr()
    }

    /// Back to COO, in row-major order.
    pub fn to_coo(&self) -> CooMatrix {
        let mut row = Vec::with_capacity(self.nnz());
        for r in 0..self.rows {
            row.extend(std::iter::repeat_n(r as u32, self.row_nnz(r)));
        }
        CooMatrix {
            rows: self.rows,
            cols: self.cols,
            row,
            col: self.indices.clone(),
            data: self.data.clone(),
        }
    }

    fn to_coo_transposed(&self) -> CooMatrix {
        let coo = self.to_coo();
        CooMatrix {
            rows: self.cols,
            cols: self.rows,
            row: coo.col,
            col: coo.row,
            data: coo.data,
        }
    }

    /// Dense row-major copy, for tests and small matrices.
    pub fn to_dense(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.rows * self.cols];
        for r in 0..self.rows {
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                out[r * self.cols + c as usize] = v;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense_from_coo(m: &CooMatrix) -> Vec<f32> {
        let mut d = vec![0.0; m.rows * m.cols];
        for i in 0..m.nnz() {
            d[m.row[i] as usize * m.cols + m.col[i] as usize] += m.value(i);
        }
        d
    }

    fn lcg(seed: &mut u64) -> u32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as u32
    }

    fn random_coo(rows: usize, cols: usize, nnz: usize, seed: u64) -> CooMatrix {
        let mut s = seed;
        let row = (0..nnz).map(|_| lcg(&mut s) % rows as u32).collect();
        let col = (0..nnz).map(|_| lcg(&mut s) % cols as u32).collect();
        let data = (0..nnz).map(|_| (lcg(&mut s) % 7) as f32 - 3.0).collect();
        CooMatrix::new(rows, cols, row, col, data).unwrap()
    }

    #[test]
    fn coo_to_csr_matches_dense_sum_of_duplicates() {
        for seed in 0..20 {
            let coo = random_coo(7, 5, 40, seed);
            let csr = coo.to_csr();
            assert_eq!(csr.to_dense(), dense_from_coo(&coo));
            // canonical form validates
            CsrMatrix::new(
                7,
                5,
                csr.indptr.clone(),
                csr.indices.clone(),
                csr.data.clone(),
            )
            .unwrap();
        }
    }

    #[test]
    fn transpose_matches_dense() {
        let csr = random_coo(6, 9, 30, 3).to_csr();
        let t = csr.transpose();
        let (d, dt) = (csr.to_dense(), t.to_dense());
        for r in 0..6 {
            for c in 0..9 {
                assert_eq!(d[r * 9 + c], dt[c * 6 + r]);
            }
        }
        assert_eq!(t.transpose(), csr);
    }

    #[test]
    fn round_trip_coo_csr_coo() {
        let csr = random_coo(5, 5, 12, 9).to_csr();
        assert_eq!(csr.to_coo().to_csr(), csr);
    }

    #[test]
    fn identity_is_identity() {
        let i = CsrMatrix::identity(4).unwrap();
        assert!(i.is_identity());
        assert_eq!(i.to_dense()[5], 1.0);
    }

    #[test]
    fn validation_errors() {
        let e = CooMatrix::new(2, 2, vec![0, 2], vec![0, 1], vec![1.0, 1.0]).unwrap_err();
        assert_eq!(e.code(), "ERR_INDEX_RANGE");
        let e = CooMatrix::new(2, 2, vec![0], vec![0, 1], vec![1.0, 1.0]).unwrap_err();
        assert_eq!(e.code(), "ERR_SHAPE");
        let e = CooMatrix::new(2, 2, vec![0], vec![0], vec![f32::NAN]).unwrap_err();
        assert_eq!(e.code(), "ERR_NOT_FINITE");
        let e = CsrMatrix::new(2, 2, vec![0, 2, 1], vec![0, 1], vec![1.0, 1.0]).unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_ARG");
        let e = CsrMatrix::new(1, 3, vec![0, 2], vec![1, 1], vec![1.0, 1.0]).unwrap_err();
        assert!(e.to_string().contains("strictly increasing"));
        let e = CsrMatrix::new(1, 3, vec![0, 3], vec![1, 2], vec![1.0, 1.0]).unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_ARG");
        assert_eq!(
            CsrMatrix::new(1, 3, vec![0], vec![], vec![])
                .unwrap_err()
                .code(),
            "ERR_SHAPE"
        );
    }

    #[test]
    fn contains() {
        let a = CooMatrix::new(2, 3, vec![0, 0, 1], vec![0, 2, 1], vec![1.0; 3])
            .unwrap()
            .to_csr();
        assert!(a.contains(0, 2) && !a.contains(1, 2));
    }
}
