//! Parsing pieces of a file on several threads and merging them in file order.
//!
//! The source (cutting a CSV file at record boundaries, or listing Parquet row groups) runs on
//! its own thread, `workers` threads parse, and the calling thread merges the results in the
//! order the source produced them. Channels are bounded, so at most a few pieces are in memory
//! at once, whatever the size of the file.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

use crate::error::Result;

/// Runs `source` on one thread, `parse` on `workers` threads and `merge` on this one, in the
/// order of `source`. Stops at the first error (of any stage, the earliest in file order
/// among those merged) or when `merge` returns `Ok(false)`.
pub fn ordered<S, T, Src, P, M>(workers: usize, source: Src, parse: P, mut merge: M) -> Result<()>
where
    S: Send,
    T: Send,
    Src: FnOnce(&dyn Fn(S) -> bool) -> Result<()> + Send,
    P: Fn(S) -> Result<T> + Sync,
    M: FnMut(T) -> Result<()>,
{
    let workers = workers.max(1);
    let (to_parse, inbox) = sync_channel::<(usize, S)>(workers);
    let (to_merge, results) = sync_channel::<(usize, Result<T>)>(workers * 2);
    // Only the workers hold the inbox: when they all stop, the source's sends fail.
    let inbox = Arc::new(Mutex::new(inbox));
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let seq = std::cell::Cell::new(0);
            source(&|piece| {
                let n = seq.get();
                seq.set(n + 1);
                to_parse.send((n, piece)).is_ok()
            })
        });
        for _ in 0..workers {
            let (inbox, to_merge, parse) = (inbox.clone(), to_merge.clone(), &parse);
            scope.spawn(move || worker(&inbox, &to_merge, parse));
        }
        drop((to_merge, inbox));
        let merged = merge_in_order(&results, &mut merge);
        // Unblocks the source and the workers (their sends fail) when merging stopped early.
        drop(results);
        let read = reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        merged.and(read)
    })
}

fn worker<S, T>(
    inbox: &Mutex<Receiver<(usize, S)>>,
    out: &std::sync::mpsc::SyncSender<(usize, Result<T>)>,
    parse: &(impl Fn(S) -> Result<T> + Sync),
) {
    loop {
        let next = inbox.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((seq, piece)) = next else { return };
        if out.send((seq, parse(piece))).is_err() {
            return;
        }
    }
}

fn merge_in_order<T>(
    results: &Receiver<(usize, Result<T>)>,
    merge: &mut impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for (seq, result) in results {
        waiting.insert(seq, result);
        while let Some(result) = waiting.remove(&next) {
            merge(result?)?;
            next += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_in_source_order() {
        let mut out = Vec::new();
        ordered(
            3,
            |send: &dyn Fn(u32) -> bool| {
                for i in 0..100 {
                    send(i);
                }
                Ok(())
            },
            |i| {
                std::thread::sleep(std::time::Duration::from_micros(u64::from(100 - i)));
                Ok(i * 2)
            },
            |v| {
                out.push(v);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(out, (0..100).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn stops_at_the_first_error_in_order() {
        let mut seen = Vec::new();
        let r = ordered(
            2,
            |send: &dyn Fn(u32) -> bool| {
                for i in 0..1000 {
                    if !send(i) {
                        break;
                    }
                }
                Ok(())
            },
            |i| {
                if i == 7 || i == 9 {
                    Err(crate::Error::InvalidArg(format!("bad {i}")))
                } else {
                    Ok(i)
                }
            },
            |v| {
                seen.push(v);
                Ok(())
            },
        );
        assert_eq!(r.unwrap_err().to_string(), "bad 7");
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }
}
