//! Running work on a pool of the requested size.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::{ThreadPool, ThreadPoolBuilder};

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

/// The pool of `threads` threads, built on first use and kept: pools are cheap to keep and
/// costly to start on every call (serving calls can take well under a millisecond).
///
/// One-thread pools are per calling thread, so concurrent single-threaded calls (say, from
/// several libuv workers) never queue behind each other; larger pools are shared.
pub fn pool(threads: usize) -> Result<Arc<ThreadPool>> {
    check_threads(threads)?;
    if threads == 1 {
        thread_local!(static SINGLE: OnceCell<Arc<ThreadPool>> = const { OnceCell::new() });
        return SINGLE.with(|cell| match cell.get() {
            Some(p) => Ok(p.clone()),
            None => {
                let p = build(1)?;
                Ok(cell.get_or_init(|| p).clone())
            }
        });
    }
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = pools.get(&threads) {
        return Ok(p.clone());
    }
    let p = build(threads)?;
    pools.insert(threads, p.clone());
    Ok(p)
}

fn build(threads: usize) -> Result<Arc<ThreadPool>> {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("lightfm-{threads}-{i}"))
        .build()
        .map(Arc::new)
        .map_err(|e| Error::invalid(format!("could not start {threads} threads: {e}")))
}

/// Runs `f` on the pool of `threads` threads, so rayon work inside `f` uses exactly that many.
pub fn run<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> Result<R> {
    Ok(pool(threads)?.install(f))
}
