//! Checked views of sparse matrices over arrays owned elsewhere: synchronous calls read the
//! caller's arrays through them instead of copying, and copy only what they keep.

use super::{check_dims, check_finite, check_range, CsrMatrix};
use crate::error::{Error, Result};

/// A COO matrix borrowed from arrays it does not own (a checked view of the caller's data).
#[derive(Debug, Clone, Copy)]
pub struct CooView<'a> {
    pub(super) rows: usize,
    pub(super) cols: usize,
    pub(super) row: &'a [u32],
    pub(super) col: &'a [u32],
    pub(super) data: &'a [f32],
}

impl<'a> CooView<'a> {
    /// Borrows COO arrays after checking lengths, index ranges and finiteness.
    pub fn new(
        rows: usize,
        cols: usize,
        row: &'a [u32],
        col: &'a [u32],
        data: &'a [f32],
    ) -> Result<Self> {
        check_dims("COO matrix", rows, cols, data.len())?;
        if row.len() != data.len() || col.len() != data.len() {
            return Err(Error::shape(
                "COO matrix arrays row/col/data",
                format!("equal lengths ({})", data.len()),
                format!("row {} / col {}", row.len(), col.len()),
            ));
        }
        check_range("COO matrix row index", row, rows)?;
        check_range("COO matrix column index", col, cols)?;
        check_finite("COO matrix data", data)?;
        Ok(CooView {
            rows,
            cols,
            row,
            col,
            data,
        })
    }

    pub fn nnz(&self) -> usize {
        self.row.len()
    }

    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// The column index of every entry.
    pub fn col(&self) -> &'a [u32] {
        self.col
    }

    pub fn data(&self) -> &'a [f32] {
        self.data
    }

    /// Groups the entries by row with a counting sort: returns the row pointers and calls
    /// `place(k, p)` to put entry `k` at position `p` (a row's entries keep their order).
    pub fn group_by_row(&self, mut place: impl FnMut(usize, usize)) -> Vec<u32> {
        let mut indptr = vec![0u32; self.rows + 1];
        for &r in self.row {
            indptr[r as usize + 1] += 1;
        }
        for i in 0..self.rows {
            indptr[i + 1] += indptr[i];
        }
        let mut next = indptr.clone();
        for (k, &r) in self.row.iter().enumerate() {
            let slot = &mut next[r as usize];
            place(k, *slot as usize);
            *slot += 1;
        }
        indptr
    }

    /// Converts to CSR with sorted column indices; duplicate coordinates are summed.
    /// Explicit zeros are kept (they still mark a stored interaction).
    pub fn to_csr(&self) -> CsrMatrix {
        // Group by row into the output arrays themselves, then sort each row by column and
        // merge duplicates in place, so nothing but the result is allocated.
        let mut indices = vec![0u32; self.nnz()];
        let mut data = vec![0f32; self.nnz()];
        let mut indptr = self.group_by_row(|k, p| {
            indices[p] = self.col[k];
            data[p] = self.data[k];
        });
        let mut pairs: Vec<(u32, f32)> = Vec::new();
        let mut end = 0;
        for r in 0..self.rows {
            let (s, e) = (indptr[r] as usize, indptr[r + 1] as usize);
            pairs.clear();
            pairs.extend(
                indices[s..e]
                    .iter()
                    .copied()
                    .zip(data[s..e].iter().copied()),
            );
            indptr[r] = end as u32;
            // `end <= s` always, so writing at `end` never overwrites an unread entry.
            for (c, v) in merged_row(&mut pairs) {
                indices[end] = c;
                data[end] = v;
                end += 1;
            }
        }
        indptr[self.rows] = end as u32;
        indices.truncate(end);
        data.truncate(end);
        CsrMatrix {
            rows: self.rows,
            cols: self.cols,
            indptr,
            indices,
            data,
        }
    }
}

/// Sorts one row's `(column, value)` entries by column, stably, and yields each column once
/// with its values summed in input order (the duplicates rule of `to_csr`).
pub(crate) fn merged_row(pairs: &mut [(u32, f32)]) -> impl Iterator<Item = (u32, f32)> + '_ {
    pairs.sort_by_key(|&(c, _)| c);
    pairs.chunk_by(|a, b| a.0 == b.0).map(|run| {
        let sum = run[1..].iter().fold(run[0].1, |sum, &(_, v)| sum + v);
        (run[0].0, sum)
    })
}

/// A CSR matrix borrowed from arrays it does not own (a checked view of the caller's data).
#[derive(Debug, Clone, Copy)]
pub struct CsrView<'a> {
    pub(super) rows: usize,
    pub(super) cols: usize,
    pub(super) indptr: &'a [u32],
    pub(super) indices: &'a [u32],
    pub(super) data: &'a [f32],
}

impl<'a> CsrView<'a> {
    /// Borrows the arrays of a CSR matrix after checking them: `indptr` is monotone and
    /// consistent, column indices are in range and strictly increasing within each row, and
    /// values are finite.
    pub fn new(
        rows: usize,
        cols: usize,
        indptr: &'a [u32],
        indices: &'a [u32],
        data: &'a [f32],
    ) -> Result<Self> {
        check_dims("CSR matrix", rows, cols, data.len())?;
        if indptr.len() != rows + 1 {
            return Err(Error::shape("CSR indptr length", rows + 1, indptr.len()));
        }
        if indices.len() != data.len() {
            return Err(Error::shape(
                "CSR indices/data lengths",
                data.len(),
                indices.len(),
            ));
        }
        if indptr[0] != 0 || indptr[rows] as usize != data.len() {
            return Err(Error::invalid(format!(
                "malformed CSR matrix: indptr must start at 0 and end at nnz ({}), got {}..{}",
                data.len(),
                indptr[0],
                indptr[rows]
            )));
        }
        for r in 0..rows {
            let (s, e) = (indptr[r] as usize, indptr[r + 1] as usize);
            if s > e {
                return Err(Error::invalid(format!(
                    "malformed CSR matrix: indptr decreases at row {r} ({s} > {e})"
                )));
            }
            let row = &indices[s..e];
            check_range("CSR column index", row, cols)?;
            if let Some(w) = row.windows(2).position(|w| w[0] >= w[1]) {
                return Err(Error::invalid(format!(
                    "malformed CSR matrix: column indices of row {r} are not strictly increasing at position {}; build it with CooMatrix.toCsr() to sort and merge duplicates",
                    s + w + 1
                )));
            }
        }
        check_finite("CSR matrix data", data)?;
        Ok(CsrView {
            rows,
            cols,
            indptr,
            indices,
            data,
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }
    pub fn row_nnz(&self, r: usize) -> usize {
        (self.indptr[r + 1] - self.indptr[r]) as usize
    }
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `(column indices, values)` of row `r`; indices sorted.
    #[inline]
    pub fn row(&self, r: usize) -> (&'a [u32], &'a [f32]) {
        let (s, e) = (self.indptr[r] as usize, self.indptr[r + 1] as usize);
        (&self.indices[s..e], &self.data[s..e])
    }

    /// An owned copy.
    pub fn copy(&self) -> CsrMatrix {
        CsrMatrix {
            rows: self.rows,
            cols: self.cols,
            indptr: self.indptr.to_vec(),
            indices: self.indices.to_vec(),
            data: self.data.to_vec(),
        }
    }
}
