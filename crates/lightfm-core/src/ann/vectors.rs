//! The indexed items as vectors in which maximum inner product is nearest neighbour.
//!
//! HNSW needs a metric and the model ranks by inner product, which is not one. Each folded
//! item vector `x` (`[e_i, 1, b_i]`, see [`crate::embeddings`]) gets one more coordinate,
//! `sqrt(M^2 - |x|^2)` with `M` the largest norm, so every item has norm `M`; a query `q`
//! gets 0 there. Then `|q - x|^2 = |q|^2 + M^2 - 2 q.x`: the nearest items are those of
//! highest score, and between items the dot product orders as the distance does (all norms
//! are equal), so the whole index runs on dot products. Rows are zero-padded to a multiple
//! of 8 floats, contiguous, for the 8-lane kernel.

use crate::alloc;
use crate::error::{Error, Result};
use crate::linalg::dot;

/// Row-major augmented item vectors.
#[derive(Debug, Clone)]
pub(crate) struct Vectors {
    /// Floats of a folded vector (`noComponents + 2`).
    pub dim: usize,
    /// Floats per stored row: `dim + 1`, rounded up to a multiple of 8.
    pub width: usize,
    pub values: Vec<f32>,
}

/// Floats per stored row for folded vectors of `dim` floats.
pub(crate) const fn padded_width(dim: usize) -> usize {
    (dim + 1).div_ceil(8) * 8
}

impl Vectors {
    /// Augments `folded` (`dim` floats per row).
    pub fn augment(folded: &[f32], dim: usize) -> Result<Self> {
        let width = padded_width(dim);
        let rows = folded.len() / dim;
        let mut values = alloc::vec_of(
            "index vectors",
            alloc::product("index vectors", rows, width)?,
            0.0,
        )?;
        let norms: Vec<f32> = folded.chunks_exact(dim).map(|x| dot(x, x)).collect();
        let max = norms.iter().copied().fold(0.0f32, f32::max);
        if !max.is_finite() {
            return Err(Error::invalid("buildIndex(): the item vectors are too large to index (a squared norm overflows f32)"));
        }
        for ((dst, x), n) in values
            .chunks_exact_mut(width)
            .zip(folded.chunks_exact(dim))
            .zip(&norms)
        {
            dst[..dim].copy_from_slice(x);
            dst[dim] = (max - n).max(0.0).sqrt();
        }
        Ok(Vectors { dim, width, values })
    }

    /// Stored vectors, already augmented (read from a file).
    pub fn stored(values: Vec<f32>, dim: usize) -> Self {
        Vectors {
            dim,
            width: padded_width(dim),
            values,
        }
    }

    pub fn rows(&self) -> usize {
        self.values.len() / self.width
    }

    /// Row `id`, padding included.
    #[inline]
    pub fn row(&self, id: u32) -> &[f32] {
        let at = id as usize * self.width;
        &self.values[at..at + self.width]
    }

    /// Dot product of two rows (higher is closer).
    #[inline]
    pub fn similarity(&self, a: u32, b: u32) -> f32 {
        dot(self.row(a), self.row(b))
    }

    /// A query vector in the stored layout: `q` then zeros.
    pub fn query(&self, q: &[f32]) -> Vec<f32> {
        let mut v = vec![0.0; self.width];
        v[..q.len()].copy_from_slice(q);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn augmented_rows_share_one_norm_and_keep_dot_products_with_queries() {
        let folded = [3.0, 4.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0];
        let v = Vectors::augment(&folded, 3).unwrap();
        assert_eq!(v.width, 8);
        for r in 0..3 {
            assert!((v.similarity(r, r) - 26.0).abs() < 1e-5);
        }
        let q = v.query(&[1.0, 2.0, 3.0]);
        assert_eq!(dot(&q, v.row(0)), 3.0 + 8.0 + 3.0);
    }
}
