//! Running work on a bounded number of threads.
//!
//! A call with `numThreads: 1` runs on the calling thread and starts no thread at all. Calls
//! with `n > 1` share one kept pool (pools are costly to start on every call: serving calls
//! can take well under a millisecond) and run exactly `n` tasks on it, so no more than `n` of
//! its threads work for a call. The pool is as large as the largest `numThreads` asked for so
//! far; when a call asks for more, the old pool is closed and, when no call is using it, its
//! threads are waited for before the bigger one starts. So the threads a process keeps never
//! exceed the largest `numThreads` it asked for, however many distinct values are used (a
//! pool per value reached 830 threads for values 2..40).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

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

/// The kept pool and its threads (joined when it is replaced while idle).
struct Kept {
    pool: Arc<ThreadPool>,
    threads: Vec<JoinHandle<()>>,
}

static KEPT: Mutex<Option<Kept>> = Mutex::new(None);

/// Pool threads started and not yet finished, all pools together.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Pool threads started and not yet finished in this process (the bound's witness).
pub fn pool_threads() -> usize {
    RUNNING.load(Ordering::SeqCst)
}

/// The kept pool, grown to at least `threads` (> 1) threads.
fn pool(threads: usize) -> Result<Arc<ThreadPool>> {
    let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(k) = kept.as_ref() {
        if k.pool.current_num_threads() >= threads {
            return Ok(k.pool.clone());
        }
    }
    if let Some(old) = kept.take() {
        // Idle (only this table holds it): its threads exit as soon as the pool is dropped,
        // and are joined before more start. A pool still in use by another call is left to
        // close when that call ends.
        let idle = Arc::strong_count(&old.pool) == 1;
        drop(old.pool);
        if idle {
            old.threads.into_iter().for_each(|t| _ = t.join());
        }
    }
    let k = build(threads)?;
    let pool = k.pool.clone();
    *kept = Some(k);
    Ok(pool)
}

fn build(threads: usize) -> Result<Kept> {
    let mut handles = Vec::with_capacity(threads);
    let pool = ThreadPoolBuilder::new()
        .num_threads(threads)
        .spawn_handler(|thread| {
            let name = format!("lightfm-{}", thread.index());
            RUNNING.fetch_add(1, Ordering::SeqCst);
            let spawned = std::thread::Builder::new().name(name).spawn(|| {
                thread.run();
                RUNNING.fetch_sub(1, Ordering::SeqCst);
            });
            let handle = spawned.inspect_err(|_| _ = RUNNING.fetch_sub(1, Ordering::SeqCst))?;
            handles.push(handle);
            Ok(())
        })
        .build()
        .map_err(|e| Error::invalid(format!("could not start {threads} threads: {e}")))?;
    Ok(Kept {
        pool: Arc::new(pool),
        threads: handles,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_bigger_pool_runs_only_the_threads_asked_for() {
        for_each(8, 0..8, || (), |_, _| ()).unwrap();
        let (active, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        for_each(
            3,
            0..300,
            || (),
            |_, _| {
                let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_micros(200));
                active.fetch_sub(1, Ordering::SeqCst);
            },
        )
        .unwrap();
        assert!(peak.into_inner() <= 3);
    }
}
