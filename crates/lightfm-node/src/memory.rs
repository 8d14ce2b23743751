//! Handing memory freed by a fit back to the operating system.
//!
//! A fit runs on whichever libuv worker thread is free, and glibc gives each thread its own
//! arena that keeps freed memory for reuse. Large buffers bypass the arenas (see
//! `lightfm-alloc`); the trim returns what the small ones leave behind. Measured on the
//! MovieLens-1M-shaped table, six BPR `fitPartial` calls on 2 threads: resident memory grows
//! by 0.3 MiB with the trim and by 0.9 MiB without it.

/// Returns the free memory of every glibc arena to the OS; a no-op elsewhere.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only gives unused pages of the allocator's free lists back to the
    // OS; it is thread-safe and never touches memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
