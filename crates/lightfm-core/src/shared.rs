//! Lock-free parameter storage for Hogwild SGD.
//!
//! Hogwild (Niu et al., 2011) lets threads update shared parameters without locks: updates
//! are sparse, so collisions are rare and a lost update costs little. In Rust a plain racy
//! write is undefined behaviour, so every parameter lives in an atomic and is accessed only
//! with `Relaxed` loads and stores (never read-modify-write: Hogwild wants lost updates, not
//! serialised ones). On x86-64 and aarch64 these compile to ordinary moves.
//!
//! Two `f32` share one `AtomicU64`, which halves the number of scalar moves compared with
//! one atomic per float (see `hogwild-prototype-results.md`). Rows that are read are copied
//! into local buffers, where the math vectorises; rows that are updated are rewritten in
//! place, eight lanes at a time moved between the atomics and vector registers. This module
//! is the only place that touches the atomics.

use std::array;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use wide::f32x8;

use crate::alloc;
use crate::error::Result;
use crate::huge_pages;
use crate::linalg::finish_dot;
use crate::prefetch::prefetch_read;

/// A table of `rows` rows, each made of `blocks` blocks of `block_len` floats.
///
/// `block_len` is even so that every block starts on a word boundary.
#[derive(Debug)]
pub struct SharedTable {
    words: Vec<AtomicU64>,
    rows: usize,
    blocks: usize,
    block_len: usize,
}

/// A local copy of one block, kept as the table's words so moving it in and out is a plain
/// copy; [`Block::floats`] views the same memory as the block's floats.
#[derive(Debug, Clone, PartialEq)]
pub struct Block(Vec<u64>);

impl Block {
    /// A zeroed block of `block_len` floats (`block_len` even).
    pub fn zeros(block_len: usize) -> Self {
        Block(vec![0; block_len / 2])
    }

    #[inline]
    pub fn floats(&self) -> &[f32] {
        bytemuck::cast_slice(&self.0)
    }

    #[inline]
    pub fn floats_mut(&mut self) -> &mut [f32] {
        bytemuck::cast_slice_mut(&mut self.0)
    }
}

// Word moves four at a time: LLVM does not unroll loops of atomic moves by itself, and the
// loop overhead would otherwise cost more than the moves.

/// Four relaxed loads, spelled out: `each_ref().map(..)` does not optimise as well.
#[inline(always)]
fn load4(w: &[AtomicU64; 4]) -> [u64; 4] {
    [
        w[0].load(Relaxed),
        w[1].load(Relaxed),
        w[2].load(Relaxed),
        w[3].load(Relaxed),
    ]
}

/// Four relaxed stores, the counterpart of [`load4`].
#[inline(always)]
fn store4(w: &[AtomicU64; 4], v: [u64; 4]) {
    (0..4).for_each(|k| w[k].store(v[k], Relaxed));
}

#[inline(always)]
fn copy_in(dst: &mut [u64], src: &[AtomicU64]) {
    debug_assert_eq!(dst.len(), src.len());
    let ((d4, d1), (s4, s1)) = (dst.as_chunks_mut::<4>(), src.as_chunks::<4>());
    for (d, s) in d4.iter_mut().zip(s4) {
        *d = load4(s);
    }
    for (d, s) in d1.iter_mut().zip(s1) {
        *d = s.load(Relaxed);
    }
}

#[inline]
fn pack(lo: f32, hi: f32) -> u64 {
    u64::from(lo.to_bits()) | (u64::from(hi.to_bits()) << 32)
}

#[inline]
fn unpack(w: u64) -> (f32, f32) {
    (f32::from_bits(w as u32), f32::from_bits((w >> 32) as u32))
}

/// Room for `extra` more words, asking for huge pages (tables are read at random: see
/// `huge_pages`) before any of the new room is written.
fn reserve_words(words: &mut Vec<AtomicU64>, what: &str, extra: usize) -> Result<()> {
    alloc::reserve(words, what, extra)?;
    huge_pages::advise(words);
    Ok(())
}

impl SharedTable {
    /// A zero-filled table. `block_len` must be even.
    pub fn zeros(rows: usize, blocks: usize, block_len: usize) -> Result<Self> {
        assert!(block_len.is_multiple_of(2), "block_len must be even");
        let n = alloc::product("a parameter table", rows, blocks * block_len / 2)?;
        let mut words = Vec::new();
        reserve_words(&mut words, "a parameter table", n)?;
        words.extend((0..n).map(|_| AtomicU64::new(0)));
        Ok(SharedTable {
            words,
            rows,
            blocks,
            block_len,
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn blocks(&self) -> usize {
        self.blocks
    }
    pub fn block_len(&self) -> usize {
        self.block_len
    }
    /// Memory held by the table.
    pub fn bytes(&self) -> usize {
        self.words.len() * size_of::<AtomicU64>()
    }

    #[inline]
    fn range(&self, row: usize, block: usize) -> &[AtomicU64] {
        let half = self.block_len / 2;
        let start = (row * self.blocks + block) * half;
        &self.words[start..start + half]
    }

    /// Every word of `row`, all its blocks.
    #[inline]
    fn row_words(&self, row: usize) -> &[AtomicU64] {
        let len = self.row_len();
        &self.words[row * len..(row + 1) * len]
    }

    /// Words per row, all blocks.
    pub fn row_len(&self) -> usize {
        self.blocks * self.block_len / 2
    }

    /// Syncs a worker's copy of `row` (`copy`, a row of a table of this layout): adds to
    /// `row` what the worker changed since it took the copy (`then`, the copy as taken, as
    /// words), then takes the result as the new copy and `then`. Words the worker did not
    /// change are not written here, so the other workers keep their cached lines.
    pub fn sync_row(&self, row: usize, copy: (&SharedTable, usize), then: &mut [u64]) {
        let (shared, copy) = (self.row_words(row), copy.0.row_words(copy.1));
        // Four words (eight values) at a time, like `rewrite_lanes`, then word by word.
        let (s4, s1) = shared.as_chunks::<4>();
        let (c4, c1) = copy.as_chunks::<4>();
        let (t4, t1) = then.as_chunks_mut::<4>();
        for ((s, c), t) in s4.iter().zip(c4).zip(t4) {
            let (now, mut v) = (load4(c), load4(s));
            if now != *t {
                let floats = |w: [u64; 4]| f32x8::from(bytemuck::cast::<_, [f32; 8]>(w));
                v = bytemuck::cast((floats(v) + (floats(now) - floats(*t))).to_array());
                store4(s, v);
            }
            store4(c, v);
            *t = v;
        }
        for ((s, c), t) in s1.iter().zip(c1).zip(t1) {
            let (now, mut v) = (c.load(Relaxed), s.load(Relaxed));
            if now != *t {
                let ((v0, v1), (n0, n1), (t0, t1)) = (unpack(v), unpack(now), unpack(*t));
                v = pack(v0 + (n0 - t0), v1 + (n1 - t1));
                s.store(v, Relaxed);
            }
            c.store(v, Relaxed);
            *t = v;
        }
    }

    /// Asks the CPU to start fetching blocks `0..blocks` of `row` (all of them when `blocks`
    /// exceeds the table's) into cache, so that a later step finds them there instead of
    /// waiting on memory. Only a hint: no effect on values.
    #[inline]
    pub fn prefetch(&self, row: usize, blocks: usize) {
        let half = self.block_len / 2;
        let start = row * self.blocks * half;
        let words = &self.words[start..start + self.blocks.min(blocks) * half];
        // One hint per 64-byte line, plus the last word in case the range ends on a new line.
        // A plain loop: the iterator form compiled to several times the instructions.
        let mut k = 0;
        while k < words.len() {
            prefetch_read(&words[k]);
            k += 8;
        }
        if let Some(last) = words.last() {
            prefetch_read(last);
        }
    }

    /// `(dot(row[..n], v[..n]), row[n])` for one block, read straight from the atomics: the
    /// same sums in the same order as copying the block and calling `linalg::dot`, without
    /// the copy. For scoring the many rejected WARP candidates. `n < block_len`.
    #[inline]
    pub fn dot_block(&self, row: usize, block: usize, v: &[f32], n: usize) -> (f32, f32) {
        let words = self.range(row, block);
        let full = n / 8;
        let mut acc = f32x8::ZERO;
        for (w, x) in words.as_chunks::<4>().0[..full]
            .iter()
            .zip(v.as_chunks::<8>().0)
        {
            let floats: [f32; 8] = bytemuck::cast(load4(w));
            acc += f32x8::from(floats) * f32x8::from(*x);
        }
        let lane = |c: usize| {
            let (lo, hi) = unpack(words[c / 2].load(Relaxed));
            if c.is_multiple_of(2) {
                lo
            } else {
                hi
            }
        };
        let tail: f32 = (full * 8..n).map(|c| lane(c) * v[c]).sum();
        (finish_dot(acc, tail), lane(n))
    }

    /// Rewrites lanes `0..w` of blocks `0..K` of `row` in place, lane `c` of every block
    /// together (a parameter and its optimiser state). Whole groups of eight lanes go through
    /// `group` as vectors, loaded straight from the atomics and stored straight back: no local
    /// copy of the row, whose 8-byte stores a 16-byte reload could not forward from. The last
    /// `w % 8` lanes go through `lane` one at a time. Both get their first lane's index.
    /// Every word touched is written back, so the lane sharing a word with lane `w - 1` is
    /// rewritten with the value read. `w <= block_len`.
    #[inline(always)]
    // One group index addresses the same lanes in all `K` blocks.
    #[allow(clippy::needless_range_loop)]
    pub fn rewrite_lanes<const K: usize>(
        &self,
        row: usize,
        w: usize,
        mut group: impl FnMut(usize, &mut [f32x8; K]),
        mut lane: impl FnMut(usize, &mut [f32; K]),
    ) {
        // Checked in release builds too: a block past the row's would be the next row's.
        assert!(
            K <= self.blocks && w <= self.block_len,
            "lanes outside the row"
        );
        let blocks: [&[AtomicU64]; K] = array::from_fn(|b| self.range(row, b));
        let full = w / 8;
        // Cut to `full` groups once, so that indexing by group needs no bounds check.
        let groups: [&[[AtomicU64; 4]]; K] = blocks.map(|b| &b.as_chunks().0[..full]);
        for g in 0..full {
            let words: [&[AtomicU64; 4]; K] = array::from_fn(|b| &groups[b][g]);
            let mut v = words.map(|w| f32x8::from(bytemuck::cast::<_, [f32; 8]>(load4(w))));
            group(g * 8, &mut v);
            for (w, v) in words.iter().zip(v) {
                store4(w, bytemuck::cast(v.to_array()));
            }
        }
        // The last lanes word by word: usually just the bias lane, so no vector setup.
        for j in full * 4..w.div_ceil(2) {
            let words: [&AtomicU64; K] = array::from_fn(|b| &blocks[b][j]);
            let pairs = words.map(|w| unpack(w.load(Relaxed)));
            let mut lo = pairs.map(|p| p.0);
            lane(2 * j, &mut lo);
            let mut hi = pairs.map(|p| p.1);
            if 2 * j + 1 < w {
                lane(2 * j + 1, &mut hi);
            }
            for b in 0..K {
                words[b].store(pack(lo[b], hi[b]), Relaxed);
            }
        }
    }

    /// Copies one block into `out` (`out.len() == block_len`).
    #[inline]
    pub fn load(&self, row: usize, block: usize, out: &mut [f32]) {
        for (pair, w) in out.chunks_exact_mut(2).zip(self.range(row, block)) {
            let (a, b) = unpack(w.load(Relaxed));
            pair[0] = a;
            pair[1] = b;
        }
    }

    /// Writes `v` (`v.len() == block_len`) over one block.
    #[inline]
    pub fn store(&self, row: usize, block: usize, v: &[f32]) {
        for (pair, w) in v.chunks_exact(2).zip(self.range(row, block)) {
            w.store(pack(pair[0], pair[1]), Relaxed);
        }
    }

    /// Copies one block into `out` word by word (no float unpacking).
    #[inline(always)]
    pub fn load_block(&self, row: usize, block: usize, out: &mut Block) {
        copy_in(&mut out.0, self.range(row, block));
    }

    /// Fills every value of block `block` in every row with `value`.
    pub fn fill_block(&mut self, block: usize, value: f32) {
        let half = self.block_len / 2;
        for row in 0..self.rows {
            let start = (row * self.blocks + block) * half;
            for w in &mut self.words[start..start + half] {
                *w.get_mut() = pack(value, value);
            }
        }
    }

    /// Applies `f` to every value of block `block` (exclusive access, no atomics traffic).
    pub fn map_block(&mut self, block: usize, mut f: impl FnMut(f32) -> f32) {
        let half = self.block_len / 2;
        for row in 0..self.rows {
            let start = (row * self.blocks + block) * half;
            for w in &mut self.words[start..start + half] {
                let (a, b) = unpack(*w.get_mut());
                *w.get_mut() = pack(f(a), f(b));
            }
        }
    }

    /// A plain copy of every value, row-major.
    pub fn to_vec(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.words.len() * 2);
        for w in &self.words {
            let (a, b) = unpack(w.load(Relaxed));
            out.push(a);
            out.push(b);
        }
        out
    }

    /// Builds a table from a plain row-major copy (the inverse of `to_vec`).
    pub fn from_slice(rows: usize, blocks: usize, block_len: usize, values: &[f32]) -> Self {
        assert_eq!(values.len(), rows * blocks * block_len);
        assert!(block_len.is_multiple_of(2));
        let mut words = Vec::with_capacity(values.len() / 2);
        huge_pages::advise(&words);
        words.extend(
            values
                .chunks_exact(2)
                .map(|p| AtomicU64::new(pack(p[0], p[1]))),
        );
        SharedTable {
            words,
            rows,
            blocks,
            block_len,
        }
    }

    /// Appends `extra` rows whose blocks are filled by `init(row, block, out)`.
    pub fn grow(
        &mut self,
        extra: usize,
        mut init: impl FnMut(usize, usize, &mut [f32]),
    ) -> Result<()> {
        let words = alloc::product(
            "new parameter rows",
            extra,
            self.blocks * self.block_len / 2,
        )?;
        reserve_words(&mut self.words, "new parameter rows", words)?;
        let mut buf = vec![0.0; self.block_len];
        for row in self.rows..self.rows + extra {
            for block in 0..self.blocks {
                buf.iter_mut().for_each(|v| *v = 0.0);
                init(row, block, &mut buf);
                self.words.extend(
                    buf.chunks_exact(2)
                        .map(|p| AtomicU64::new(pack(p[0], p[1]))),
                );
            }
        }
        self.rows += extra;
        Ok(())
    }

    /// Whether every value of block `block` is finite in every row.
    pub fn all_finite(&self, block: usize) -> bool {
        (0..self.rows).all(|row| {
            self.range(row, block).iter().all(|w| {
                let (a, b) = unpack(w.load(Relaxed));
                a.is_finite() && b.is_finite()
            })
        })
    }
}

impl Clone for SharedTable {
    fn clone(&self) -> Self {
        SharedTable::from_slice(self.rows, self.blocks, self.block_len, &self.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_store_round_trip() {
        let t = SharedTable::zeros(3, 2, 4).unwrap();
        t.store(1, 1, &[1.0, -2.0, 3.5, f32::MIN_POSITIVE]);
        let mut out = [0.0; 4];
        t.load(1, 1, &mut out);
        assert_eq!(out, [1.0, -2.0, 3.5, f32::MIN_POSITIVE]);
        t.load(1, 0, &mut out);
        assert_eq!(out, [0.0; 4]);
        let v = t.to_vec();
        assert_eq!(&v[12..16], &[1.0, -2.0, 3.5, f32::MIN_POSITIVE]);
        let u = SharedTable::from_slice(3, 2, 4, &v);
        assert_eq!(u.to_vec(), v);
    }

    #[test]
    fn fill_map_grow() {
        let mut t = SharedTable::zeros(2, 2, 2).unwrap();
        t.fill_block(1, 1.0);
        t.map_block(1, |v| v * 3.0);
        t.grow(1, |row, block, out| out[0] = (row * 10 + block) as f32)
            .unwrap();
        let v = t.to_vec();
        assert_eq!(v, vec![0., 0., 3., 3., 0., 0., 3., 3., 20., 0., 21., 0.]);
        assert!(t.all_finite(0) && t.all_finite(1));
    }

    #[test]
    fn dot_block_equals_copy_then_dot() {
        for d in [1, 5, 8, 17, 64, 65] {
            let bl = (d + 2) & !1;
            let t = SharedTable::zeros(3, 2, bl).unwrap();
            let row: Vec<f32> = (0..bl).map(|c| (c as f32 * 0.37).sin()).collect();
            t.store(2, 0, &row);
            let v: Vec<f32> = (0..bl).map(|c| (c as f32 * 0.11).cos()).collect();
            let mut copy = Block::zeros(bl);
            t.load_block(2, 0, &mut copy);
            let expected = crate::linalg::dot(&copy.floats()[..d], &v[..d]);
            let (dot, bias) = t.dot_block(2, 0, &v, d);
            assert_eq!(dot.to_bits(), expected.to_bits(), "d={d}");
            assert_eq!(bias, row[d]);
        }
    }
}
