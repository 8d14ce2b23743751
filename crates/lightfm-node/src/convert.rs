//! Typed arrays and plain objects to and from core types. Every input a task keeps is copied
//! once here; checks that only read run on views of the caller's arrays.

use lightfm_core::{CooMatrix, CooView, CsrMatrix, CsrView, Error, Result};
use napi::bindgen_prelude::{Float32Array, Int32Array};
use napi_derive::napi;

/// A COO matrix as the TypeScript layer passes it.
#[napi(object)]
pub struct CooArg {
    pub rows: u32,
    pub cols: u32,
    pub row: Int32Array,
    pub col: Int32Array,
    pub data: Float32Array,
}

/// A CSR matrix as the TypeScript layer passes it (and gets it back).
#[napi(object)]
pub struct CsrArg {
    pub rows: u32,
    pub cols: u32,
    pub indptr: Int32Array,
    pub indices: Int32Array,
    pub data: Float32Array,
}

/// An index array viewed as `u32` in place, after checking that no value is negative.
pub fn index_view<'a>(what: &str, a: &'a [i32]) -> Result<&'a [u32]> {
    match a.iter().find(|&&v| v < 0) {
        Some(&v) => Err(Error::IndexRange {
            what: what.to_string(),
            index: i64::from(v),
            bound: i32::MAX as u64,
        }),
        None => Ok(bytemuck::cast_slice(a)),
    }
}

/// Copies an index array, rejecting negative values.
pub fn indices(what: &str, a: &[i32]) -> Result<Vec<u32>> {
    index_view(what, a).map(<[u32]>::to_vec)
}

/// A COO matrix checked and borrowed from the caller's arrays (synchronous calls only).
pub fn coo_view(m: &CooArg) -> Result<CooView<'_>> {
    CooView::new(
        m.rows as usize,
        m.cols as usize,
        index_view("COO row index", &m.row)?,
        index_view("COO column index", &m.col)?,
        &m.data,
    )
}

/// An owned copy of a CSR matrix, for a task on another thread.
pub fn csr(m: &CsrArg) -> Result<CsrMatrix> {
    csr_view(m).map(|v| v.copy())
}

/// A CSR matrix checked and borrowed from the caller's arrays (for synchronous calls only: a
/// task on another thread must own its inputs).
pub fn csr_view(m: &CsrArg) -> Result<CsrView<'_>> {
    CsrView::new(
        m.rows as usize,
        m.cols as usize,
        index_view("CSR indptr", &m.indptr)?,
        index_view("CSR column index", &m.indices)?,
        &m.data,
    )
}

pub fn opt_csr(m: Option<&CsrArg>) -> Result<Option<CsrMatrix>> {
    m.map(csr).transpose()
}

/// Indices were checked to fit `i32` on the way in. The map-collect reuses the vector's
/// allocation (same size and alignment), so nothing is copied.
fn to_i32(v: Vec<u32>) -> Int32Array {
    Int32Array::new(v.into_iter().map(|x| x as i32).collect())
}

pub fn csr_out(m: CsrMatrix) -> CsrArg {
    let (rows, cols) = m.shape();
    let (indptr, indices, data) = m.into_parts();
    CsrArg {
        rows: rows as u32,
        cols: cols as u32,
        indptr: to_i32(indptr),
        indices: to_i32(indices),
        data: Float32Array::new(data),
    }
}

pub fn coo_out(m: CooMatrix) -> CooArg {
    let (rows, cols) = m.shape();
    let (row, col, data) = m.into_parts();
    CooArg {
        rows: rows as u32,
        cols: cols as u32,
        row: to_i32(row),
        col: to_i32(col),
        data: Float32Array::new(data),
    }
}
