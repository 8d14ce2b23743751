//! Ids to dense indices in first-seen order.
//!
//! Keys live back to back in one byte arena; an open-addressing table (linear probing) holds,
//! per key, its full hash, its index and, for keys of up to [`INLINE`] bytes (most ids), the key
//! itself, in one 32-byte slot: a lookup reads one cache line, not three (table, hash, arena).
//! [`Interner::intern_column`] looks up a piece's keys with the slots of the keys a few rows
//! ahead prefetched, so the misses into a table of millions of ids overlap instead of queueing
//! (the reader's merge thread spent most of its time waiting on them).
//!
//! Every key starts with a [`KeyKind`] byte, so the string `"1"` and the number `1` are
//! different ids (as in `Dataset`). Hashes come from one fixed hasher, so keys are hashed once,
//! on the thread that parses them ([`KeyColumn`]), and interned on the merging thread.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use lightfm_core::alloc;
use lightfm_core::prefetch::prefetch_read;

use crate::error::{Error, Result};

/// The type of an id: a string, or an integer written in decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum KeyKind {
    Text = 0,
    Integer = 1,
}

/// The hash of a tagged key.
pub fn hash_key(key: &[u8]) -> u64 {
    FixedState::with_seed(0x6c69_6768_7466_6d21).hash_one(key)
}

/// Keys up to this long (kind byte included) are compared inside their slot.
const INLINE: usize = 19;

/// Slots looked up ahead of the current row in [`Interner::intern_column`].
const AHEAD: usize = 16;

/// One table slot: empty when `index` is 0, else key `index - 1`.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    hash: u64,
    index: u32,
    /// The key's length when it is inline, else 0.
    len: u8,
    inline: [u8; INLINE],
}

/// The keys of one column of a piece of a file, one per row, each with its hash: what a
/// parsing thread hands to the merging one.
#[derive(Debug, Default)]
pub struct KeyColumn {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    hashes: Vec<u64>,
}

impl KeyColumn {
    /// Appends the key `id` of `kind`.
    pub fn push(&mut self, kind: KeyKind, id: &[u8]) {
        let start = self.bytes.len();
        self.bytes.push(kind as u8);
        self.bytes.extend_from_slice(id);
        self.hashes.push(hash_key(&self.bytes[start..]));
        self.ends.push(self.bytes.len());
    }

    /// Room for `rows` more keys (of a typical id's length).
    pub fn reserve(&mut self, rows: usize) {
        self.bytes.reserve(rows * 16);
        self.ends.reserve(rows);
        self.hashes.reserve(rows);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn key(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

/// Distinct keys in first-seen order.
#[derive(Debug, Default)]
pub struct Interner {
    arena: Vec<u8>,
    /// `ends[i]` is where key `i` ends in `arena` (it starts where key `i - 1` ends).
    ends: Vec<usize>,
    /// Open addressing, a power of two long (or empty), at most 5/8 full.
    slots: Vec<Slot>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Key `i` with its kind byte.
    pub fn key(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }

    /// Key `i` without its kind byte, and its kind.
    pub fn id(&self, i: usize) -> (KeyKind, &[u8]) {
        let k = self.key(i);
        let kind = if k[0] == KeyKind::Integer as u8 {
            KeyKind::Integer
        } else {
            KeyKind::Text
        };
        (kind, &k[1..])
    }

    /// The index of `id` of `kind`, added at the end if new.
    pub fn intern(&mut self, kind: KeyKind, id: &[u8]) -> Result<u32> {
        let mut one = KeyColumn::default();
        one.push(kind, id);
        self.intern_hashed(one.key(0), one.hashes[0])
    }

    /// Appends the index of every key of `column` to `out`, in order; new keys are added in
    /// that order.
    pub fn intern_column(&mut self, column: &KeyColumn, out: &mut Vec<u32>) -> Result<()> {
        alloc::reserve(out, "the rows read", column.len())?;
        for i in 0..column.len() {
            if let Some(&ahead) = column.hashes.get(i + AHEAD) {
                if !self.slots.is_empty() {
                    prefetch_read(&self.slots[self.home(ahead)]);
                }
            }
            out.push(self.intern_hashed(column.key(i), column.hashes[i])?);
        }
        Ok(())
    }

    /// Room for `n` more keys without growing the table.
    pub fn reserve(&mut self, n: usize) -> Result<()> {
        alloc::reserve(&mut self.ends, "the id table", n)?;
        let want = (self.len() + n).saturating_mul(8) / 5 + 1;
        if want > self.slots.len() {
            self.rehash(want.next_power_of_two())?;
        }
        Ok(())
    }

    fn home(&self, hash: u64) -> usize {
        hash as usize & (self.slots.len() - 1)
    }

    /// The index of a tagged `key` whose hash is `hash`, added at the end if new.
    fn intern_hashed(&mut self, key: &[u8], hash: u64) -> Result<u32> {
        if (self.len() + 1) * 8 > self.slots.len() * 5 {
            self.rehash((self.slots.len() * 2).max(64))?;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = &self.slots[at];
            if slot.index == 0 {
                return self.insert(at, key, hash);
            }
            if slot.hash == hash && self.same(slot, key) {
                return Ok(slot.index - 1);
            }
            at = (at + 1) & mask;
        }
    }

    fn same(&self, slot: &Slot, key: &[u8]) -> bool {
        if slot.len == 0 {
            return self.key(slot.index as usize - 1) == key;
        }
        // Fixed-size compare of the zero-padded key: a few vector instructions, no call.
        let mut padded = [0u8; INLINE];
        let Some(head) = padded.get_mut(..key.len()) else {
            return false;
        };
        head.copy_from_slice(key);
        usize::from(slot.len) == key.len() && slot.inline == padded
    }

    fn insert(&mut self, at: usize, key: &[u8], hash: u64) -> Result<u32> {
        // Slots store `index + 1` in a u32; matrices stop far below (MAX_DIM) anyway.
        let index = u32::try_from(self.ends.len())
            .ok()
            .filter(|&i| i < u32::MAX)
            .ok_or_else(|| Error::InvalidArg("more than 4 billion distinct ids".into()))?;
        alloc::reserve(&mut self.arena, "the ids", key.len())?;
        alloc::reserve(&mut self.ends, "the id table", 1)?;
        self.arena.extend_from_slice(key);
        self.ends.push(self.arena.len());
        let mut slot = Slot {
            hash,
            index: index + 1,
            ..Slot::default()
        };
        if key.len() <= INLINE {
            slot.len = key.len() as u8;
            slot.inline[..key.len()].copy_from_slice(key);
        }
        self.slots[at] = slot;
        Ok(index)
    }

    /// Moves every key into a table of `size` slots (a power of two).
    fn rehash(&mut self, size: usize) -> Result<()> {
        let old = std::mem::replace(
            &mut self.slots,
            alloc::vec_of("the id table", size, Slot::default())?,
        );
        let mask = size - 1;
        for slot in old.into_iter().filter(|s| s.index != 0) {
            let mut at = slot.hash as usize & mask;
            while self.slots[at].index != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_seen_order_and_kinds() {
        let mut t = Interner::new();
        assert_eq!(t.intern(KeyKind::Text, b"b").unwrap(), 0);
        assert_eq!(t.intern(KeyKind::Text, b"a").unwrap(), 1);
        assert_eq!(t.intern(KeyKind::Text, b"b").unwrap(), 0);
        assert_eq!(t.intern(KeyKind::Integer, b"1").unwrap(), 2);
        assert_eq!(t.intern(KeyKind::Text, b"1").unwrap(), 3);
        assert_eq!(t.id(2), (KeyKind::Integer, &b"1"[..]));
        assert_eq!(t.id(3), (KeyKind::Text, &b"1"[..]));
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn columns_short_and_long_keys_across_growth() {
        let long = |i: usize| format!("a-key-much-longer-than-a-slot-{i}");
        let mut column = KeyColumn::default();
        for i in 0..5000 {
            column.push(KeyKind::Text, format!("k{}", i % 3000).as_bytes());
            column.push(KeyKind::Text, long(i % 700).as_bytes());
        }
        let mut t = Interner::new();
        t.intern(KeyKind::Text, b"known").unwrap();
        let mut got = Vec::new();
        t.intern_column(&column, &mut got).unwrap();
        assert_eq!(t.len(), 1 + 3000 + 700);
        // Same keys, same indices; first-seen order.
        for (i, &index) in got.iter().enumerate() {
            assert_eq!(t.key(index as usize), column.key(i));
        }
        assert_eq!(&got[..4], &[1, 2, 3, 4]);
        let mut again = Vec::new();
        t.intern_column(&column, &mut again).unwrap();
        assert_eq!(got, again);
        assert_eq!(
            t.intern(KeyKind::Text, long(5).as_bytes()).unwrap(),
            got[11]
        );
    }
}
