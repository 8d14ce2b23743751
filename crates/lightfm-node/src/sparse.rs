//! Sparse-matrix operations exposed to TypeScript; the rules live in `lightfm_core::sparse`.

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
