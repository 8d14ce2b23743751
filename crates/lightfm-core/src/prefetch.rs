//! Software prefetch: a hint that a value will be read soon, so its cache line is fetched
//! while the CPU does other work. Only a hint: it never changes what a program computes.

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
#[inline(always)]
pub fn prefetch_read<T>(value: &T) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: PREFETCHT0 (SSE, part of the x86-64 baseline) is a cache hint only: it never
    // faults, reads no value into the program and writes nothing; `value` is a live reference.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast()) }
}

/// Other targets: no portable prefetch in stable Rust; the hardware prefetchers still run.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub fn prefetch_read<T>(_: &T) {}
