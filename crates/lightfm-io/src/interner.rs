//! Ids to dense indices in first-seen order.
//!
//! Keys live back to back in one byte arena, and the table holds only their indices: no
//! allocation per id, about 20 bytes per distinct id beyond its text. Every key starts with a
//! [`KeyKind`] byte, so the string `"1"` and the number `1` are different ids (as in
//! `Dataset`). Hashes come from one fixed hasher, so a chunk's keys are hashed once, where they
//! are parsed, and merged into the global table without hashing again.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;
use lightfm_core::alloc;

use crate::error::Result;

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

/// Distinct keys in first-seen order, each with its hash.
#[derive(Debug, Default)]
pub struct Interner {
    arena: Vec<u8>,
    /// `ends[i]` is where key `i` ends in `arena` (it starts where key `i - 1` ends).
    ends: Vec<usize>,
    hashes: Vec<u64>,
    table: HashTable<u32>,
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

    pub fn hash(&self, i: usize) -> u64 {
        self.hashes[i]
    }

    /// The index of `id` of `kind`, added at the end if new.
    pub fn intern(&mut self, kind: KeyKind, id: &[u8], scratch: &mut Vec<u8>) -> u32 {
        scratch.clear();
        scratch.push(kind as u8);
        scratch.extend_from_slice(id);
        let hash = hash_key(scratch);
        self.intern_hashed(scratch, hash)
    }

    /// The index of a tagged `key` whose hash is `hash`, added at the end if new.
    pub fn intern_hashed(&mut self, key: &[u8], hash: u64) -> u32 {
        let Interner {
            arena,
            ends,
            hashes,
            table,
        } = self;
        let found = table.find(hash, |&i| {
            let i = i as usize;
            hashes[i] == hash && {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                &arena[start..ends[i]] == key
            }
        });
        if let Some(&i) = found {
            return i;
        }
        let i = ends.len() as u32;
        arena.extend_from_slice(key);
        ends.push(arena.len());
        hashes.push(hash);
        table.insert_unique(hash, i, |&j| hashes[j as usize]);
        i
    }

    /// Reserves room for `n` more keys (the table only; keys are short).
    pub fn reserve(&mut self, n: usize) -> Result<()> {
        alloc::reserve(&mut self.ends, "the id table", n)?;
        alloc::reserve(&mut self.hashes, "the id table", n)?;
        let hashes = &self.hashes;
        self.table.reserve(n, |&j| hashes[j as usize]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_seen_order_and_kinds() {
        let mut t = Interner::new();
        let mut s = Vec::new();
        assert_eq!(t.intern(KeyKind::Text, b"b", &mut s), 0);
        assert_eq!(t.intern(KeyKind::Text, b"a", &mut s), 1);
        assert_eq!(t.intern(KeyKind::Text, b"b", &mut s), 0);
        assert_eq!(t.intern(KeyKind::Integer, b"1", &mut s), 2);
        assert_eq!(t.intern(KeyKind::Text, b"1", &mut s), 3);
        assert_eq!(t.id(2), (KeyKind::Integer, &b"1"[..]));
        assert_eq!(t.id(3), (KeyKind::Text, &b"1"[..]));
        assert_eq!(t.len(), 4);
        let mut g = Interner::new();
        g.intern(KeyKind::Text, b"a", &mut s);
        assert_eq!(g.intern_hashed(t.key(0), t.hash(0)), 1);
        assert_eq!(g.intern_hashed(t.key(1), t.hash(1)), 0);
    }
}
