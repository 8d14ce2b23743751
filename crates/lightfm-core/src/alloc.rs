//! Allocations sized by input: shapes, `k`, feature counts, file headers.
//!
//! Rust aborts the process when an allocation fails, and a server must not die because a
//! caller passed a shape of `[2^31 - 1, 5]`. Every buffer whose size comes from input is
//! reserved here first, and fails with `ERR_OUT_OF_MEMORY` instead. On Linux a large request
//! is also refused when it exceeds the memory available now (RAM the kernel can free, plus
//! free swap), even though the kernel would promise it (it overcommits): filling it could
//! only end with the OOM killer.

use crate::error::{Error, Result};

/// `a * b` elements, or `ERR_OUT_OF_MEMORY` when that overflows.
pub fn product(what: &str, a: usize, b: usize) -> Result<usize> {
    a.checked_mul(b)
        .ok_or_else(|| too_large(what, u128::from(a as u64) * u128::from(b as u64)))
}

/// An empty vector with room for `len` elements.
pub fn with_capacity<T>(what: &str, len: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    reserve(&mut v, what, len)?;
    Ok(v)
}

/// `len` copies of `value`.
pub fn vec_of<T: Clone>(what: &str, len: usize, value: T) -> Result<Vec<T>> {
    let mut v = with_capacity(what, len)?;
    v.resize(len, value);
    Ok(v)
}

/// Room for `extra` more elements in `v`, exactly (no doubling).
pub fn reserve<T>(v: &mut Vec<T>, what: &str, extra: usize) -> Result<()> {
    let bytes = extra as u128 * std::mem::size_of::<T>() as u128;
    if bytes >= CHECKED && bytes > available_memory() {
        return Err(too_large(what, bytes));
    }
    v.try_reserve_exact(extra)
        .map_err(|_| too_large(what, bytes))
}

/// Fails as an allocation of `bytes` would, without keeping anything: for work that will
/// make several buffers of known total size, so that it fails before it starts.
pub fn check(what: &str, bytes: u128) -> Result<()> {
    let len = usize::try_from(bytes).map_err(|_| too_large(what, bytes))?;
    with_capacity::<u8>(what, len).map(drop)
}

fn too_large(what: &str, bytes: u128) -> Error {
    Error::OutOfMemory {
        what: what.to_string(),
        bytes,
    }
}

/// Requests from this size on are compared with the available memory (smaller ones cannot
/// matter, and the check reads a file).
const CHECKED: u128 = 64 << 20;

/// Bytes the system can hand out now without swapping anything out (no limit where this
/// cannot be read).
fn available_memory() -> u128 {
    read_available().unwrap_or(u128::MAX)
}

#[cfg(target_os = "linux")]
fn read_available() -> Option<u128> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| -> Option<u128> {
        let line = info.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse::<u128>().ok()
    };
    Some((field("MemAvailable:")? + field("SwapFree:").unwrap_or(0)) * 1024)
}

#[cfg(not(target_os = "linux"))]
fn read_available() -> Option<u128> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_sizes_are_errors_not_aborts() {
        for len in [usize::MAX / 4, 1 << 50, 1 << 46] {
            let e = vec_of("test buffer", len, 0u32).unwrap_err();
            assert_eq!(e.code(), "ERR_OUT_OF_MEMORY", "{len}");
            assert!(e.to_string().contains("test buffer"));
        }
        assert_eq!(
            product("x", usize::MAX, 2).unwrap_err().code(),
            "ERR_OUT_OF_MEMORY"
        );
        assert_eq!(
            check("x", u128::MAX).unwrap_err().code(),
            "ERR_OUT_OF_MEMORY"
        );
        assert_eq!(vec_of("ok", 3, 7u8).unwrap(), vec![7, 7, 7]);
        check("small", 1 << 20).unwrap();
    }
}
