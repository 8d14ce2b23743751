//! The approximate item index: building it off the event loop, querying it with the model it
//! was built from, saving and loading it. The rules live in `lightfm_core::ann`.

use std::sync::{Arc, PoisonError, RwLock};

use lightfm_core::{IndexOptions, IndexQuery, ItemIndex, Model};
use napi::bindgen_prelude::{AsyncTask, Buffer, Env, Int32Array, Object, Unknown};
use napi_derive::napi;

use crate::background::on_own_thread;
use crate::convert::{byte_array, indices, opt_csr, CsrArg};
use crate::errors::guarded;
use crate::model::{CancelToken, NativeModel};
use crate::serving::{ranking_inputs, top_k, NativeTopK};

/// How `buildIndex` builds, as passed from TypeScript.
#[napi(object)]
pub struct IndexArgs {
    pub m: u32,
    pub ef_construction: u32,
    pub ef: u32,
    pub item_features: Option<CsrArg>,
    pub num_threads: u32,
}

/// What the index's `recommend` ranks, as passed from TypeScript.
#[napi(object)]
pub struct IndexQueryArgs {
    pub k: u32,
    pub ef: Option<u32>,
    pub exclude: Option<CsrArg>,
    pub items: Option<Int32Array>,
    pub user_features: Option<CsrArg>,
    pub num_threads: u32,
}

/// The native half of `ItemIndex`: immutable once built, shared by every call.
#[napi]
pub struct NativeItemIndex {
    index: Arc<ItemIndex>,
}

#[napi]
impl NativeModel {
    /// Builds an index of the items: the vectors are copied here, the graph is built on a
    /// thread of its own (the model stays usable meanwhile).
    #[napi(ts_return_type = "Promise<NativeItemIndex>")]
    pub fn build_index<'env>(
        &self,
        env: &'env Env,
        args: IndexArgs,
        cancel: &CancelToken,
    ) -> napi::Result<Object<'env>> {
        let threads = args.num_threads as usize;
        let prepared = self.read("buildIndex()", |m| {
            let itf = opt_csr(args.item_features.as_ref())?;
            let o = IndexOptions {
                m: args.m as usize,
                ef_construction: args.ef_construction as usize,
                ef: args.ef as usize,
                item_features: itf.as_ref(),
                num_threads: threads,
            };
            ItemIndex::prepare(m, &o)
        })?;
        let (flag, done) = (cancel.flag.clone(), cancel.done.clone());
        let work = move || {
            let built = guarded(|| prepared.build(threads, &flag));
            done.set();
            built
        };
        let settle = |_env: Env, built: napi::Result<ItemIndex>| built.map(wrap);
        on_own_thread(env, "lightfm-index", cancel.flag.clone(), work, settle)
    }
}

#[napi]
impl NativeItemIndex {
    /// The `k` best items for each user, found on the index.
    #[napi]
    pub fn recommend<'env>(
        &self,
        env: &'env Env,
        model: &NativeModel,
        users: Int32Array,
        args: IndexQueryArgs,
    ) -> napi::Result<NativeTopK<'env>> {
        let top = model.read("recommend()", |m| {
            let (users, items, exclude) =
                ranking_inputs(&users, args.items.as_ref(), args.exclude.as_ref())?;
            let uf = opt_csr(args.user_features.as_ref())?;
            let q = IndexQuery {
                k: args.k as usize,
                ef: args.ef.map(|v| v as usize),
                exclude,
                items: items.as_deref(),
                user_features: uf.as_ref(),
                num_threads: args.num_threads as usize,
            };
            self.index.recommend(m, &users, &q)
        })?;
        top_k(env, top)
    }

    /// The `k` most similar other items for each item id, found on the index.
    #[napi]
    pub fn similar_items<'env>(
        &self,
        env: &'env Env,
        model: &NativeModel,
        ids: Int32Array,
        k: u32,
        ef: Option<u32>,
        num_threads: u32,
    ) -> napi::Result<NativeTopK<'env>> {
        let top = model.read("similarItems()", |m| {
            let ids = indices("item id", &ids)?;
            let search = (k as usize, ef.map(|v| v as usize));
            self.index
                .similar_items(m, &ids, search, num_threads as usize)
        })?;
        top_k(env, top)
    }

    /// The index file's bytes.
    #[napi(ts_return_type = "Buffer")]
    pub fn to_buffer<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        byte_array(env, guarded(|| self.index.encode())?)
    }

    /// Items indexed.
    #[napi(getter)]
    pub fn items(&self) -> u32 {
        self.index.items() as u32
    }

    /// Floats per item vector (`noComponents + 2`).
    #[napi(getter)]
    pub fn dim(&self) -> u32 {
        self.index.dim() as u32
    }

    #[napi(getter)]
    pub fn m(&self) -> u32 {
        self.index.m() as u32
    }

    #[napi(getter)]
    pub fn ef(&self) -> u32 {
        self.index.ef() as u32
    }

    #[napi(getter)]
    pub fn ef_construction(&self) -> u32 {
        self.index.ef_construction() as u32
    }

    /// Bytes of memory the index holds.
    #[napi(getter)]
    pub fn bytes(&self) -> f64 {
        self.index.bytes() as f64
    }
}

fn wrap(index: ItemIndex) -> NativeItemIndex {
    NativeItemIndex {
        index: Arc::new(index),
    }
}

/// Decodes an index file for use with `model`, on the calling thread.
#[napi]
pub fn index_from_buffer(bytes: &[u8], model: &NativeModel) -> napi::Result<NativeItemIndex> {
    model
        .read("ItemIndex.fromBuffer()", |m| ItemIndex::decode(bytes, m))
        .map(wrap)
}

/// Decodes an index file on a worker thread (declared before its function so the generated
/// types know what the promise resolves to).
pub struct DecodeIndexTask {
    bytes: Buffer,
    model: Arc<RwLock<Model>>,
}

#[napi]
impl napi::Task for DecodeIndexTask {
    type Output = ItemIndex;
    type JsValue = NativeItemIndex;

    fn compute(&mut self) -> napi::Result<ItemIndex> {
        let model = self.model.read().unwrap_or_else(PoisonError::into_inner);
        guarded(|| ItemIndex::decode(&self.bytes, &model))
    }

    fn resolve(&mut self, _env: Env, index: ItemIndex) -> napi::Result<NativeItemIndex> {
        Ok(wrap(index))
    }
}

/// Decodes an index file for use with `model` off the event loop. The buffer is the
/// caller's own copy of the file.
#[napi]
pub fn index_from_buffer_async(
    bytes: Buffer,
    model: &NativeModel,
) -> napi::Result<AsyncTask<DecodeIndexTask>> {
    let model = model.shared("ItemIndex.load()")?;
    Ok(AsyncTask::new(DecodeIndexTask { bytes, model }))
}
