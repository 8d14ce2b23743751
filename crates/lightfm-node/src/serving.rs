//! Serving a trained model: top-k recommendations, similar items and users, and growing the
//! model. The rules live in `lightfm_core::{topk, similar, resize}`.

use lightfm_core::{CsrView, RecommendOptions, Side, TopK};
use napi::bindgen_prelude::{Env, Int32Array, Unknown};
use napi_derive::napi;

use crate::convert::{csr_view, f32_array, i32_array, indices, opt_csr, CsrArg};
use crate::model::NativeModel;

/// What `recommend` ranks, as passed from TypeScript.
#[napi(object)]
pub struct RecommendArgs {
    pub k: u32,
    pub exclude: Option<CsrArg>,
    pub items: Option<Int32Array>,
    pub user_features: Option<CsrArg>,
    pub item_features: Option<CsrArg>,
    pub num_threads: u32,
}

/// Top-k lists: `ids.length / k` rows of `k`, best first; -1 / -Infinity pad short rows.
#[napi(object, object_from_js = false)]
pub struct NativeTopK<'env> {
    pub k: u32,
    #[napi(ts_type = "Int32Array")]
    pub ids: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub scores: Unknown<'env>,
}

/// A ranking call's users, allow-list and exclusions; the exclusions are read in place (the
/// call runs on the calling thread).
pub(crate) type RankingInputs<'a> = (Vec<u32>, Option<Vec<u32>>, Option<CsrView<'a>>);

pub(crate) fn ranking_inputs<'a>(
    users: &[i32],
    items: Option<&Int32Array>,
    exclude: Option<&'a CsrArg>,
) -> lightfm_core::Result<RankingInputs<'a>> {
    let users = indices("user id", users)?;
    let items = items
        .map(|v| indices("items (allow-list) id", v))
        .transpose()?;
    Ok((users, items, exclude.map(csr_view).transpose()?))
}

pub(crate) fn top_k(env: &Env, t: TopK) -> napi::Result<NativeTopK<'_>> {
    Ok(NativeTopK {
        k: t.k as u32,
        ids: i32_array(env, t.ids)?,
        scores: f32_array(env, t.scores)?,
    })
}

#[napi]
impl NativeModel {
    /// The `k` best items for each user.
    #[napi]
    pub fn recommend<'env>(
        &self,
        env: &'env Env,
        users: Int32Array,
        args: RecommendArgs,
    ) -> napi::Result<NativeTopK<'env>> {
        let top = self.read("recommend()", |m| {
            let (users, items, exclude) =
                ranking_inputs(&users, args.items.as_ref(), args.exclude.as_ref())?;
            let uf = opt_csr(args.user_features.as_ref())?;
            let itf = opt_csr(args.item_features.as_ref())?;
            let o = RecommendOptions {
                k: args.k as usize,
                exclude,
                items: items.as_deref(),
                user_features: uf.as_ref(),
                item_features: itf.as_ref(),
                num_threads: args.num_threads as usize,
            };
            m.recommend(&users, &o)
        })?;
        top_k(env, top)
    }

    /// The `k` most similar other items (cosine of embeddings) for each item id.
    #[napi]
    pub fn similar_items<'env>(
        &self,
        env: &'env Env,
        ids: Int32Array,
        k: u32,
        features: Option<CsrArg>,
        num_threads: u32,
    ) -> napi::Result<NativeTopK<'env>> {
        let top = self.similar("similarItems()", Side::Item, ids, k, features, num_threads)?;
        top_k(env, top)
    }

    /// The `k` most similar other users (cosine of embeddings) for each user id.
    #[napi]
    pub fn similar_users<'env>(
        &self,
        env: &'env Env,
        ids: Int32Array,
        k: u32,
        features: Option<CsrArg>,
        num_threads: u32,
    ) -> napi::Result<NativeTopK<'env>> {
        let top = self.similar("similarUsers()", Side::User, ids, k, features, num_threads)?;
        top_k(env, top)
    }

    /// Grows the feature tables to the given row counts (never shrinks).
    #[napi]
    pub fn resize(&self, user_features: u32, item_features: u32) -> napi::Result<()> {
        self.write("resize()", |m| {
            m.resize(user_features as usize, item_features as usize)
        })
    }
}

impl NativeModel {
    fn similar(
        &self,
        action: &str,
        side: Side,
        ids: Int32Array,
        k: u32,
        features: Option<CsrArg>,
        num_threads: u32,
    ) -> napi::Result<TopK> {
        self.read(action, |m| {
            let ids = indices(&format!("{} id", side.name()), &ids)?;
            let f = opt_csr(features.as_ref())?;
            m.similar(side, &ids, k as usize, f.as_ref(), num_threads as usize)
        })
    }
}
