//! Sparse-matrix operations exposed to TypeScript; the rules live in `lightfm_core::sparse`.

use napi_derive::napi;

use crate::convert::{coo_out, coo_view, csr, csr_out, csr_view, CooArg, CsrArg};
use crate::errors::guarded;

/// Validates a COO matrix and converts it to canonical CSR (sorted, duplicates summed).
#[napi]
pub fn coo_to_csr(m: CooArg) -> napi::Result<CsrArg> {
    guarded(|| Ok(csr_out(coo_view(&m)?.to_csr())))
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
pub fn csr_transpose(m: CsrArg) -> napi::Result<CsrArg> {
    guarded(|| Ok(csr_out(csr(&m)?.transpose())))
}

/// A CSR matrix back to row-major COO.
#[napi]
pub fn csr_to_coo(m: CsrArg) -> napi::Result<CooArg> {
    guarded(|| Ok(coo_out(csr(&m)?.to_coo())))
}
