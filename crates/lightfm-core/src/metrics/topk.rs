//! A user's top-k items for catalogue coverage: the `k` best-scoring items not excluded,
//! ties broken by the lower item id (so the set is deterministic).

use std::cmp::Ordering;

/// Best first: higher score, then lower id.
fn better(a: &(f32, u32), b: &(f32, u32)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Marks the user's top `k` items in `seen` (one bit per item). `cand` is scratch.
pub fn mark_top_k(
    scores: &[f32],
    excluded: &[u32],
    k: usize,
    cand: &mut Vec<(f32, u32)>,
    seen: &mut [u64],
) {
    cand.clear();
    let mut ex = excluded.iter().peekable();
    for (i, &s) in scores.iter().enumerate() {
        if ex.next_if(|&&e| e as usize == i).is_none() {
            cand.push((s, i as u32));
        }
    }
    if k < cand.len() {
        cand.select_nth_unstable_by(k - 1, better);
        cand.truncate(k);
    }
    for &(_, i) in cand.iter() {
        seen[i as usize / 64] |= 1 << (i % 64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_best_scores_lower_ids_on_ties_and_skips_excluded() {
        let scores = [0.5, 2.0, 2.0, 1.0, 2.0];
        let mut seen = [0u64];
        mark_top_k(&scores, &[1], 2, &mut Vec::new(), &mut seen);
        assert_eq!(seen[0], 0b10100); // items 2 and 4
        let mut seen = [0u64];
        mark_top_k(&scores, &[], 10, &mut Vec::new(), &mut seen);
        assert_eq!(seen[0], 0b11111);
    }
}
