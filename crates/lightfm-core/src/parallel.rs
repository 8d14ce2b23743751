//! Running work on a bounded number of threads.
//!
//! A call with `numThreads: 1` runs on the calling thread and starts no thread at all. A call
//! with `n > 1` runs on a kept pool of exactly `n` threads (pools are costly to start on every
//! call: serving calls can take well under a millisecond). Pools nobody is using are dropped,
//! least recently used first, whenever the kept threads would outnumber the largest
//! `numThreads` asked for so far, so the threads a process keeps never exceed that number,
//! however many distinct values are used.

use std::sync::{Arc, Mutex, PoisonError};

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

/// The kept pools, least recently used first, and the largest size asked for so far.
struct Pools {
    kept: Vec<(usize, Arc<ThreadPool>)>,
    most: usize,
}

static POOLS: Mutex<Pools> = Mutex::new(Pools {
    kept: Vec::new(),
    most: 0,
});

/// The pool of `threads` (> 1) threads, built on first use and kept while the bound allows.
fn pool(threads: usize) -> Result<Arc<ThreadPool>> {
    let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    let p = match pools.kept.iter().position(|(n, _)| *n == threads) {
        Some(i) => pools.kept.remove(i).1,
        None => build(threads)?,
    };
    pools.kept.push((threads, p.clone()));
    pools.most = pools.most.max(threads);
    let mut kept: usize = pools.kept.iter().map(|(n, _)| n).sum();
    let mut i = 0;
    // The newest pool (held by this call) is never dropped; a pool another call holds has
    // more than one owner and is kept until it is idle.
    while kept > pools.most && i + 1 < pools.kept.len() {
        if Arc::strong_count(&pools.kept[i].1) == 1 {
            kept -= pools.kept.remove(i).0;
        } else {
            i += 1;
        }
    }
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

/// Calls `f(state, item)` for every item, on `threads` threads (the calling thread alone for
/// 1), each thread with its own `init()` state; returns the states. Items are handed out one
/// at a time in order, so make each a batch of work (a chunk of rows, a block of queries).
pub fn for_each<I, S>(
    threads: usize,
    items: I,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, I::Item) + Sync,
) -> Result<Vec<S>>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    S: Send,
{
    check_threads(threads)?;
    let items = items.into_iter();
    if threads == 1 {
        let mut state = init();
        items.for_each(|item| f(&mut state, item));
        return Ok(vec![state]);
    }
    let queue = Mutex::new(items);
    let next = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    let states = Mutex::new(Vec::with_capacity(threads));
    pool(threads)?.scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|_| {
                let mut state = init();
                while let Some(item) = next() {
                    f(&mut state, item);
                }
                states
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(state);
            });
        }
    });
    Ok(states.into_inner().unwrap_or_else(PoisonError::into_inner))
}

/// The number of threads this process keeps in pools (for tests of the bound).
#[cfg(test)]
fn kept_threads() -> usize {
    let pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    pools.kept.iter().map(|(n, _)| n).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_item_once_on_any_thread_count() {
        for threads in [1, 2, 3, 7] {
            let sum = AtomicUsize::new(0);
            let states = for_each(
                threads,
                1..=1000usize,
                || 0usize,
                |n, i| {
                    *n += 1;
                    sum.fetch_add(i, Ordering::Relaxed);
                },
            )
            .unwrap();
            assert_eq!(sum.into_inner(), 500_500);
            assert_eq!(states.iter().sum::<usize>(), 1000);
            assert!(states.len() <= threads);
        }
    }

    #[test]
    fn kept_threads_stay_within_the_largest_request() {
        for threads in (2..=12).chain((2..=12).rev()) {
            for_each(threads, 0..threads, || (), |_, _| ()).unwrap();
            assert!(kept_threads() <= 12, "{} kept", kept_threads());
        }
        assert!(matches!(
            for_each(0, 0..1, || (), |_, _| ()),
            Err(Error::InvalidArg(_))
        ));
    }
}
