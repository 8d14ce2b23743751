//! The training examples grouped by user: the form an epoch reads.
//!
//! A fit visits every stored interaction in a random order, so it needs each entry's user,
//! item, value and weight by position. Grouping the entries by user (a CSR that keeps
//! duplicates) stores 4 bytes per entry where a copy of the COO stores 8 (its row array is
//! replaced by `indptr` and a small block index), and with sorted rows the grouped items
//! are also the pairwise losses' membership rows, which a COO copy needed built a second
//! time. The binding groups the caller's arrays straight from a borrowed view, so a fit
//! holds no other copy of them.

use crate::error::{Error, Result};
use crate::huge_pages;
use crate::hyper::Loss;
use crate::loss::Example;
use crate::positives::Positives;
use crate::prefetch::prefetch_read;
use crate::sparse::{merged_row, CooView, CsrMatrix};

/// Positions per entry of the block index: position `b << BLOCK_BITS` is in row `block_user[b]`.
const BLOCK_BITS: u32 = 6;

/// Where one user's entries sit among the grouped examples: positions `start..end`
/// (`indptr[user]..indptr[user + 1]`), found while locating an example, so that a later
/// membership test or prefetch need not read `indptr` again (a cache miss at scale).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// Stored interactions grouped by user, in row order; within a row, entries keep their
/// input order unless sorted by item ([`Examples::rows_sorted`]).
#[derive(Debug, Clone)]
pub struct Examples {
    shape: (usize, usize),
    indptr: Vec<u32>,
    items: Vec<u32>,
    /// `None`: every value is 1.
    values: Option<Vec<f32>>,
    /// `None`: every weight is 1.
    weights: Option<Vec<f32>>,
    /// The user of position `b << BLOCK_BITS`, then the user of the last position.
    block_user: Vec<u32>,
    sorted: bool,
    /// The loss they were grouped for: which values are kept and whether rows are sorted
    /// depend on it.
    loss: Loss,
}

impl Examples {
    /// Groups `interactions` (and their `weights`, one per entry in the same order) for a
    /// fit with `loss`. Without `values` every value reads as 1 (see
    /// [`needs_values`](crate::train::needs_values)). Within a row, entries keep their input
    /// order; [`Examples::sort_for_search`] sorts them when the loss needs it.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG` / `ERR_SHAPE` / `ERR_NOT_FINITE` for weights the loss cannot use,
    /// of the wrong length, negative or not finite.
    pub fn new(
        interactions: CooView,
        values: bool,
        weights: Option<&[f32]>,
        loss: Loss,
    ) -> Result<Self> {
        if let Some(w) = weights {
            check_weights(w, interactions.nnz(), loss)?;
        }
        let (rows, cols) = interactions.shape();
        let col = interactions.col();
        let nnz = interactions.nnz();
        // Zeroed allocations are not written yet: advised now, they fill with huge pages
        // (each epoch reads them at random positions, like the parameter tables).
        let mut items = vec![0u32; nnz];
        huge_pages::advise(&items);
        let data = interactions.data();
        let mut values = values.then(|| vec![0f32; nnz]);
        let mut grouped_weights = weights.map(|_| vec![0f32; nnz]);
        values
            .iter()
            .chain(&grouped_weights)
            .for_each(huge_pages::advise);
        let indptr = interactions.group_by_row(|k, p| {
            items[p] = col[k];
            if let Some(v) = values.as_mut() {
                v[p] = data[k];
            }
            if let (Some(g), Some(w)) = (grouped_weights.as_mut(), weights) {
                g[p] = w[k];
            }
        });
        let block_user = block_index(&indptr, nnz);
        Ok(Examples {
            shape: (rows, cols),
            indptr,
            items,
            values,
            weights: grouped_weights,
            block_user,
            sorted: false,
            loss,
        })
    }

    /// Sorts each row by item when the loss's membership test will search the rows (a
    /// pairwise loss whose bitset would be too large), so they serve as its positives with no
    /// second copy; otherwise does nothing. On large unsorted input this is the costly part of
    /// preparing a fit, so the binding runs it on the worker thread, not the caller's.
    pub fn sort_for_search(&mut self) {
        let (rows, cols) = self.shape;
        if self.loss.is_pairwise() && !Positives::bitset_fits(rows, cols, self.len()) {
            self.sort_rows();
        }
    }

    pub fn shape(&self) -> (usize, usize) {
        self.shape
    }

    /// Stored entries, each one example.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn indptr(&self) -> &[u32] {
        &self.indptr
    }

    pub fn items(&self) -> &[u32] {
        &self.items
    }

    /// The loss these examples were grouped for.
    pub fn loss(&self) -> Loss {
        self.loss
    }

    /// Whether each row's items are in ascending order.
    pub fn rows_sorted(&self) -> bool {
        self.sorted
    }

    /// The value of the entry at position `p` (1 when values were not kept).
    #[inline]
    pub fn value(&self, p: usize) -> f32 {
        self.values.as_ref().map_or(1.0, |v| v[p])
    }

    /// The user of the entry at position `p` and the span of that user's entries: the block
    /// index narrows the search to the few rows that start within one block of positions.
    #[inline]
    pub fn locate(&self, p: usize) -> (u32, Span) {
        let b = p >> BLOCK_BITS;
        let (first, last) = (self.block_user[b], self.block_user[b + 1]);
        let ends = &self.indptr[first as usize + 1..=last as usize + 1];
        let k = ends.partition_point(|&end| end as usize <= p);
        let user = first + k as u32;
        let span = Span {
            start: self.indptr[user as usize],
            end: ends[k],
        };
        (user, span)
    }

    /// The example at position `p`.
    #[inline]
    pub fn example(&self, p: usize) -> Example {
        let (user, span) = self.locate(p);
        Example {
            user,
            span,
            item: self.items[p],
            weight: self.weights.as_ref().map_or(1.0, |w| w[p]),
            value: self.value(p),
        }
    }

    /// Starts fetching what [`Examples::example`] reads for position `p` directly (a hint
    /// only); [`Examples::prefetch_rows`] fetches the rest once these lines have arrived.
    #[inline]
    pub fn prefetch(&self, p: usize) {
        prefetch_read(&self.items[p]);
        prefetch_read(&self.block_user[p >> BLOCK_BITS]);
        if let Some(v) = &self.values {
            prefetch_read(&v[p]);
        }
        if let Some(w) = &self.weights {
            prefetch_read(&w[p]);
        }
    }

    /// Starts fetching the `indptr` entries [`Examples::locate`] searches for position `p`.
    /// It reads the block index to find them, so call it after [`Examples::prefetch`] has
    /// brought that in: a miss here would stall instead of overlapping.
    #[inline]
    pub fn prefetch_rows(&self, p: usize) {
        let first = self.block_user[p >> BLOCK_BITS] as usize;
        prefetch_read(&self.indptr[first + 1]);
    }

    /// Entries per item (every entry, whatever its value, as LightFM's BPR pool).
    pub fn item_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.shape.1];
        for &c in &self.items {
            counts[c as usize] += 1;
        }
        counts
    }

    /// Each user's items with a positive total value (duplicates summed, as in LightFM's
    /// `tocsr()`), sorted: the k-OS positives.
    pub fn positive_part(&self) -> CsrMatrix {
        let (rows, cols) = self.shape;
        let mut indptr = vec![0u32];
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        let mut row: Vec<(u32, f32)> = Vec::new();
        for r in 0..rows {
            let (s, e) = (self.indptr[r] as usize, self.indptr[r + 1] as usize);
            row.clear();
            row.extend((s..e).map(|p| (self.items[p], self.value(p))));
            for (c, sum) in merged_row(&mut row) {
                if sum > 0.0 {
                    indices.push(c);
                    data.push(sum);
                }
            }
            indptr.push(indices.len() as u32);
        }
        CsrMatrix::new(rows, cols, indptr, indices, data)
            .expect("sorted, merged subset of a valid matrix")
    }

    /// Sorts each row by item, moving values and weights along (stable, so equal items keep
    /// their input order).
    fn sort_rows(&mut self) {
        let mut order: Vec<u32> = Vec::new();
        let mut moved: Vec<f32> = Vec::new();
        for r in 0..self.shape.0 {
            let (s, e) = (self.indptr[r] as usize, self.indptr[r + 1] as usize);
            let items = &mut self.items[s..e];
            if items.is_sorted() {
                continue;
            }
            if self.values.is_none() && self.weights.is_none() {
                items.sort_unstable();
                continue;
            }
            order.clear();
            order.extend(0..(e - s) as u32);
            order.sort_by_key(|&i| items[i as usize]);
            let sorted_items: Vec<u32> = order.iter().map(|&i| items[i as usize]).collect();
            items.copy_from_slice(&sorted_items);
            for column in [self.values.as_mut(), self.weights.as_mut()]
                .into_iter()
                .flatten()
            {
                let a = &mut column[s..e];
                moved.clear();
                moved.extend(order.iter().map(|&i| a[i as usize]));
                a.copy_from_slice(&moved);
            }
        }
        self.sorted = true;
    }
}

/// `block_user[b]`: the row of position `b << BLOCK_BITS`; the last entry is the row of the
/// last position, so every block's rows lie between two neighbouring entries.
fn block_index(indptr: &[u32], nnz: usize) -> Vec<u32> {
    let blocks = nnz.div_ceil(1 << BLOCK_BITS);
    let mut out = Vec::with_capacity(blocks + 1);
    let mut r = 0usize;
    let positions = (0..blocks)
        .map(|b| b << BLOCK_BITS)
        .chain((nnz > 0).then(|| nnz - 1));
    for p in positions {
        while indptr[r + 1] as usize <= p {
            r += 1;
        }
        out.push(r as u32);
    }
    out
}

/// Rejects sample weights the loss cannot use or that are not finite and >= 0.
fn check_weights(w: &[f32], nnz: usize, loss: Loss) -> Result<()> {
    if loss == Loss::WarpKos {
        return Err(Error::invalid(
            "the warp-kos loss does not support sample weights (as in LightFM); remove sampleWeight or use warp",
        ));
    }
    if w.len() != nnz {
        return Err(Error::shape(
            "sampleWeight length (one per stored interaction)",
            nnz,
            w.len(),
        ));
    }
    if let Some(position) = w.iter().position(|v| !v.is_finite()) {
        return Err(Error::NotFinite {
            what: "sampleWeight".into(),
            position,
        });
    }
    if let Some(p) = w.iter().position(|&v| v < 0.0) {
        return Err(Error::invalid(format!(
            "sampleWeight must be >= 0, got {} at position {p}",
            w[p]
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::CooMatrix;

    fn coo() -> CooMatrix {
        // Unsorted, a duplicate (1, 2), empty rows 2 and 4..6.
        CooMatrix::new(
            7,
            5,
            vec![3, 1, 0, 1, 1, 6],
            vec![4, 2, 3, 0, 2, 1],
            vec![1.0, 2.0, 3.0, 4.0, -5.0, 6.0],
        )
        .unwrap()
    }

    #[test]
    fn every_entry_once_with_its_user_value_and_weight() {
        let m = coo();
        let w = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
        for loss in [Loss::Logistic, Loss::Warp] {
            let ex = Examples::new(m.view(), true, Some(&w), loss).unwrap();
            let mut got: Vec<(u32, u32, f32, f32)> = (0..ex.len())
                .map(|p| ex.example(p))
                .map(|e| (e.user, e.item, e.value, e.weight))
                .collect();
            let mut want: Vec<(u32, u32, f32, f32)> = (0..m.nnz())
                .map(|k| (m.row()[k], m.col()[k], m.value(k), w[k]))
                .collect();
            for v in [&mut got, &mut want] {
                v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            }
            assert_eq!(got, want);
        }
    }

    #[test]
    fn locate_matches_a_linear_scan_across_blocks() {
        // Rows of lengths 0..40 with empty rows between: many rows start in each block.
        let (mut row, mut col) = (Vec::new(), Vec::new());
        for r in 0..120u32 {
            for c in 0..(r % 41) * (r % 3) {
                row.push(r);
                col.push(c);
            }
        }
        let n = row.len();
        let m = CooMatrix::new(120, 81, row, col, vec![1.0; n]).unwrap();
        let ex = Examples::new(m.view(), false, None, Loss::Logistic).unwrap();
        for p in 0..ex.len() {
            let want = (0..120).find(|&r| ex.indptr[r + 1] as usize > p).unwrap();
            let span = Span {
                start: ex.indptr[want],
                end: ex.indptr[want + 1],
            };
            assert_eq!(ex.locate(p), (want as u32, span), "position {p}");
        }
    }

    #[test]
    fn sorted_rows_keep_values_with_their_items() {
        let m = coo();
        let mut ex = Examples::new(m.view(), true, None, Loss::Warp).unwrap();
        ex.sort_rows();
        assert_eq!(ex.indptr, [0, 1, 4, 4, 5, 5, 5, 6]);
        assert_eq!(ex.items, [3, 0, 2, 2, 4, 1]);
        assert_eq!(
            ex.values.as_deref(),
            Some(&[3.0, 4.0, 2.0, -5.0, 1.0, 6.0][..])
        );
    }

    #[test]
    fn rows_are_sorted_only_for_a_search() {
        // 10^9 user-item bits: too many for a bitset, so pairwise losses search the rows.
        let (row, col) = (vec![7, 7, 7, 3], vec![9_000, 5, 700, 2]);
        let m = CooMatrix::new(100_000, 10_000, row, col, vec![1.0; 4]).unwrap();
        for (loss, sorted) in [
            (Loss::Warp, true),
            (Loss::Bpr, true),
            (Loss::Logistic, false),
        ] {
            let mut ex = Examples::new(m.view(), false, None, loss).unwrap();
            assert!(!ex.rows_sorted());
            ex.sort_for_search();
            assert_eq!(ex.rows_sorted(), sorted, "{loss:?}");
        }
        // On small matrices the bitset answers, and nothing is sorted.
        let mut small = Examples::new(coo().view(), false, None, Loss::Warp).unwrap();
        small.sort_for_search();
        assert!(!small.rows_sorted());
    }

    #[test]
    fn positive_part_sums_duplicates() {
        let ex = Examples::new(coo().view(), true, None, Loss::WarpKos).unwrap();
        let p = ex.positive_part();
        // (1, 2) sums to 2 - 5 < 0 and is dropped.
        assert_eq!(p.indptr(), [0, 1, 2, 2, 3, 3, 3, 4]);
        assert_eq!(p.indices(), [3, 0, 4, 1]);
    }

    #[test]
    fn bad_weights_are_refused() {
        let m = coo();
        let code = |w: &[f32], loss| {
            Examples::new(m.view(), true, Some(w), loss)
                .unwrap_err()
                .code()
        };
        assert_eq!(code(&[1.0; 5], Loss::Warp), "ERR_SHAPE");
        assert_eq!(
            code(&[1.0, 1.0, 1.0, 1.0, 1.0, -1.0], Loss::Warp),
            "ERR_INVALID_ARG"
        );
        assert_eq!(
            code(&[1.0, 1.0, 1.0, f32::NAN, 1.0, 1.0], Loss::Warp),
            "ERR_NOT_FINITE"
        );
        assert_eq!(code(&[1.0; 6], Loss::WarpKos), "ERR_INVALID_ARG");
    }
}
