//! Writing exported embeddings with their ids to Parquet or Arrow IPC files (`lightfm_io`),
//! off the event loop.

use std::path::PathBuf;

use lightfm_io::{write_embeddings, EmbeddingsFormat};
use napi::bindgen_prelude::{AsyncTask, Env, Float32Array};
use napi::Task;
use napi_derive::napi;

use crate::errors::guarded_io;

/// Writes on a worker thread.
pub struct WriteEmbeddingsTask {
    path: PathBuf,
    ids: Vec<String>,
    vectors: Float32Array,
    dim: usize,
    format: EmbeddingsFormat,
}

impl Task for WriteEmbeddingsTask {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<()> {
        guarded_io(|| write_embeddings(&self.path, &self.ids, &self.vectors, self.dim, self.format))
    }

    fn resolve(&mut self, _env: Env, _: ()) -> napi::Result<()> {
        Ok(())
    }
}

/// Writes `ids` with their vectors (`dim` floats each, row-major); `format` is `parquet` or
/// `arrow`.
#[napi(ts_return_type = "Promise<void>")]
pub fn write_embeddings_file(
    path: String,
    ids: Vec<String>,
    vectors: Float32Array,
    dim: u32,
    format: String,
) -> AsyncTask<WriteEmbeddingsTask> {
    let format = if format == "arrow" {
        EmbeddingsFormat::Arrow
    } else {
        EmbeddingsFormat::Parquet
    };
    AsyncTask::new(WriteEmbeddingsTask {
        path: PathBuf::from(path),
        ids,
        vectors,
        dim: dim as usize,
        format,
    })
}
