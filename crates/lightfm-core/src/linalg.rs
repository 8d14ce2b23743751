//! Small dense kernels on local `f32` buffers. Eight independent accumulators let LLVM
//! vectorise reductions without fast-math reassociation.

use wide::f32x8;

/// `Σ a[i] * b[i]` over the shorter length.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    // Explicit 8-lane vectors: LLVM does not vectorise this reduction on its own.
    let mut acc = f32x8::ZERO;
    for (x, y) in ca.zip(cb) {
        let (x, y): ([f32; 8], [f32; 8]) = (x.try_into().unwrap(), y.try_into().unwrap());
        acc += f32x8::from(x) * f32x8::from(y);
    }
    finish_dot(acc, tail)
}

/// The last step of [`dot`]: the eight lane sums pairwise in a fixed order, then the tail, so
/// scores are the same on every platform and in every kernel that mirrors `dot`.
#[inline]
pub fn finish_dot(acc: f32x8, tail: f32) -> f32 {
    let a = acc.to_array();
    (a[0] + a[4]) + (a[1] + a[5]) + (a[2] + a[6]) + (a[3] + a[7]) + tail
}

/// `y += alpha * x`.
#[inline]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Logistic sigmoid in f64 (LightFM computes it in double).
#[inline]
pub fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_naive_on_odd_lengths() {
        for n in [0, 1, 7, 8, 9, 17, 65] {
            let a: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..n).map(|i| (i as f32 * 0.11).cos()).collect();
            let naive: f64 = a
                .iter()
                .zip(&b)
                .map(|(x, y)| f64::from(*x) * f64::from(*y))
                .sum();
            assert!((f64::from(dot(&a, &b)) - naive).abs() < 1e-4, "n={n}");
        }
        let mut y = vec![1.0; 3];
        axpy(2.0, &[1.0, 2.0, 3.0], &mut y);
        assert_eq!(y, vec![3.0, 5.0, 7.0]);
    }
}
