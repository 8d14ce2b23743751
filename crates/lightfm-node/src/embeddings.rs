//! Exporting a model's users and items as bias-folded vectors. The rules live in
//! `lightfm_core::embeddings`.

use lightfm_core::EmbeddingsOptions;
use napi::bindgen_prelude::{Env, Int32Array, Unknown};
use napi_derive::napi;

use crate::convert::{f32_array, indices, opt_csr, CsrArg};
use crate::model::NativeModel;

/// What `exportEmbeddings` exports, as passed from TypeScript.
#[napi(object)]
pub struct EmbeddingsArgs {
    pub user_ids: Option<Int32Array>,
    pub item_ids: Option<Int32Array>,
    pub user_features: Option<CsrArg>,
    pub item_features: Option<CsrArg>,
    pub num_threads: u32,
}

/// `dim` floats per vector, row-major.
#[napi(object, object_from_js = false)]
pub struct NativeEmbeddings<'env> {
    pub dim: u32,
    #[napi(ts_type = "Float32Array")]
    pub user_vectors: Unknown<'env>,
    #[napi(ts_type = "Float32Array")]
    pub item_vectors: Unknown<'env>,
}

#[napi]
impl NativeModel {
    /// Users and items as vectors whose dot product is the score.
    #[napi]
    pub fn export_embeddings<'env>(
        &self,
        env: &'env Env,
        args: EmbeddingsArgs,
    ) -> napi::Result<NativeEmbeddings<'env>> {
        let e = self.read("exportEmbeddings()", |m| {
            let ids =
                |what, a: &Option<Int32Array>| a.as_ref().map(|v| indices(what, v)).transpose();
            let (user_ids, item_ids) = (
                ids("user id", &args.user_ids)?,
                ids("item id", &args.item_ids)?,
            );
            let uf = opt_csr(args.user_features.as_ref())?;
            let itf = opt_csr(args.item_features.as_ref())?;
            m.export_embeddings(&EmbeddingsOptions {
                user_ids: user_ids.as_deref(),
                item_ids: item_ids.as_deref(),
                user_features: uf.as_ref(),
                item_features: itf.as_ref(),
                num_threads: args.num_threads as usize,
            })
        })?;
        Ok(NativeEmbeddings {
            dim: e.dim as u32,
            user_vectors: f32_array(env, e.users)?,
            item_vectors: f32_array(env, e.items)?,
        })
    }
}
