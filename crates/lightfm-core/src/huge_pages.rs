//! Transparent huge pages for large tables: a hint, like software prefetch, that never
//! changes what a program computes.
//!
//! A training step reads rows at random positions of tables that reach gigabytes. With 4 KiB
//! pages nearly every such row is also a TLB miss, and the page walk that follows is itself a
//! chain of memory reads. 2 MiB pages cover 512 times as much memory per TLB entry. Linux
//! distributions commonly set transparent huge pages to `madvise`, which backs memory with
//! huge pages only where the program asks; this module asks, for buffers large enough to
//! gain. The advice must come before the memory is first written, or the kernel has already
//! placed small pages (it then merges them only slowly, in the background).

/// Buffers smaller than this keep the default: their rows are found in the TLB anyway.
const WORTH_IT: usize = 32 << 20;

/// Size and alignment of an x86-64 / aarch64 huge page.
const HUGE_PAGE: usize = 2 << 20;

/// Asks the kernel to back the whole huge pages inside `v`'s allocated buffer (its capacity,
/// written or not) with huge pages. Call it on a fresh, not yet written buffer.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn advise<T>(v: &Vec<T>) {
    let start = v.as_ptr() as usize;
    let bytes = v.capacity() * size_of::<T>();
    if bytes < WORTH_IT {
        return;
    }
    let (lo, hi) = (
        start.next_multiple_of(HUGE_PAGE),
        (start + bytes) / HUGE_PAGE * HUGE_PAGE,
    );
    if hi > lo {
        // SAFETY: [lo, hi) lies inside `v`'s live allocation and starts on a page boundary, as
        // madvise requires. MADV_HUGEPAGE changes only how the kernel backs those pages, never
        // their contents, and the call reads and writes no memory of ours. A refusal (EINVAL
        // where THP is compiled out) just leaves the default, so the result is ignored.
        unsafe { libc::madvise(lo as *mut libc::c_void, hi - lo, libc::MADV_HUGEPAGE) };
    }
}

/// Elsewhere: no such advice here; the buffer keeps the system's default pages.
#[cfg(not(target_os = "linux"))]
pub fn advise<T>(_: &Vec<T>) {}
