//! Model files: encoding to and decoding from the versioned format of `lightfm_core::io`.
//! File system access stays in TypeScript (`fs/promises`); this module only sees bytes.

use lightfm_core::io::{decode, encode, Decoded};
use napi::bindgen_prelude::{AsyncTask, Buffer, Env, Unknown};
use napi_derive::napi;

use crate::convert::byte_array;
use crate::errors::guarded;
use crate::model::NativeModel;

/// A decoded model and the mappings JSON saved with it.
#[napi(object, object_from_js = false)]
pub struct LoadedModel {
    pub model: NativeModel,
    pub mappings: Option<String>,
}

fn loaded(d: Decoded) -> napi::Result<LoadedModel> {
    let model = NativeModel::new(None)?;
    model.write("loading a model", |m| {
        *m = d.model;
        Ok(())
    })?;
    Ok(LoadedModel {
        model,
        mappings: d.mappings,
    })
}

#[napi]
impl NativeModel {
    /// The model file bytes, with `mappings` (JSON text) stored in the header.
    #[napi(ts_return_type = "Buffer")]
    pub fn to_buffer<'env>(
        &self,
        env: &'env Env,
        mappings: Option<String>,
    ) -> napi::Result<Unknown<'env>> {
        byte_array(
            env,
            self.read("toBuffer()", |m| encode(m, mappings.as_deref()))?,
        )
    }
}

/// Decodes a model file on the calling thread.
#[napi]
pub fn model_from_buffer(bytes: &[u8]) -> napi::Result<LoadedModel> {
    loaded(guarded(|| decode(bytes))?)
}

/// Decodes a model file on a worker thread (declared before its function so the
/// generated types know what the promise resolves to).
pub struct DecodeTask {
    bytes: Buffer,
}

#[napi]
impl napi::Task for DecodeTask {
    type Output = Decoded;
    type JsValue = LoadedModel;

    fn compute(&mut self) -> napi::Result<Decoded> {
        let bytes: &[u8] = &self.bytes;
        guarded(|| decode(bytes))
    }

    fn resolve(&mut self, _env: Env, d: Decoded) -> napi::Result<LoadedModel> {
        loaded(d)
    }
}

/// Decodes a model file off the event loop. The buffer is the caller's own copy of the file.
#[napi]
pub fn model_from_buffer_async(bytes: Buffer) -> AsyncTask<DecodeTask> {
    AsyncTask::new(DecodeTask { bytes })
}
