//! Running work on a pool of the requested size.

use crate::error::{Error, Result};

/// Most threads any call may ask for.
pub const MAX_THREADS: usize = 1024;

/// Checks a `numThreads` argument.
pub fn check_threads(n: usize) -> Result<()> {
    if n == 0 || n > MAX_THREADS {
        return Err(Error::invalid(format!(
            "numThreads must be an integer in 1..={MAX_THREADS}, got {n}"
        )));
    }
    Ok(())
}

/// Runs `f` on a rayon pool of `threads` threads; with one thread, on the calling thread.
pub fn run<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> Result<R> {
    check_threads(threads)?;
    if threads == 1 {
        return Ok(f());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::invalid(format!("could not start {threads} threads: {e}")))?;
    Ok(pool.install(f))
}
