//! Duplicate `(user, item)` pairs: kept as separate entries, or merged into one.

use lightfm_core::alloc;

use crate::error::Result;

/// What to do with rows that repeat a `(user, item)` pair.
///
/// - `Keep`: every row is its own entry, in file order (LightFM's rule, and
///   `Dataset.buildInteractions`'s: each is a training example; `toCsr()` sums them).
/// - `Sum`: one entry per pair, where the pair first appears; its weight is the sum of the
///   pair's weights (the number of rows without a weight column), its timestamp the latest.
/// - `Last`: one entry per pair, where the pair first appears, with the weight and timestamp of
///   the pair's last row in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Duplicates {
    #[default]
    Keep,
    Sum,
    Last,
}

/// The entries of an interactions matrix, in file order.
#[derive(Debug, Default)]
pub struct Entries {
    pub row: Vec<u32>,
    pub col: Vec<u32>,
    /// Empty when every weight is 1.
    pub weight: Vec<f32>,
    /// Empty without timestamps.
    pub timestamp: Vec<i64>,
}

impl Entries {
    /// Applies `policy` in place (`rows`: the number of users, every `row` is below it).
    pub fn dedup(&mut self, policy: Duplicates, rows: usize) -> Result<()> {
        if policy == Duplicates::Keep || self.row.is_empty() {
            return Ok(());
        }
        if policy == Duplicates::Sum && self.weight.is_empty() {
            self.weight = alloc::vec_of("the weights", self.row.len(), 1.0)?;
        }
        let order = by_pair(&self.row, &self.col, rows)?;
        let mut keep = alloc::vec_of("the duplicate marks", self.row.len(), true)?;
        let mut start = 0;
        while start < order.len() {
            let first = order[start] as usize;
            let mut end = start + 1;
            while end < order.len() && {
                let k = order[end] as usize;
                self.row[k] == self.row[first] && self.col[k] == self.col[first]
            } {
                end += 1;
            }
            self.merge_run(policy, &order[start..end], &mut keep);
            start = end;
        }
        self.retain(&keep);
        Ok(())
    }

    /// Folds a run of entries of one pair (in file order) into its first.
    fn merge_run(&mut self, policy: Duplicates, run: &[u32], keep: &mut [bool]) {
        let Some((&first, rest)) = run.split_first() else {
            return;
        };
        let (first, last) = (first as usize, *run.last().unwrap_or(&0) as usize);
        if rest.is_empty() {
            return;
        }
        for &k in rest {
            keep[k as usize] = false;
        }
        let has_time = !self.timestamp.is_empty();
        match policy {
            Duplicates::Sum => {
                self.weight[first] = run.iter().map(|&k| self.weight[k as usize]).sum();
                if has_time {
                    self.timestamp[first] = run
                        .iter()
                        .map(|&k| self.timestamp[k as usize])
                        .max()
                        .unwrap_or(0);
                }
            }
            Duplicates::Last | Duplicates::Keep => {
                if !self.weight.is_empty() {
                    self.weight[first] = self.weight[last];
                }
                if has_time {
                    self.timestamp[first] = self.timestamp[last];
                }
            }
        }
    }

    fn retain(&mut self, keep: &[bool]) {
        fn filter<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
            if v.is_empty() {
                return;
            }
            let mut n = 0;
            for k in 0..keep.len() {
                if keep[k] {
                    v[n] = v[k];
                    n += 1;
                }
            }
            v.truncate(n);
            v.shrink_to_fit();
        }
        filter(&mut self.row, keep);
        filter(&mut self.col, keep);
        filter(&mut self.weight, keep);
        filter(&mut self.timestamp, keep);
    }
}

/// Entry positions grouped by `(row, col)`, in file order within a pair: a stable counting
/// sort by row, then each row's entries sorted by `(col, position)`.
fn by_pair(row: &[u32], col: &[u32], rows: usize) -> Result<Vec<u32>> {
    let mut starts = alloc::vec_of("the duplicate index", rows + 1, 0usize)?;
    for &r in row {
        starts[r as usize + 1] += 1;
    }
    for r in 0..rows {
        starts[r + 1] += starts[r];
    }
    let mut order = alloc::vec_of("the duplicate index", row.len(), 0u32)?;
    let mut next = starts.clone();
    for (k, &r) in row.iter().enumerate() {
        order[next[r as usize]] = k as u32;
        next[r as usize] += 1;
    }
    for r in 0..rows {
        order[starts[r]..starts[r + 1]].sort_unstable_by_key(|&k| (col[k as usize], k));
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Entries {
        Entries {
            row: vec![0, 1, 0, 0, 1],
            col: vec![0, 0, 0, 1, 0],
            weight: vec![1.0, 2.0, 3.0, 4.0, 5.0],
            timestamp: vec![10, 20, 5, 40, 50],
        }
    }

    #[test]
    fn keep_changes_nothing() {
        let mut e = entries();
        e.dedup(Duplicates::Keep, 2).unwrap();
        assert_eq!(e.row.len(), 5);
    }

    #[test]
    fn sum_adds_weights_at_the_first_position() {
        let mut e = entries();
        e.dedup(Duplicates::Sum, 2).unwrap();
        assert_eq!((e.row, e.col), (vec![0, 1, 0], vec![0, 0, 1]));
        assert_eq!(e.weight, vec![4.0, 7.0, 4.0]);
        assert_eq!(e.timestamp, vec![10, 50, 40]);
    }

    #[test]
    fn sum_without_weights_counts() {
        let mut e = entries();
        e.weight.clear();
        e.dedup(Duplicates::Sum, 2).unwrap();
        assert_eq!(e.weight, vec![2.0, 2.0, 1.0]);
    }

    #[test]
    fn last_takes_the_last_row() {
        let mut e = entries();
        e.dedup(Duplicates::Last, 2).unwrap();
        assert_eq!(e.weight, vec![3.0, 5.0, 4.0]);
        assert_eq!(e.timestamp, vec![5, 50, 40]);
    }
}
