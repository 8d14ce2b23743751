//! A global allocator for the Node addon: blocks of [`LARGE`] bytes or more are mapped
//! straight from the OS and unmapped when freed; everything smaller goes to the system
//! allocator.
//!
//! Why: a fit or a conversion allocates a few buffers the size of the data (the copy of the
//! interactions, the visiting order, the positives lookup) on a libuv or rayon thread.
//! glibc's malloc raises its mmap threshold each time such a block is freed, so the next
//! ones come from that thread's arena, and an arena's free top is returned to the OS only
//! beyond a trim threshold that rises with it. Measured on the MovieLens-1M-shaped table:
//! each BPR `fitPartial` left about 3.4 MiB resident per libuv thread (72 → 83 MiB over four
//! calls), and `malloc_trim` does not reach an arena's top. Mapping large blocks directly
//! makes freeing them return the memory at once, on every platform's libc, and leaves the
//! host process's own malloc settings alone. The cost is one `mmap`/`munmap` per large
//! block, which glibc pays anyway for its first blocks of that size.
//!
//! Linux only (mmap, mremap); elsewhere the addon keeps the system allocator.
//!
//! A global allocator cannot be written without `unsafe`: this crate is where the addon's
//! allocation `unsafe` lives, each block with its `SAFETY:` argument.
#![cfg(target_os = "linux")]
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks at least this large are mapped directly (glibc's initial mmap threshold is 128 KiB).
pub const LARGE: usize = 256 << 10;

/// The addon's global allocator; see the crate documentation.
pub struct LargeBlocksToOs;

mod os {
    use std::ptr;

    /// The OS page size, which every mapping is a multiple of.
    fn page() -> usize {
        // SAFETY: sysconf has no preconditions; _SC_PAGESIZE is always supported on Linux.
        let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(p).unwrap_or(4096)
    }

    /// `size` rounded up to whole pages; `None` on overflow.
    pub fn span(size: usize) -> Option<usize> {
        size.checked_next_multiple_of(page())
    }

    /// Whether a block with this layout is mapped directly (mappings are page-aligned).
    pub fn is_large(size: usize, align: usize) -> bool {
        size >= super::LARGE && align <= page()
    }

    /// A fresh zero-filled mapping of at least `size` bytes, or null.
    pub fn map(size: usize) -> *mut u8 {
        let Some(len) = span(size) else {
            return ptr::null_mut();
        };
        // SAFETY: an anonymous private mapping at an address the kernel picks touches no
        // existing memory; the result is checked for MAP_FAILED.
        let p = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            ptr::null_mut()
        } else {
            p.cast()
        }
    }

    /// Unmaps a block that `map` or `remap` returned for `size` bytes.
    ///
    /// # Safety
    /// `p` must be such a block, not used afterwards.
    pub unsafe fn unmap(p: *mut u8, size: usize) {
        if let Some(len) = span(size) {
            // SAFETY: the caller passes a live mapping of exactly `len` bytes (same rounding).
            unsafe { libc::munmap(p.cast(), len) };
        }
    }

    /// Grows or shrinks a mapped block, moving it if need be (the kernel moves page tables,
    /// not bytes); null on failure, with the old block intact.
    ///
    /// # Safety
    /// `p` must be a live block that `map` or `remap` returned for `old` bytes.
    pub unsafe fn remap(p: *mut u8, old: usize, new: usize) -> *mut u8 {
        let (Some(old_len), Some(new_len)) = (span(old), span(new)) else {
            return ptr::null_mut();
        };
        // SAFETY: `p` is a live mapping of `old_len` bytes; MREMAP_MAYMOVE lets the kernel
        // pick a new address, and on failure the old mapping is left as it was.
        let q = unsafe { libc::mremap(p.cast(), old_len, new_len, libc::MREMAP_MAYMOVE) };
        if q == libc::MAP_FAILED {
            ptr::null_mut()
        } else {
            q.cast()
        }
    }
}

// SAFETY: every block is released by the path that made it: `is_large` depends only on the
// layout, which Rust passes unchanged to `dealloc` and `realloc`, so large blocks always go
// back through munmap/mremap and small ones through `System`.
unsafe impl GlobalAlloc for LargeBlocksToOs {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if os::is_large(layout.size(), layout.align()) {
            os::map(layout.size())
        } else {
            // SAFETY: forwarded with the caller's guarantees (non-zero size).
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if os::is_large(layout.size(), layout.align()) {
            // Fresh anonymous mappings are already zero-filled.
            os::map(layout.size())
        } else {
            // SAFETY: as in `alloc`.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if os::is_large(layout.size(), layout.align()) {
            // SAFETY: a large layout means `alloc` mapped this block for `layout.size()`.
            unsafe { os::unmap(p, layout.size()) }
        } else {
            // SAFETY: a small layout means `System` allocated it with this layout.
            unsafe { System.dealloc(p, layout) }
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let was_large = os::is_large(layout.size(), layout.align());
        let now_large = os::is_large(new_size, layout.align());
        match (was_large, now_large) {
            // SAFETY: `p` was mapped for `layout.size()` (see `dealloc`).
            (true, true) => unsafe { os::remap(p, layout.size(), new_size) },
            // SAFETY: `System` allocated `p` with `layout`, and keeps the alignment.
            (false, false) => unsafe { System.realloc(p, layout, new_size) },
            // Crossing the threshold: a new block of the other kind, the bytes copied over.
            _ => {
                // SAFETY: `layout.align()` is a valid alignment and `new_size` does not
                // overflow it when rounded (the caller's contract for `realloc`).
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                // SAFETY: non-zero size (a large size, or a realloc target of a live block).
                let q = unsafe { self.alloc(new_layout) };
                if !q.is_null() {
                    // SAFETY: both blocks are live and distinct, each at least this long.
                    unsafe { std::ptr::copy_nonoverlapping(p, q, layout.size().min(new_size)) };
                    // SAFETY: `p` is live with `layout` and no longer used.
                    unsafe { self.dealloc(p, layout) };
                }
                q
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(a: &LargeBlocksToOs, size: usize) -> (*mut u8, Layout) {
        let layout = Layout::from_size_align(size, 8).unwrap();
        let p = unsafe { a.alloc(layout) };
        assert!(!p.is_null());
        for i in 0..size {
            unsafe { *p.add(i) = (i % 251) as u8 };
        }
        (p, layout)
    }

    fn holds_pattern(p: *const u8, len: usize) -> bool {
        (0..len).all(|i| unsafe { *p.add(i) } == (i % 251) as u8)
    }

    #[test]
    fn realloc_keeps_the_bytes_within_and_across_the_threshold() {
        let a = LargeBlocksToOs;
        // small -> large -> larger -> small, each step keeping the common prefix
        let (p, layout) = filled(&a, 1000);
        let sizes = [LARGE + 1, 3 * LARGE + 17, 4 * LARGE, 500];
        let (mut p, mut layout, mut kept) = (p, layout, 1000);
        for new_size in sizes {
            let q = unsafe { a.realloc(p, layout, new_size) };
            assert!(!q.is_null());
            assert!(
                holds_pattern(q, kept.min(new_size)),
                "{} -> {new_size}",
                layout.size()
            );
            for i in kept.min(new_size)..new_size {
                unsafe { *q.add(i) = (i % 251) as u8 };
            }
            (p, layout, kept) = (q, Layout::from_size_align(new_size, 8).unwrap(), new_size);
        }
        unsafe { a.dealloc(p, layout) };
    }

    #[test]
    fn zeroed_blocks_are_zero() {
        let a = LargeBlocksToOs;
        for size in [64, LARGE, 5 * LARGE + 3] {
            let layout = Layout::from_size_align(size, 16).unwrap();
            let p = unsafe { a.alloc_zeroed(layout) };
            assert!(!p.is_null() && (p as usize).is_multiple_of(16));
            assert!((0..size).all(|i| unsafe { *p.add(i) } == 0));
            unsafe { a.dealloc(p, layout) };
        }
    }

    fn resident_bytes() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * os::span(1).unwrap()
    }

    #[test]
    fn freeing_a_large_block_returns_its_memory() {
        let a = LargeBlocksToOs;
        let size = 64 << 20;
        let (p, layout) = filled(&a, size);
        let touched = resident_bytes();
        unsafe { a.dealloc(p, layout) };
        // Other tests run in parallel threads, but none holds anywhere near 48 MiB.
        assert!(resident_bytes() + (48 << 20) < touched);
    }
}
