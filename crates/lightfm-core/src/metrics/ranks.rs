//! LightFM's rank rule for one user, in `O(n log P)` for `n` items and `P` test items.
//!
//! The rank of a test item `t` is the number of other items, not excluded (stored in the
//! user's train row), whose score is `>=` the score of `t`: 0-based, ties counted against
//! `t`, other test items included (LightFM's `predict_rank`, §7). For AUC we also need, for
//! each test item, how many *negatives* (items neither tested nor excluded) score `>=` it.
//!
//! Both come from one histogram. Sort the test scores ascending (`a_0 <= a_1 <= ...`); an
//! item scoring `s` counts against test item `j` exactly when `a_j <= s`, i.e. when
//! `j < c(s) = #{j : a_j <= s}`. So `hist[c(s)] += 1` for every item, and the number of items
//! scoring `>= a_j` is the suffix sum `Σ_{c > j} hist[c]`. Excluded items and test items are
//! then subtracted from the histogram instead of being skipped in the hot loop.

/// Test rows up to this long are bucketed by counting (branch-free, vectorised) instead of
/// binary search, whose branches mispredict on about every other step. Two sizes, so short
/// rows do not pay for the padding of long ones.
const SMALL: usize = 16;
const MEDIUM: usize = 64;

/// Reusable buffers for [`Ranker::rank`], one per worker.
#[derive(Debug, Default)]
pub struct Ranker {
    /// Test scores sorted ascending, and the position of each in the test row.
    sorted: Vec<(f32, u32)>,
    thresholds: Vec<f32>,
    /// Items (all non-excluded / negatives only) per histogram bucket.
    all: Vec<u32>,
    negatives: Vec<u32>,
}

/// Ranks of one user's test items.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UserRanks {
    /// Per test item (in test-row order): LightFM's rank.
    pub ranks: Vec<u32>,
    /// Per test item: negatives scoring `>=` it.
    pub negatives_above: Vec<u32>,
    /// Items that are neither test items nor excluded.
    pub negatives: usize,
}

impl Ranker {
    /// Fills `out` for the test items `targets` given every item's score and the user's
    /// `excluded` items (`targets` and `excluded` sorted, as CSR rows are). Scores must not
    /// be NaN (see [`sanitize`]).
    pub fn rank(&mut self, scores: &[f32], excluded: &[u32], targets: &[u32], out: &mut UserRanks) {
        let p = targets.len();
        self.sorted.clear();
        self.sorted.extend(
            targets
                .iter()
                .enumerate()
                .map(|(j, &t)| (scores[t as usize], j as u32)),
        );
        self.sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        self.thresholds.clear();
        self.thresholds.extend(self.sorted.iter().map(|s| s.0));
        let bucket = |t: &[f32], s: f32| t.partition_point(|&a| a <= s);

        // Four interleaved histograms, so consecutive items rarely wait on the same counter.
        self.all.clear();
        self.all.resize((p + 1) * 4, 0);
        if p <= SMALL {
            count_buckets::<SMALL>(&self.thresholds, scores, &mut self.all);
        } else if p <= MEDIUM {
            count_buckets::<MEDIUM>(&self.thresholds, scores, &mut self.all);
        } else {
            for (i, &s) in scores.iter().enumerate() {
                self.all[bucket(&self.thresholds, s) * 4 + i % 4] += 1;
            }
        }
        for c in 0..=p {
            let b = &self.all[c * 4..c * 4 + 4];
            self.all[c] = b[0] + b[1] + b[2] + b[3];
        }
        self.all.truncate(p + 1);
        for &e in excluded {
            self.all[bucket(&self.thresholds, scores[e as usize])] -= 1;
        }
        self.negatives.clone_from(&self.all);
        let mut counted_targets = 0;
        for &t in targets {
            if excluded.binary_search(&t).is_err() {
                self.negatives[bucket(&self.thresholds, scores[t as usize])] -= 1;
                counted_targets += 1;
            }
        }
        out.negatives = scores.len() - excluded.len() - counted_targets;

        // Suffix sums: bucket j now holds the count of items scoring >= a_j.
        for b in [&mut self.all, &mut self.negatives] {
            let mut acc = 0;
            for c in b.iter_mut().rev() {
                acc += *c;
                *c = acc;
            }
        }
        out.ranks.clear();
        out.ranks.resize(p, 0);
        out.negatives_above.clear();
        out.negatives_above.resize(p, 0);
        for (j, &(_, pos)) in self.sorted.iter().enumerate() {
            let t = targets[pos as usize];
            let own = u32::from(excluded.binary_search(&t).is_err());
            // Bucket j+1 onwards scored >= a_j; the item itself is among them unless excluded.
            out.ranks[pos as usize] = self.all[j + 1] - own;
            out.negatives_above[pos as usize] = self.negatives[j + 1];
        }
    }
}

/// `hist[c(s) * 4 + i % 4] += 1` for every item by counting the thresholds `<= s`, for up to
/// `N` thresholds. Padding with +inf only counts for s = +inf, where every real threshold
/// counts too, hence the `min`.
fn count_buckets<const N: usize>(thresholds: &[f32], scores: &[f32], hist: &mut [u32]) {
    let p = thresholds.len();
    let mut padded = [f32::INFINITY; N];
    padded[..p].copy_from_slice(thresholds);
    for (i, &s) in scores.iter().enumerate() {
        let c: u32 = padded.iter().map(|&a| u32::from(a <= s)).sum();
        hist[(c as usize).min(p) * 4 + i % 4] += 1;
    }
}

/// NaN scores (possible only from overflowing parameters) rank below everything.
#[inline]
pub fn sanitize(s: f32) -> f32 {
    if s.is_nan() {
        f32::NEG_INFINITY
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, item by item.
    fn brute(scores: &[f32], excluded: &[u32], targets: &[u32]) -> UserRanks {
        let live = |i: u32| !excluded.contains(&i);
        let ranks = targets
            .iter()
            .map(|&t| {
                (0..scores.len() as u32)
                    .filter(|&i| i != t && live(i) && scores[i as usize] >= scores[t as usize])
                    .count() as u32
            })
            .collect();
        let negatives_above = targets
            .iter()
            .map(|&t| {
                (0..scores.len() as u32)
                    .filter(|&i| {
                        live(i) && !targets.contains(&i) && scores[i as usize] >= scores[t as usize]
                    })
                    .count() as u32
            })
            .collect();
        let negatives = (0..scores.len() as u32)
            .filter(|&i| live(i) && !targets.contains(&i))
            .count();
        UserRanks {
            ranks,
            negatives_above,
            negatives,
        }
    }

    #[test]
    fn matches_definition_with_ties_and_exclusions() {
        let scores: Vec<f32> = (0..150).map(|i| ((i * 7919) % 13) as f32 - 6.0).collect();
        let excluded = [3u32, 10, 11, 40, 41, 120];
        let mut ranker = Ranker::default();
        let mut out = UserRanks::default();
        // Target counts cover the three bucketing paths: <= 16, <= 64 and binary search.
        for targets in [
            vec![],
            vec![7u32],
            vec![1, 3, 5, 9, 10, 33],      // some targets excluded too
            (0..60).step_by(2).collect(),  // many targets, many ties
            (0..150).step_by(2).collect(), // more than 64 targets
            (0..150).collect(),            // no negatives at all
        ] {
            ranker.rank(&scores, &excluded, &targets, &mut out);
            assert_eq!(out, brute(&scores, &excluded, &targets), "{targets:?}");
        }
    }

    #[test]
    fn all_ties_rank_last_and_signed_zeros_tie() {
        let scores = [0.0, -0.0, 0.0, -0.0];
        let mut out = UserRanks::default();
        Ranker::default().rank(&scores, &[], &[0, 1], &mut out);
        assert_eq!(out.ranks, vec![3, 3]);
        assert_eq!(out.negatives_above, vec![2, 2]);
        assert_eq!(sanitize(f32::NAN), f32::NEG_INFINITY);
    }
}
