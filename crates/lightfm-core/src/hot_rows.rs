//! Worker-local copies of the hottest parameter rows during a multi-threaded epoch.
//!
//! Hogwild threads write the same few rows over and over: a small catalogue's popular items,
//! the tag features that thousands of items share. Each such write takes the row's cache
//! lines away from the other core, and the next read there waits for them to come back. What
//! that costs depends on where the host runs the two threads: on the 2-vCPU benchmark machine
//! the same epoch ran at 1.1-1.4x on two threads when moving a line cost 13-16 ns, and at
//! 1.8-2.2x when it cost 4 ns (`examples/contention`).
//!
//! So each worker keeps its own copy of the hottest rows, chosen once per fit ([`HotSet`]),
//! and reads and writes that copy instead of the shared row. After every chunk it adds what it
//! changed (its copy minus the copy as it took it) into the shared row, and takes fresh copies
//! for the next chunk ([`Copies::sync`]). The other threads therefore see a hot row's updates
//! one chunk late (a few thousand examples) instead of at once, which is what data-parallel
//! SGD with periodic averaging does; every other row is shared as before. The adagrad
//! accumulators are sums, so adding the changes of two workers gives what one would have
//! summed; adadelta's are decaying averages, which do not add, so adadelta fits share every
//! row directly, as do fits with L2 decay and short epochs (see [`worth_copying`]). One thread
//! needs no copies, and its results stay bit-identical.

use crate::alloc;
use crate::error::Result;
use crate::loss::FeatureRows;
use crate::shared::{Block, SharedTable};

/// Rows a worker copies, all tables together: this many bytes of parameters and state (twice
/// that with the snapshot), within a core's L2 (512 KiB to 2 MiB today). On synthetic10m
/// (1,000 shared tags), 512 KiB brought the 2-thread epochs of the host's slow phase from
/// about 1.6x its fast phase's time to 1.0-1.1x (WARP, logistic), and cost nothing measurable
/// in the fast phase; 128 KiB (a quarter of the tags) left logistic at 1.4x.
pub const COPY_BYTES: usize = 512 << 10;

/// A row is worth copying when each worker writes it at least this often per chunk:
/// copying costs about two transfers of the row per chunk (the fold and the fresh copy), and
/// sharing it up to one per write. Above that break-even because syncing rows costs time too:
/// with 4, ml1m's 2-thread BPR epochs (about a thousand rows copied) took 10-15% longer in the
/// host's fast phase.
pub const MIN_TOUCHES_PER_CHUNK: f64 = 12.0;

/// Copies are taken only when every thread gets at least this many chunks per epoch. Each
/// sync adds up changes that two workers made from the same starting point, without seeing
/// each other's; that must stay a small part of an epoch. On CrossValidated (57k examples, 14
/// chunks; WARP with tags, 3 epochs, 5 seeds) copies took the mean 2-thread test AUC from
/// 0.717 to 0.706; with hundreds of chunks (ml1m, synthetic10m) AUC and precision@10 did not
/// move. Small sets train in seconds anyway.
pub const MIN_CHUNKS_PER_THREAD: usize = 64;

/// Whether workers of a fit of `n_examples` per epoch, in chunks of `chunk`, on `threads`
/// threads copy hot rows at all: with more than one thread, an epoch long enough (see
/// [`MIN_CHUNKS_PER_THREAD`]), and `changes_add`: an optimiser whose state adds up (adagrad's
/// sums do, adadelta's decaying averages do not) and no L2 decay. Under decay a chunk of one
/// worker's steps is large next to the shrinking parameters, and adding two such chunks taken
/// from the same start overshoots: with `itemAlpha` 1e-2 a 2-thread WARP fit's test AUC fell
/// from 0.686 to 0.556 (syncing every 32 examples brought it back, at a cost no fit can pay).
pub fn worth_copying(n_examples: usize, chunk: usize, threads: usize, changes_add: bool) -> bool {
    threads > 1 && changes_add && n_examples / chunk.max(1) >= MIN_CHUNKS_PER_THREAD * threads
}

/// The rows of one table that workers copy.
#[derive(Debug)]
pub struct HotSet {
    /// Table rows, ascending; a row's copy is at its position here.
    rows: Vec<u32>,
    /// Per 64 table rows: which of them are hot, and how many hot rows come before them.
    index: Vec<(u64, u32)>,
}

impl HotSet {
    /// The set of `rows` (ascending) of a table of `n_rows` rows; `None` when empty.
    pub fn new(n_rows: usize, rows: Vec<u32>) -> Option<Self> {
        if rows.is_empty() {
            return None;
        }
        debug_assert!(rows.is_sorted() && rows.last().is_some_and(|&r| (r as usize) < n_rows));
        let mut index = vec![(0u64, 0u32); n_rows.div_ceil(64)];
        for &r in &rows {
            index[r as usize / 64].0 |= 1 << (r % 64);
        }
        let mut before = 0;
        for (bits, count) in &mut index {
            *count = before;
            before += bits.count_ones();
        }
        Some(HotSet { rows, index })
    }

    // Never empty: `new` returns `None` instead.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Where a worker keeps its copy of table row `row`, if it is hot.
    #[inline]
    pub fn slot(&self, row: u32) -> Option<usize> {
        let (bits, before) = self.index[row as usize / 64];
        let bit = 1u64 << (row % 64);
        (bits & bit != 0).then(|| (before + (bits & (bit - 1)).count_ones()) as usize)
    }
}

/// Uses per epoch that make a row hot, for an epoch of `n_examples` in chunks of `chunk`: a
/// worker then writes it at least [`MIN_TOUCHES_PER_CHUNK`] times per chunk.
pub fn threshold(n_examples: usize, chunk: usize) -> f32 {
    // At least one chunk, even for an epoch shorter than one (or empty).
    let chunks = (n_examples as f64 / chunk.max(1) as f64).max(1.0);
    (MIN_TOUCHES_PER_CHUNK * chunks) as f32
}

/// The rows of a table of `n_rows` that reach `threshold` uses per epoch, as `(uses, row)`,
/// from each user's or item's writes per epoch (`writes`, in id order) and the feature rows
/// it is made of. With identity features a row is an id, and nothing is kept for the rest.
pub fn candidates(
    writes: impl Iterator<Item = f32>,
    features: FeatureRows,
    n_rows: usize,
    threshold: f32,
) -> Vec<(f32, u32)> {
    let hot = |(row, uses): (usize, f32)| (uses >= threshold).then_some((uses, row as u32));
    if features.is_identity() {
        return writes.enumerate().filter_map(hot).collect();
    }
    let mut uses = vec![0.0; n_rows];
    for (id, w) in writes.enumerate() {
        for (f, _) in features.row(id as u32).iter() {
            uses[f as usize] += w;
        }
    }
    uses.into_iter().enumerate().filter_map(hot).collect()
}

/// The most used of both sides' `candidates` (user, item; see [`candidates`]), up to
/// [`COPY_BYTES`] of rows of `row_bytes`. Returns each side's rows, ascending.
pub fn choose(candidates: [Vec<(f32, u32)>; 2], row_bytes: usize) -> [Vec<u32>; 2] {
    let mut hot: Vec<(f32, usize, u32)> = (candidates.into_iter().enumerate())
        .flat_map(|(side, c)| c.into_iter().map(move |(uses, row)| (uses, side, row)))
        .collect();
    hot.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    hot.truncate(COPY_BYTES / row_bytes.max(1));
    let mut rows = [Vec::new(), Vec::new()];
    for (_, side, row) in hot {
        rows[side].push(row);
    }
    rows.iter_mut().for_each(|r| r.sort_unstable());
    rows
}

/// One worker's copies of a table's hot rows, and the same rows as it took them.
pub struct Copies<'a> {
    set: &'a HotSet,
    rows: SharedTable,
    /// The copies as taken, row after row, as the table's words.
    then: Vec<u64>,
}

impl<'a> Copies<'a> {
    /// Copies of `set`'s rows of `shared`, taken now.
    pub fn new(set: &'a HotSet, shared: &SharedTable) -> Result<Self> {
        let rows = SharedTable::zeros(set.len(), shared.blocks(), shared.block_len())?;
        let mut then = Vec::new();
        alloc::reserve(
            &mut then,
            "copies of hot rows",
            rows.rows() * rows.row_len(),
        )?;
        then.resize(rows.rows() * rows.row_len(), 0);
        let mut copies = Copies { set, rows, then };
        // Zero copies taken as zeros: syncing them adds nothing and takes them.
        copies.sync(shared);
        Ok(copies)
    }

    /// Adds this worker's changes since the copies were taken to `shared`, then takes fresh
    /// copies (which now include the other workers' changes).
    pub fn sync(&mut self, shared: &SharedTable) {
        let then = self.then.chunks_exact_mut(self.rows.row_len());
        for ((slot, &row), then) in self.set.rows.iter().enumerate().zip(then) {
            shared.sync_row(row as usize, (&self.rows, slot), then);
        }
    }
}

/// A side's parameter rows as one worker sees them: the shared table, except for the hot
/// rows it holds copies of.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    shared: &'a SharedTable,
    copies: Option<(&'a HotSet, &'a SharedTable)>,
}

impl<'a> Table<'a> {
    /// Every row shared.
    pub fn shared(table: &'a SharedTable) -> Self {
        Table {
            shared: table,
            copies: None,
        }
    }

    /// The same table, with a worker's copies of its hot rows (if any) in front.
    pub fn with(self, copies: Option<&'a Copies>) -> Self {
        Table {
            copies: copies.map(|c| (c.set, &c.rows)),
            ..self
        }
    }

    /// Where row `row` is read and written: `(table, row in that table)`.
    #[inline]
    pub fn at(&self, row: u32) -> (&'a SharedTable, usize) {
        if let Some((set, copies)) = self.copies {
            if let Some(slot) = set.slot(row) {
                return (copies, slot);
            }
        }
        (self.shared, row as usize)
    }

    /// [`SharedTable::prefetch`] of row `row`, wherever it lives.
    #[inline]
    pub fn prefetch(&self, row: u32, blocks: usize) {
        let (table, row) = self.at(row);
        table.prefetch(row, blocks);
    }

    /// [`SharedTable::load_block`] of row `row`, wherever it lives.
    #[inline(always)]
    pub fn load_block(&self, row: u32, block: usize, out: &mut Block) {
        let (table, row) = self.at(row);
        table.load_block(row, block, out);
    }

    /// [`SharedTable::dot_block`] of row `row`, wherever it lives.
    #[inline]
    pub fn dot_block(&self, row: u32, block: usize, v: &[f32], n: usize) -> (f32, f32) {
        let (table, row) = self.at(row);
        table.dot_block(row, block, v, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::CsrMatrix;

    #[test]
    fn copies_need_threads_a_long_epoch_and_state_that_adds() {
        let long = MIN_CHUNKS_PER_THREAD * 2 * 100;
        assert!(worth_copying(long, 100, 2, true));
        assert!(!worth_copying(long, 100, 1, true));
        assert!(!worth_copying(long, 100, 2, false));
        assert!(!worth_copying(long - 1, 100, 2, true));
        assert!(!worth_copying(long, 100, 3, true));
    }

    #[test]
    fn slots_follow_the_rows() {
        let rows = vec![0, 3, 63, 64, 130, 199];
        let set = HotSet::new(200, rows.clone()).unwrap();
        for r in 0..200u32 {
            assert_eq!(set.slot(r), rows.iter().position(|&h| h == r), "row {r}");
        }
        assert!(HotSet::new(10, vec![]).is_none());
    }

    #[test]
    fn the_most_used_rows_above_the_threshold_within_the_budget() {
        // 1000 examples in chunks of 100: a row needs `t` uses per epoch.
        let t = threshold(1000, 100);
        assert_eq!(t, MIN_TOUCHES_PER_CHUNK as f32 * 10.0);
        // Fewer examples than a chunk: one chunk holds them all.
        assert_eq!(threshold(10, 100), MIN_TOUCHES_PER_CHUNK as f32);
        assert_eq!(threshold(0, 100), MIN_TOUCHES_PER_CHUNK as f32);
        let users = [1.25 * t, 0.975 * t, 10.0 * t];
        let identity = CsrMatrix::identity(3).unwrap();
        let users = candidates(users.into_iter(), FeatureRows::new(&identity), 3, t);
        assert_eq!(users, [(1.25 * t, 0), (10.0 * t, 2)]);
        // Items 0 and 1 share feature row 2; row 1 belongs to item 2 alone.
        let features =
            CsrMatrix::new(3, 4, vec![0, 2, 4, 5], vec![0, 2, 2, 3, 1], vec![1.0; 5]).unwrap();
        let items = [0.75 * t, 0.5 * t, 1.5 * t];
        let items = candidates(items.into_iter(), FeatureRows::new(&features), 4, t);
        assert_eq!(items, [(1.5 * t, 1), (1.25 * t, 2)]);
        let both = [users.clone(), items.clone()];
        assert_eq!(choose(both, 1), [vec![0, 2], vec![1, 2]]);
        // Room for two rows: the two most used.
        assert_eq!(choose([users, items], COPY_BYTES / 2), [vec![2], vec![1]]);
    }

    #[test]
    fn sync_adds_every_value_of_long_rows() {
        // 2 blocks of 10 values: 10 words, two groups of four and two single words.
        let value = |k: usize, salt: f32| (k as f32 * 0.37 + salt).sin();
        let shared = SharedTable::zeros(3, 2, 10).unwrap();
        let fill = |t: &SharedTable, row: usize, salt: f32| {
            for b in 0..2 {
                let v: Vec<f32> = (0..10).map(|k| value(b * 10 + k, salt)).collect();
                t.store(row, b, &v);
            }
        };
        let read = |t: &SharedTable, row: usize| {
            let mut out = vec![0.0; 20];
            t.load(row, 0, &mut out[..10]);
            t.load(row, 1, &mut out[10..]);
            out
        };
        fill(&shared, 2, 0.0);
        let set = HotSet::new(3, vec![2]).unwrap();
        let mut copies = Copies::new(&set, &shared).unwrap();
        let then = read(&shared, 2);
        // The worker changes one value in the first group and the last value; the shared
        // row moves everywhere.
        let mut mine = then.clone();
        mine[1] += 1.0;
        mine[19] -= 2.0;
        copies.rows.store(0, 0, &mine[..10]);
        copies.rows.store(0, 1, &mine[10..]);
        fill(&shared, 2, 0.5);
        let theirs = read(&shared, 2);
        copies.sync(&shared);
        let synced = read(&shared, 2);
        for k in 0..20 {
            assert_eq!(synced[k], theirs[k] + (mine[k] - then[k]), "value {k}");
        }
        assert_eq!(read(&copies.rows, 0), synced);
    }

    #[test]
    fn sync_adds_the_workers_changes_and_retakes() {
        let shared = SharedTable::zeros(4, 2, 2).unwrap();
        shared.store(1, 0, &[1.0, 2.0]);
        shared.store(1, 1, &[5.0, 5.0]);
        let set = HotSet::new(4, vec![1, 3]).unwrap();
        let mut copies = Copies::new(&set, &shared).unwrap();
        let view = Table::shared(&shared).with(Some(&copies));
        let (t, r) = view.at(1);
        assert_eq!(r, 0);
        let mut out = [0.0; 2];
        t.load(r, 0, &mut out);
        assert_eq!(out, [1.0, 2.0]);
        t.store(r, 0, &[1.5, 2.0]);
        t.store(r, 1, &[6.0, 5.0]);
        // Rows that are not hot are the shared ones.
        let (t, r) = view.at(2);
        assert!(std::ptr::eq(t, &shared) && r == 2);
        // Meanwhile another worker moved the shared row.
        shared.store(1, 0, &[1.25, 2.0]);
        copies.sync(&shared);
        shared.load(1, 0, &mut out);
        assert_eq!(out, [1.75, 2.0]);
        shared.load(1, 1, &mut out);
        assert_eq!(out, [6.0, 5.0]);
        // Fresh copies: the next sync adds nothing.
        copies.rows.load(0, 0, &mut out);
        assert_eq!(out, [1.75, 2.0]);
        shared.store(1, 0, &[0.5, 0.5]);
        copies.sync(&shared);
        shared.load(1, 0, &mut out);
        assert_eq!(out, [0.5, 0.5]);
    }
}
