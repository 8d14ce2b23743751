//! Sparse-matrix operations exposed to TypeScript; the rules live in `lightfm_core::sparse`.

use lightfm_core::CsrMatrix;
use napi::bindgen_prelude::Env;
use napi_derive::napi;

use crate::convert::{coo_out, coo_view, csr, csr_out, csr_view, CooArg, CooOut, CsrArg, CsrOut};
use crate::errors::guarded;

/// Validates a COO matrix and converts it to canonical CSR (sorted, duplicates summed).
#[napi]
pub fn coo_to_csr(env: &Env, m: CooArg) -> napi::Result<CsrOut<'_>> {
    csr_out(env, guarded(|| Ok(coo_view(&m)?.to_csr()))?)
}

/// Validates a CSR matrix (monotone indptr, sorted unique in-range indices, finite data).
#[napi]
pub fn validate_csr(m: CsrArg) -> napi::Result<()> {
    guarded(|| csr_view(&m).map(|_| ()))
}

/// Validates a COO matrix (lengths, index ranges, finite data).
#[napi]
pub fn validate_coo(m: CooArg) -> napi::Result<()> {
    guarded(|| coo_view(&m).map(|_| ()))
}

/// The transpose of a CSR matrix, in canonical form.
#[napi]
pub fn csr_transpose(env: &Env, m: CsrArg) -> napi::Result<CsrOut<'_>> {
    csr_out(env, guarded(|| Ok(csr(&m)?.transpose()))?)
}

/// A CSR matrix back to row-major COO.
#[napi]
pub fn csr_to_coo(env: &Env, m: CsrArg) -> napi::Result<CooOut<'_>> {
    coo_out(env, guarded(|| Ok(csr(&m)?.to_coo()))?)
}

/// The `n x n` identity (one feature per row), its size checked before allocating.
#[napi]
pub fn csr_identity(env: &Env, n: u32) -> napi::Result<CsrOut<'_>> {
    csr_out(env, guarded(|| CsrMatrix::identity(n as usize))?)
}

/// `ERR_OUT_OF_MEMORY` when `bytes` more cannot be allocated: the core's rule, for the arrays
/// TypeScript builds itself.
#[napi]
pub fn check_memory(what: String, bytes: f64) -> napi::Result<()> {
    guarded(|| lightfm_core::check_memory(&what, bytes as u128))
}
