//! The indexed items: their bias-folded vectors (`[e_i, 1, b_i]`, see [`crate::embeddings`]),
//! so that a user's folded vector dotted with an item's is the model's score, and the index
//! searches by that inner product directly (no metric transform: see the module docs of
//! [`crate::ann`] for why). Rows are zero-padded to a multiple of 8 floats, contiguous, for
//! the 8-lane dot product.

use crate::alloc;
use crate::error::Result;
use crate::linalg::dot;

/// Row-major padded item vectors.
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
    dim.div_ceil(8) * 8
}

impl Vectors {
    /// Copies `folded` (`dim` floats per row) into padded rows.
    pub fn new(folded: &[f32], dim: usize) -> Result<Self> {
        let width = padded_width(dim);
        let rows = folded.len() / dim;
        let len = alloc::product("index vectors", rows, width)?;
        let mut values = alloc::vec_of("index vectors", len, 0.0)?;
        for (dst, x) in values.chunks_exact_mut(width).zip(folded.chunks_exact(dim)) {
            dst[..dim].copy_from_slice(x);
        }
        Ok(Vectors { dim, width, values })
    }

    /// Stored vectors, already padded (read from a file).
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

    /// Inner product of two rows (higher is closer).
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
    fn rows_are_padded_and_keep_dot_products_with_queries() {
        let folded = [3.0, 4.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0];
        let v = Vectors::new(&folded, 3).unwrap();
        assert_eq!((v.width, v.rows()), (8, 3));
        assert_eq!(&v.row(0)[..4], &[3.0, 4.0, 1.0, 0.0]);
        assert_eq!(v.similarity(0, 2), 9.0);
        let q = v.query(&[1.0, 2.0, 3.0]);
        assert_eq!(dot(&q, v.row(0)), 3.0 + 8.0 + 3.0);
    }
}
