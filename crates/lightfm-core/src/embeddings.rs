//! [`Model::export_embeddings`]: users and items as vectors whose dot product is the score.
//!
//! A representation `[embedding, bias]` is laid out with the biases folded in, users as
//! `[e_u, b_u, 1]` and items as `[e_i, 1, b_i]`, so `dot(user, item) = e_u . e_i + b_u + b_i`:
//! [`Model::predict`]'s score (up to float rounding, the sum being taken in another order).
//! A vector store or index that ranks by inner product then ranks as the model does.

use std::borrow::Cow;

use crate::alloc;
use crate::error::Result;
use crate::model::{Model, Side};
use crate::parallel;
use crate::predict::{repr_selected_rows, side_features};
use crate::shared::SharedTable;
use crate::sparse::CsrMatrix;
use crate::topk::check_ids;

/// Which rows [`Model::export_embeddings`] exports, and from which feature matrices.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddingsOptions<'a> {
    /// User rows to export, in this order (repeats allowed); every row of `user_features`
    /// (every trained user without it) when `None`. An empty list exports no users and does
    /// not read the user side at all, so a model trained on user features can export its
    /// items without them.
    pub user_ids: Option<&'a [u32]>,
    /// Item rows to export, as `user_ids`.
    pub item_ids: Option<&'a [u32]>,
    /// `users x user features`; identity when `None`. Rows beyond the trained users are new
    /// users, exported from their features (cold start).
    pub user_features: Option<&'a CsrMatrix>,
    /// `items x item features`; identity when `None`.
    pub item_features: Option<&'a CsrMatrix>,
    pub num_threads: usize,
}

/// Bias-folded vectors, `dim` floats per row, row-major, rows in the order asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    /// Floats per vector: the model's `no_components + 2`.
    pub dim: usize,
    /// `[e_u, b_u, 1]` per user.
    pub users: Vec<f32>,
    /// `[e_i, 1, b_i]` per item.
    pub items: Vec<f32>,
}

/// Floats per folded vector of a model with `d` components.
pub(crate) const fn folded_width(d: usize) -> usize {
    d + 2
}

/// Representations of the rows `ids` of `features` (every row when `None`) in the folded
/// layout of `side`, on `threads` threads.
pub(crate) fn folded(
    table: &SharedTable,
    features: &CsrMatrix,
    ids: Option<&[u32]>,
    (d, side): (usize, Side),
    threads: usize,
) -> Result<Vec<f32>> {
    let lay_out = |repr: &[f32], dst: &mut [f32]| fold(repr, dst, side);
    repr_selected_rows(table, features, ids, (d, folded_width(d)), lay_out, threads)
}

/// One representation `[embedding, bias]` in `side`'s folded layout.
pub(crate) fn fold(repr: &[f32], dst: &mut [f32], side: Side) {
    let d = repr.len() - 1;
    dst[..d].copy_from_slice(&repr[..d]);
    let tail = match side {
        Side::User => [repr[d], 1.0],
        Side::Item => [1.0, repr[d]],
    };
    dst[d..].copy_from_slice(&tail);
}

/// One side's rows to export: the feature matrix they are read from (`None` when the side is
/// skipped) and which of its rows.
struct SideRows<'f> {
    features: Option<Cow<'f, CsrMatrix>>,
    ids: Option<&'f [u32]>,
}

impl<'f> SideRows<'f> {
    /// Checks `side`'s request: its features fit the model and every id has a row.
    fn new(
        model: &Model,
        side: Side,
        ids: Option<&'f [u32]>,
        given: Option<&'f CsrMatrix>,
    ) -> Result<Self> {
        // Nothing asked for and no matrix to check: the side is not read.
        if ids.is_some_and(<[u32]>::is_empty) && given.is_none() {
            return Ok(SideRows {
                features: None,
                ids,
            });
        }
        let features = side_features(model, side, given)?;
        if let Some(ids) = ids {
            check_ids(side, ids, features.rows(), given.is_some())?;
        }
        Ok(SideRows {
            features: Some(features),
            ids,
        })
    }

    fn len(&self) -> usize {
        match (self.ids, &self.features) {
            (Some(ids), _) => ids.len(),
            (None, Some(f)) => f.rows(),
            (None, None) => 0,
        }
    }

    fn folded(
        &self,
        table: &SharedTable,
        d: usize,
        side: Side,
        threads: usize,
    ) -> Result<Vec<f32>> {
        match &self.features {
            Some(f) => folded(table, f, self.ids, (d, side), threads),
            None => Ok(Vec::new()),
        }
    }
}

impl Model {
    /// The requested users and items as bias-folded vectors (see the module docs): the dot
    /// product of a user's and an item's vector is their [`Model::predict`] score. Both
    /// sides are checked, and the memory of both results reserved, before either is
    /// computed.
    pub fn export_embeddings(&self, o: &EmbeddingsOptions) -> Result<Embeddings> {
        let params = self.params("exportEmbeddings()")?;
        parallel::check_threads(o.num_threads)?;
        let users = SideRows::new(self, Side::User, o.user_ids, o.user_features)?;
        let items = SideRows::new(self, Side::Item, o.item_ids, o.item_features)?;
        let (d, dim) = (self.d(), folded_width(self.d()));
        let floats = (users.len() as u128 + items.len() as u128) * dim as u128;
        alloc::check("embeddings", floats * std::mem::size_of::<f32>() as u128)?;
        Ok(Embeddings {
            dim,
            users: users.folded(&params.user, d, Side::User, o.num_threads)?,
            items: items.folded(&params.item, d, Side::Item, o.num_threads)?,
        })
    }
}
