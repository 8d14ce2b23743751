//! The layered neighbour graph of an HNSW index (Malkov & Yashunin, 2016).
//!
//! Every node has a top layer drawn once, before the build, from a geometric distribution
//! (`P(level >= l) = m^-l`) hashed from its id, so the layout of the graph is known up front:
//! neighbour lists live in two flat arrays of fixed-capacity slots (`2m` per node on layer 0,
//! `m` per node per upper layer), allocated once, with [`EMPTY`] marking unused slots. Slots
//! are atomics so that build threads can link nodes while others read them (a list being
//! rewritten reads as a mix of valid ids, never as garbage); after the build they are only
//! read, and a relaxed atomic load is a plain load.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::alloc;
use crate::error::{Error, Result};
use crate::rng::{finalize, Stream};

/// An unused neighbour slot.
pub(crate) const EMPTY: u32 = u32::MAX;
/// Highest layer a node may have (reached with probability `m^-16`: never in practice).
pub(crate) const MAX_LEVEL: u8 = 16;

#[derive(Debug)]
pub(crate) struct Graph {
    /// Neighbours per node on upper layers; layer 0 has twice as many.
    pub m: usize,
    /// Top layer of each node.
    pub levels: Vec<u8>,
    /// The node searches start from: the first node of the highest level.
    pub entry: u32,
    /// `2m` slots per node.
    layer0: Vec<AtomicU32>,
    /// Index of each node's first upper list (`levels[i]` lists of `m` slots from there).
    upper_first: Vec<u32>,
    upper: Vec<AtomicU32>,
}

/// The top layer of node `id` in a graph with `m` neighbours per upper layer.
fn draw_level(id: usize, m: usize) -> u8 {
    let bits = finalize(finalize(Stream::Index as u64) ^ id as u64);
    // Uniform in (0, 1]: never 0, so the logarithm is finite.
    let u = ((bits >> 11) + 1) as f64 / (1u64 << 53) as f64;
    let level = (-u.ln() / (m as f64).ln()).floor();
    level.min(f64::from(MAX_LEVEL)) as u8
}

/// `len` empty slots.
fn slots(what: &str, len: usize) -> Result<Vec<AtomicU32>> {
    let mut v = alloc::with_capacity(what, len)?;
    v.extend((0..len).map(|_| AtomicU32::new(EMPTY)));
    Ok(v)
}

impl Graph {
    /// An empty graph over `n` nodes (at least one), every node's level drawn.
    pub fn empty(n: usize, m: usize) -> Result<Self> {
        let mut levels = alloc::with_capacity("index levels", n)?;
        levels.extend((0..n).map(|i| draw_level(i, m)));
        Self::with_levels(levels, m)
    }

    /// An empty graph with the given levels.
    pub fn with_levels(levels: Vec<u8>, m: usize) -> Result<Self> {
        let n = levels.len();
        let mut upper_first = alloc::with_capacity("index layers", n)?;
        let mut lists = 0usize;
        for &l in &levels {
            upper_first
                .push(u32::try_from(lists).map_err(|_| Error::invalid("too many index layers"))?);
            lists += usize::from(l);
        }
        let top = levels.iter().copied().max().unwrap_or(0);
        let entry = levels.iter().position(|&l| l == top).unwrap_or(0) as u32;
        Ok(Graph {
            m,
            entry,
            layer0: slots("index layer 0", alloc::product("index layer 0", n, 2 * m)?)?,
            upper: slots(
                "index upper layers",
                alloc::product("index upper layers", lists, m)?,
            )?,
            upper_first,
            levels,
        })
    }

    pub fn len(&self) -> usize {
        self.levels.len()
    }

    pub fn top(&self) -> u8 {
        self.levels[self.entry as usize]
    }

    /// Upper-layer lists in the graph (the sum of the levels).
    pub fn upper_lists(&self) -> usize {
        self.upper.len() / self.m
    }

    /// Neighbour slots of `node` on `layer` (at most its level).
    pub fn slots(&self, node: u32, layer: u8) -> &[AtomicU32] {
        let n = node as usize;
        if layer == 0 {
            let cap = 2 * self.m;
            return &self.layer0[n * cap..(n + 1) * cap];
        }
        let list = self.upper_first[n] as usize + usize::from(layer) - 1;
        &self.upper[list * self.m..(list + 1) * self.m]
    }

    /// The neighbours of `node` on `layer`.
    pub fn neighbours(&self, node: u32, layer: u8) -> impl Iterator<Item = u32> + '_ {
        self.slots(node, layer)
            .iter()
            .map(|s| s.load(Relaxed))
            .take_while(|&id| id != EMPTY)
    }

    /// Replaces the neighbours of `node` on `layer` with `ids` (at most its capacity).
    pub fn set(&self, node: u32, layer: u8, ids: impl Iterator<Item = u32>) {
        let slots = self.slots(node, layer);
        let mut written = 0;
        for (slot, id) in slots.iter().zip(ids) {
            slot.store(id, Relaxed);
            written += 1;
        }
        slots[written..]
            .iter()
            .for_each(|s| s.store(EMPTY, Relaxed));
    }

    /// Every slot of layer 0, then of the upper layers (for saving).
    pub fn all_slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.layer0
            .iter()
            .chain(&self.upper)
            .map(|s| s.load(Relaxed))
    }

    /// Fills every slot, in [`Graph::all_slots`] order, from `ids` (for loading).
    pub fn fill(&self, ids: impl Iterator<Item = u32>) {
        for (slot, id) in self.layer0.iter().chain(&self.upper).zip(ids) {
            slot.store(id, Relaxed);
        }
    }

    /// Number of slots of [`Graph::all_slots`].
    pub fn slot_count(&self) -> usize {
        self.layer0.len() + self.upper.len()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.levels.len() * 5 + self.slot_count() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_geometric_and_lists_have_their_capacity() {
        let m = 16;
        let g = Graph::empty(100_000, m).unwrap();
        let above0 = g.levels.iter().filter(|&&l| l >= 1).count() as f64;
        // P(level >= 1) = 1/16: 6,250 expected.
        assert!((above0 - 6250.0).abs() < 400.0, "{above0}");
        assert_eq!(g.top(), *g.levels.iter().max().unwrap());
        assert_eq!(g.slots(3, 0).len(), 32);
        let high = g.levels.iter().position(|&l| l >= 1).unwrap() as u32;
        assert_eq!(g.slots(high, 1).len(), 16);
        g.set(high, 1, [5, 7].into_iter());
        assert_eq!(g.neighbours(high, 1).collect::<Vec<_>>(), vec![5, 7]);
        g.set(high, 1, [9].into_iter());
        assert_eq!(g.neighbours(high, 1).collect::<Vec<_>>(), vec![9]);
    }
}
