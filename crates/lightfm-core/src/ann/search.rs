//! Best-first search of one graph layer, with a filter: nodes the filter rejects are walked
//! through but never returned, and the search goes on until it holds `ef` accepted nodes
//! that nothing left to explore can beat (or it has seen every node it can reach), so
//! exclusions cost time, not recall.

use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::graph::Graph;
use crate::alloc;
use crate::error::Result;

/// A node and its score (higher is closer).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub score: f32,
    pub id: u32,
}

/// Higher score first, then lower id: a total order, so searches are deterministic.
impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.id.cmp(&self.id))
    }
}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scored {}

/// Nodes seen by the current search: a mark per node, reset by bumping the stamp.
struct Visited {
    marks: Vec<u32>,
    stamp: u32,
}

thread_local! {
    /// One per thread, kept between searches: clearing a node-sized array on every query
    /// would cost more than the query.
    static VISITED: RefCell<Visited> = const { RefCell::new(Visited { marks: Vec::new(), stamp: 0 }) };
}

impl Visited {
    fn start(&mut self, n: usize) -> Result<()> {
        if self.marks.len() < n {
            let extra = n - self.marks.len();
            alloc::reserve(&mut self.marks, "index search marks", extra)?;
            self.marks.resize(n, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.marks.fill(0);
            self.stamp = 1;
        }
        Ok(())
    }

    /// Marks `id`; whether it was unmarked.
    #[inline]
    fn insert(&mut self, id: u32) -> bool {
        let mark = &mut self.marks[id as usize];
        let fresh = *mark != self.stamp;
        *mark = self.stamp;
        fresh
    }
}

/// Follows the best neighbour on `layer` from `from` until none is better (the descent
/// through the upper layers).
pub(crate) fn greedy(g: &Graph, layer: u8, from: Scored, score: impl Fn(u32) -> f32) -> Scored {
    let mut at = from;
    loop {
        let best = g
            .neighbours(at.id, layer)
            .map(|id| Scored {
                score: score(id),
                id,
            })
            .max();
        match best {
            Some(b) if b > at => at = b,
            _ => return at,
        }
    }
}

/// Descends from the entry point to `layer`, greedily on every layer above it.
pub(crate) fn descend(g: &Graph, layer: u8, score: &impl Fn(u32) -> f32) -> Scored {
    let mut at = Scored {
        score: score(g.entry),
        id: g.entry,
    };
    for l in (layer + 1..=g.top()).rev() {
        at = greedy(g, l, at, score);
    }
    at
}

/// The (up to) `ef` best accepted nodes of `layer` reachable from `entries`, best first.
pub(crate) fn search_layer(
    g: &Graph,
    layer: u8,
    entries: &[Scored],
    ef: usize,
    score: impl Fn(u32) -> f32,
    accept: impl Fn(u32) -> bool,
) -> Result<Vec<Scored>> {
    VISITED.with_borrow_mut(|visited| {
        visited.start(g.len())?;
        let mut frontier: BinaryHeap<Scored> = BinaryHeap::with_capacity(ef * 2);
        let mut found: BinaryHeap<Reverse<Scored>> = BinaryHeap::with_capacity(ef + 1);
        for &e in entries {
            if visited.insert(e.id) {
                frontier.push(e);
                if accept(e.id) {
                    keep(&mut found, e, ef);
                }
            }
        }
        while let Some(next) = frontier.pop() {
            if found.len() >= ef && found.peek().is_some_and(|w| next < w.0) {
                break;
            }
            for id in g.neighbours(next.id, layer) {
                if !visited.insert(id) {
                    continue;
                }
                let s = Scored {
                    score: score(id),
                    id,
                };
                if found.len() < ef || found.peek().is_some_and(|w| s > w.0) {
                    frontier.push(s);
                    if accept(id) {
                        keep(&mut found, s, ef);
                    }
                }
            }
        }
        let mut out: Vec<Scored> = found.into_iter().map(|r| r.0).collect();
        out.sort_unstable_by(|a, b| b.cmp(a));
        Ok(out)
    })
}

fn keep(found: &mut BinaryHeap<Reverse<Scored>>, s: Scored, ef: usize) {
    found.push(Reverse(s));
    if found.len() > ef {
        found.pop();
    }
}
