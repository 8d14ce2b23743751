//! Every per-user metric from one user's ranks (see [`super::ranks`]), in `f64`.
//!
//! With `r_t` the rank of test item `t` (0-based, ties pessimistic), `P` the user's test
//! items, `N` the negatives and `hits = #{t : r_t < k}`:
//!
//! | metric | value |
//! | --- | --- |
//! | precision@k | `hits / k` (LightFM: `k` even when fewer than `k` items can be ranked) |
//! | recall@k | `hits / P` |
//! | hit rate@k | `1` if `hits > 0`, else `0` |
//! | reciprocal rank | `1 / (min_t r_t + 1)` (no cut-off, as LightFM) |
//! | AUC | `1 - Σ_t #{negatives scoring >= t} / (P N)`; `0.5` when `N = 0` |
//! | NDCG@k | `Σ_{r_t < k} 1/log2(r_t + 2)` over the ideal `Σ_{j < min(P,k)} 1/log2(j + 2)` |
//! | MAP@k (AP@k) | `Σ_{r_t < k} #{t' : r_t' <= r_t} / (r_t + 1)`, over `min(P, k)` |
//! | RMSE, MAE | over the user's stored test values against the model's scores |

use super::ranks::UserRanks;
use super::Metric;

/// One user's value of every per-user metric, plus the error sums RMSE/MAE pool from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UserMetrics {
    pub precision: f64,
    pub recall: f64,
    pub auc: f64,
    pub reciprocal_rank: f64,
    pub ndcg: f64,
    pub map: f64,
    pub hit_rate: f64,
    pub rmse: f64,
    pub mae: f64,
    /// `Σ (score - value)^2` and `Σ |score - value|` over the user's test entries.
    pub squared_error: f64,
    pub absolute_error: f64,
}

impl UserMetrics {
    /// The values of a row without test entries: 0, except AUC 0.5 (LightFM's fill values).
    pub fn empty() -> Self {
        UserMetrics {
            auc: 0.5,
            ..Default::default()
        }
    }

    /// All metrics of a user with at least one test item. `sorted` is scratch.
    ///
    /// `scores` and `values` are the model's scores and the stored values of the test items.
    pub fn compute(
        r: &UserRanks,
        k: usize,
        scores: &[f32],
        values: &[f32],
        sorted: &mut Vec<u32>,
    ) -> Self {
        let p = r.ranks.len();
        debug_assert!(p > 0 && k > 0);
        let gain = |rank: u32| 1.0 / (f64::from(rank) + 2.0).log2();
        sorted.clear();
        sorted.extend_from_slice(&r.ranks);
        sorted.sort_unstable();

        let hits = sorted.partition_point(|&x| (x as usize) < k);
        let dcg: f64 = sorted[..hits].iter().map(|&x| gain(x)).sum();
        let ideal: f64 = (0..p.min(k) as u32).map(gain).sum();
        // Ranks tie pessimistically, so tied test items share the largest position: the
        // precision at a rank counts every test item at or above it.
        let mut ap = 0.0;
        for (j, &x) in sorted[..hits].iter().enumerate() {
            let at_or_above = j + 1 + sorted[j + 1..].partition_point(|&y| y == x);
            ap += at_or_above as f64 / (f64::from(x) + 1.0);
        }
        let auc = if r.negatives == 0 {
            0.5
        } else {
            let above: f64 = r.negatives_above.iter().map(|&x| f64::from(x)).sum();
            1.0 - above / (p as f64 * r.negatives as f64)
        };
        let (mut se, mut ae) = (0.0, 0.0);
        for (&s, &v) in scores.iter().zip(values) {
            let e = f64::from(s) - f64::from(v);
            se += e * e;
            ae += e.abs();
        }
        let pf = p as f64;
        UserMetrics {
            precision: hits as f64 / k as f64,
            recall: hits as f64 / pf,
            auc,
            reciprocal_rank: 1.0 / (f64::from(sorted[0]) + 1.0),
            ndcg: dcg / ideal,
            map: ap / p.min(k) as f64,
            hit_rate: f64::from(u8::from(hits > 0)),
            rmse: (se / pf).sqrt(),
            mae: ae / pf,
            squared_error: se,
            absolute_error: ae,
        }
    }
}

impl UserMetrics {
    /// The value of a per-user metric (`None` for catalogue coverage).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        Some(match metric {
            Metric::Precision => self.precision,
            Metric::Recall => self.recall,
            Metric::Auc => self.auc,
            Metric::ReciprocalRank => self.reciprocal_rank,
            Metric::Ndcg => self.ndcg,
            Metric::Map => self.map,
            Metric::HitRate => self.hit_rate,
            Metric::Rmse => self.rmse,
            Metric::Mae => self.mae,
            Metric::CatalogCoverage => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranks(r: &[u32], negatives: usize) -> UserRanks {
        UserRanks {
            ranks: r.to_vec(),
            negatives_above: r.to_vec(),
            negatives,
        }
    }

    #[test]
    fn textbook_values_for_distinct_ranks() {
        // Test items at positions 0 and 2 of the ranking, k = 3.
        let m = UserMetrics::compute(&ranks(&[2, 0], 8), 3, &[1.0, 2.0], &[1.0, 0.0], &mut vec![]);
        assert_eq!(m.precision, 2.0 / 3.0);
        assert_eq!(m.recall, 1.0);
        assert_eq!(m.reciprocal_rank, 1.0);
        assert_eq!(m.hit_rate, 1.0);
        assert!((m.map - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        let ideal = 1.0 + 1.0 / 3f64.log2();
        assert!((m.ndcg - (1.0 + 0.5) / ideal).abs() < 1e-12);
        assert!((m.rmse - 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(m.mae, 1.0);
    }

    #[test]
    fn tied_test_items_share_the_worse_position() {
        // Two test items tied at the top: both rank 1, so nothing is at position 0.
        let m = UserMetrics::compute(&ranks(&[1, 1], 3), 1, &[0.0; 2], &[0.0; 2], &mut vec![]);
        assert_eq!(
            (m.precision, m.hit_rate, m.ndcg, m.map),
            (0.0, 0.0, 0.0, 0.0)
        );
        let m = UserMetrics::compute(&ranks(&[1, 1], 3), 2, &[0.0; 2], &[0.0; 2], &mut vec![]);
        assert_eq!((m.precision, m.map), (1.0, 1.0));
        assert!(m.ndcg < 1.0);
        assert_eq!(UserMetrics::empty().auc, 0.5);
    }
}
