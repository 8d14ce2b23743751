//! Typed arrays and plain objects to and from core types. Every input a task keeps is copied
//! once here; checks that only read run on views of the caller's arrays. Every array handed
//! back to JavaScript goes through [`array`].

use lightfm_core::{CooMatrix, CooView, CsrMatrix, CsrView, Error, Result};
use napi::bindgen_prelude::{
    Buffer, BufferSlice, Env, Float32Array, Float32ArraySlice, Int32Array, Int32ArraySlice,
    ToNapiValue, Unknown,
};
use napi::JsValue;

use crate::errors::coded;
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

/// Results of at least this many bytes are handed to JavaScript without a copy.
const EXTERNAL_FROM: usize = 64 << 20;

/// The largest array handed to JavaScript: Node 20's `buffer.constants.MAX_LENGTH` (4 GiB),
/// beyond which it throws a plain `ERR_BUFFER_TOO_LARGE`. Kept on newer Nodes too, so a
/// call fails or succeeds the same way on every supported version.
const LARGEST: usize = 1 << 32;

/// A result array for JavaScript: the one way the binding hands arrays over.
///
/// Below [`EXTERNAL_FROM`] bytes the values are copied into memory V8 owns, which its garbage
/// collector frees like any other JavaScript memory. Memory Rust owns (an external buffer) is
/// freed only from a callback queued on the event loop, so a loop of synchronous calls that
/// never yields would keep every result it was given (measured: 450 MB after 450,000
/// `recommend` calls). Larger results are handed over without a copy, which would cost as much
/// as the call; their memory returns when the event loop turns.
fn array<'e, T, A: ToNapiValue, S: JsValue<'e>>(
    env: &'e Env,
    v: Vec<T>,
    external: impl FnOnce(Vec<T>) -> A,
    copied: impl FnOnce(&'e Env, &[T]) -> napi::Result<S>,
) -> napi::Result<Unknown<'e>> {
    let bytes = std::mem::size_of_val(v.as_slice());
    if bytes > LARGEST {
        return Err(coded(
            "ERR_OUT_OF_MEMORY",
            &format!("a result of {bytes} bytes is larger than one JavaScript array may be here ({LARGEST} bytes); check the sizes you passed or work in smaller batches"),
        ));
    }
    if bytes >= EXTERNAL_FROM {
        external(v).into_unknown(env)
    } else {
        copied(env, &v).map(|s| s.to_unknown())
    }
}

pub fn f32_array(env: &Env, v: Vec<f32>) -> napi::Result<Unknown<'_>> {
    array(env, v, Float32Array::new, |e, v| {
        Float32ArraySlice::copy_from(e, v)
    })
}

pub fn i32_array(env: &Env, v: Vec<i32>) -> napi::Result<Unknown<'_>> {
    array(env, v, Int32Array::new, |e, v| {
        Int32ArraySlice::copy_from(e, v)
    })
}

/// Indices, checked to fit `i32` on the way in; the cast reuses the vector's allocation.
pub fn index_array(env: &Env, v: Vec<u32>) -> napi::Result<Unknown<'_>> {
    i32_array(env, v.into_iter().map(|x| x as i32).collect())
}

pub fn byte_array(env: &Env, v: Vec<u8>) -> napi::Result<Unknown<'_>> {
    array(env, v, Buffer::from, |e, v| BufferSlice::copy_from(e, v))
}

/// A CSR matrix handed back to TypeScript.
#[napi(object, object_from_js = false)]
pub struct CsrOut<'env> {
    pub rows: u32,
    pub cols: u32,
    #[napi(ts_type = "Int32Array")]
    pub indptr: Unknown<'env>,
    #[napi(ts_type = "Int32Array")]
    pub indices: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub data: Unknown<'env>,
}

/// A COO matrix handed back to TypeScript.
#[napi(object, object_from_js = false)]
pub struct CooOut<'env> {
    pub rows: u32,
    pub cols: u32,
    #[napi(ts_type = "Int32Array")]
    pub row: Unknown<'env>,
    #[napi(ts_type = "Int32Array")]
    pub col: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub data: Unknown<'env>,
}

pub fn csr_out(env: &Env, m: CsrMatrix) -> napi::Result<CsrOut<'_>> {
    let (rows, cols) = m.shape();
    let (indptr, indices, data) = m.into_parts();
    Ok(CsrOut {
        rows: rows as u32,
        cols: cols as u32,
        indptr: index_array(env, indptr)?,
        indices: index_array(env, indices)?,
        data: f32_array(env, data)?,
    })
}

pub fn coo_out(env: &Env, m: CooMatrix) -> napi::Result<CooOut<'_>> {
    let (rows, cols) = m.shape();
    let (row, col, data) = m.into_parts();
    Ok(CooOut {
        rows: rows as u32,
        cols: cols as u32,
        row: index_array(env, row)?,
        col: index_array(env, col)?,
        data: f32_array(env, data)?,
    })
}
