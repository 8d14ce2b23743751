//! The five objectives. Each `step` processes one training example: it computes the
//! representations it needs once (pre-update values, as LightFM), derives the gradient, and
//! applies it through [`Ctx::apply_pointwise`] or [`Ctx::apply_pairwise`].
//!
//! Every step returns the example's average learning rate (0 when nothing was updated),
//! which drives the lazy L2 decay.

mod bpr;
mod draws;
mod feature_rows;
mod logistic;
mod regression;
mod warp;
mod warp_kos;

use crate::examples::Span;
use crate::hot_rows::Table;
use crate::hyper::{Hyperparameters, Loss};
use crate::linalg::{axpy, dot};
use crate::model::PARAMS;
use crate::popularity::Popularity;
use crate::positives::Positives;
use crate::schedule::Optimizer;
use crate::shared::{Block, SharedTable};
use crate::sparse::CsrMatrix;

pub use draws::{Draws, AHEAD};
pub use feature_rows::{FeatureRows, Row};

/// WARP's cap on the loss of one example (LightFM's `MAX_LOSS`): it bounds the step when the
/// rank estimate is huge (very large catalogues, or large sample weights).
pub const MAX_LOSS: f32 = 10.0;

/// One stored interaction, in the order the epoch visits it.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub user: u32,
    /// The user's entries among the grouped examples (for membership tests).
    pub span: Span,
    pub item: u32,
    pub weight: f32,
    pub value: f32,
}

/// Read-only context shared by every worker during an epoch.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub hyper: &'a Hyperparameters,
    pub opt: Optimizer,
    pub d: usize,
    /// The parameter rows, as this worker sees them (see `hot_rows`).
    pub user: Table<'a>,
    pub item: Table<'a>,
    pub user_features: FeatureRows<'a>,
    pub item_features: FeatureRows<'a>,
    /// Number of items (columns of the interactions): the WARP negative range.
    pub n_items: u32,
    pub positives: &'a Positives<'a>,
    /// BPR negatives: items drawn in proportion to their stored entries, as in LightFM.
    pub popularity: Option<&'a Popularity>,
    /// k-OS: each user's positive (value > 0) items.
    pub kos_positives: Option<&'a CsrMatrix>,
    /// Current lazy-L2 scales `(user, item)`.
    pub scales: (f32, f32),
}

/// Per-worker buffers, allocated once per rayon split.
pub struct Scratch {
    pub user: Block,
    pub pos: Block,
    pub neg: Block,
    row: Block,
    /// The gradient being applied, per lane of a parameter row.
    grad: Vec<f32>,
    pub kos: Vec<(u32, f32)>,
}

impl Scratch {
    pub fn new(block_len: usize) -> Self {
        let b = || Block::zeros(block_len);
        Scratch {
            user: b(),
            pos: b(),
            neg: b(),
            row: b(),
            grad: vec![0.0; block_len],
            kos: Vec::new(),
        }
    }
}

/// Which representation buffer to fill.
#[derive(Clone, Copy)]
pub enum Slot {
    User,
    Pos,
    Neg,
}

impl Ctx<'_> {
    /// One training step for `ex` under the configured loss.
    #[inline]
    pub fn step(&self, ex: &Example, draws: &mut Draws, s: &mut Scratch) -> f32 {
        match self.hyper.loss {
            Loss::Logistic => logistic::step(self, ex, s),
            Loss::Regression => regression::step(self, ex, s),
            Loss::Bpr => bpr::step(self, ex, draws, s),
            Loss::Warp => warp::step(self, ex, draws, s),
            Loss::WarpKos => warp_kos::step(self, ex, draws, s),
        }
    }

    /// Prepares `next`, the example after the current one, so that its cache misses overlap
    /// the current step: its user and item rows are fetched, and its BPR negative is drawn
    /// and fetched. Even MovieLens-1M's tables (5 MB at d = 64) outgrow L2, and one example
    /// ahead is far enough: measured +6% (logistic) and +10% (WARP) samples/s there.
    #[inline]
    pub fn prefetch(&self, next: &Example, draws: &mut Draws) {
        if self.hyper.loss == Loss::Bpr {
            bpr::prefetch(self, next, draws);
        }
        self.positives.prefetch_row(next.span);
        for (f, _) in self.user_features.row(next.user).iter() {
            self.user.prefetch(f, usize::MAX);
        }
        self.prefetch_item(next.item, usize::MAX);
    }

    /// Prepares the examples after `examples[k]`: the next one's rows are fetched (see
    /// [`Self::prefetch`]); for those up to [`AHEAD`] after it, the feature-matrix lookups in
    /// front of their item's rows, staged as a held candidate's (see [`Self::warm_item`]), so
    /// that fetching the next one's rows does not wait on them.
    #[inline]
    pub fn prefetch_ahead(&self, examples: &[Example], k: usize, draws: &mut Draws) {
        for distance in (2..=AHEAD).rev() {
            if let Some(ex) = examples.get(k + distance) {
                // Only distance 1 fetches rows: the block count is not read here.
                self.warm_item(ex.item, distance, usize::MAX);
            }
        }
        if let Some(next) = examples.get(k + 1) {
            self.prefetch(next, draws);
        }
    }

    /// Prepares candidate `item` for its use `distance` draws from now (see `draws`): the
    /// lookups in front of its parameter rows far out, the blocks `0..blocks` of those rows
    /// one draw ahead. Each stage reads what the one before it fetched.
    #[inline]
    pub fn warm_item(&self, item: u32, distance: usize, blocks: usize) {
        match distance {
            1 => self.prefetch_item(item, blocks),
            2 => self.item_features.prefetch_entries(item),
            _ => self.item_features.prefetch_bounds(item),
        }
    }

    /// Starts fetching the parameter blocks `0..blocks` of every feature row of item `item`.
    #[inline]
    pub fn prefetch_item(&self, item: u32, blocks: usize) {
        for (f, _) in self.item_features.row(item).iter() {
            self.item.prefetch(f, blocks);
        }
    }

    /// Fills a buffer with the representation `Σ_f x_f * row_f / S` of a user or item.
    #[inline]
    pub fn represent(&self, slot: Slot, id: u32, s: &mut Scratch) {
        let (table, features, scale, out) = match slot {
            Slot::User => (self.user, self.user_features, self.scales.0, &mut s.user),
            Slot::Pos => (self.item, self.item_features, self.scales.1, &mut s.pos),
            Slot::Neg => (self.item, self.item_features, self.scales.1, &mut s.neg),
        };
        match features.single(id) {
            // The common identity case: the representation is the row itself.
            Some((f, x)) if x == scale => {
                table.load_block(f, PARAMS, out);
            }
            _ => {
                let floats = out.floats_mut();
                floats.iter_mut().for_each(|v| *v = 0.0);
                for (f, x) in features.row(id).iter() {
                    table.load_block(f, PARAMS, &mut s.row);
                    axpy(x / scale, s.row.floats(), floats);
                }
            }
        }
    }

    /// The score of item `neg` against the user in `s.user`, equal to `represent(Neg)` then
    /// `score(user, neg)`, but read straight from the table when the item's representation is
    /// its own row (identity features, no pending decay), which skips the copy.
    #[inline]
    pub fn score_candidate(&self, neg: u32, s: &mut Scratch) -> f32 {
        if let Some((f, x)) = self.item_features.single(neg) {
            if x == self.scales.1 {
                let u = s.user.floats();
                let (dot, bias) = self.item.dot_block(f, PARAMS, u, self.d);
                return dot + u[self.d] + bias;
            }
        }
        self.represent(Slot::Neg, neg, s);
        self.score(&s.user, &s.neg)
    }

    /// `dot(a, b) + bias_a + bias_b` for two representation buffers.
    #[inline]
    pub fn score(&self, a: &Block, b: &Block) -> f32 {
        let (a, b) = (a.floats(), b.floats());
        dot(&a[..self.d], &b[..self.d]) + a[self.d] + b[self.d]
    }

    /// Pointwise update with `g = d(loss)/d(score)` (LightFM's `update`).
    pub fn apply_pointwise(&self, user: u32, item: u32, g: f32, s: &mut Scratch) -> f32 {
        let d = self.d;
        let (uf, itf) = (self.user_features.row(user), self.item_features.row(item));
        // item: ∂/∂q_i = g * p_u, ∂/∂b_i = g
        let ur = s.user.floats();
        fill_grad(&mut s.grad, d, ur.iter().map(|u| g * u), g);
        let mut lr = self.update_rows(
            self.item,
            itf,
            self.hyper.item_alpha,
            self.scales.1,
            &s.grad,
        );
        // user: ∂/∂p_u = g * q_i, ∂/∂b_u = g
        let ir = s.pos.floats();
        fill_grad(&mut s.grad, d, ir.iter().map(|i| g * i), g);
        lr += self.update_rows(self.user, uf, self.hyper.user_alpha, self.scales.0, &s.grad);
        avg_lr(lr, d, uf.len() + itf.len())
    }

    /// Pairwise update with loss weight `l` (LightFM's `warp_update`). The user bias gets no
    /// gradient: it cancels in `score(pos) - score(neg)`, and LightFM's `+l` made it drift.
    pub fn apply_pairwise(&self, user: u32, pos: u32, neg: u32, l: f32, s: &mut Scratch) -> f32 {
        let d = self.d;
        let uf = self.user_features.row(user);
        let pf = self.item_features.row(pos);
        let nf = self.item_features.row(neg);
        let (a_i, a_u) = (self.hyper.item_alpha, self.hyper.user_alpha);
        // positive item: ∂/∂q = -l p_u, ∂/∂b = -l
        let (ur, pr, nr) = (s.user.floats(), s.pos.floats(), s.neg.floats());
        fill_grad(&mut s.grad, d, ur.iter().map(|u| -l * u), -l);
        let mut lr = self.update_rows(self.item, pf, a_i, self.scales.1, &s.grad);
        // negative item: ∂/∂q = +l p_u, ∂/∂b = +l
        fill_grad(&mut s.grad, d, ur.iter().map(|u| l * u), l);
        lr += self.update_rows(self.item, nf, a_i, self.scales.1, &s.grad);
        // user: ∂/∂p = l (q_neg - q_pos), ∂/∂b = 0
        fill_grad(
            &mut s.grad,
            d,
            nr.iter().zip(pr).map(|(n, p)| l * (n - p)),
            0.0,
        );
        // Only the embedding lanes: the bias lane has no gradient, and stepping it anyway would
        // count adagrad's/adadelta's untouched (large) rate in the lazy-L2 decay.
        lr += self.update_lanes(self.user, uf, a_u, self.scales.0, d, &s.grad);
        avg_lr(lr, d, uf.len() + pf.len() + nf.len())
    }

    /// Applies `grad` to every feature row of one user or item. Returns Σ lr.
    fn update_rows(&self, table: Table, rows: Row, alpha: f32, scale: f32, grad: &[f32]) -> f32 {
        self.update_lanes(table, rows, alpha, scale, self.d + 1, grad)
    }

    /// [`Self::update_rows`] on the first `w` lanes (embedding, then bias) of each row.
    fn update_lanes(
        &self,
        table: Table,
        rows: Row,
        alpha: f32,
        scale: f32,
        w: usize,
        grad: &[f32],
    ) -> f32 {
        rows.iter()
            .map(|(f, x)| self.opt.step(table.at(f), grad, x, alpha, scale, w))
            .sum()
    }
}

/// The embedding lanes `grad[..d]` from `emb`, in order, then `grad[d] = bias`.
#[inline]
fn fill_grad(grad: &mut [f32], d: usize, emb: impl Iterator<Item = f32>, bias: f32) {
    // Zipped, not indexed: without bounds checks the loop vectorises.
    for (g, e) in grad[..d].iter_mut().zip(emb) {
        *g = e;
    }
    grad[d] = bias;
}

/// LightFM's average learning rate of an example; 0 when no feature was touched (LightFM
/// divides 0 by 0 there and poisons the whole model with NaN).
#[inline]
fn avg_lr(lr_sum: f32, d: usize, n_rows: usize) -> f32 {
    if n_rows == 0 {
        0.0
    } else {
        lr_sum / ((d + 1) * n_rows) as f32
    }
}

/// `out = Σ_f x_f * scale * row_f` over the feature row `(idx, val)`; `tmp` is scratch.
#[inline]
pub fn representation(
    table: &SharedTable,
    (idx, val): (&[u32], &[f32]),
    scale: f32,
    out: &mut [f32],
    tmp: &mut [f32],
) {
    if let ([f], [x]) = (idx, val) {
        if x * scale == 1.0 {
            table.load(*f as usize, PARAMS, out);
            return;
        }
    }
    out.iter_mut().for_each(|v| *v = 0.0);
    for (&f, &x) in idx.iter().zip(val) {
        table.load(f as usize, PARAMS, tmp);
        axpy(x * scale, tmp, out);
    }
}
