//! Exported embeddings (`lightfm_core::embeddings`) with their ids, to Parquet or Arrow IPC
//! files: columns `id` (utf8) and `vector` (fixed-size list of `dim` float32), the layout
//! vector stores (LanceDB, DuckDB, pyarrow) read directly.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, FixedSizeListArray, Float32Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::error::{Error, Result};

/// The file kind to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbeddingsFormat {
    Parquet,
    /// Arrow IPC file format (`.arrow`, also called Feather v2).
    Arrow,
}

/// Vectors written per batch (a Parquet row group, an Arrow record batch).
const ROWS_PER_BATCH: usize = 64 * 1024;

/// The schema of an embeddings file with vectors of `dim` floats.
pub fn schema(dim: usize) -> Result<SchemaRef> {
    let dim =
        i32::try_from(dim).map_err(|_| Error::InvalidArg(format!("dim {dim} is too large")))?;
    let item = Arc::new(Field::new("item", DataType::Float32, false));
    Ok(Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("vector", DataType::FixedSizeList(item, dim), false),
    ])))
}

/// Writes `ids[i]` with `vectors[i * dim .. (i + 1) * dim]` for every `i` to `file`.
pub fn write_embeddings(
    file: &Path,
    ids: &[String],
    vectors: &[f32],
    dim: usize,
    format: EmbeddingsFormat,
) -> Result<()> {
    if dim == 0 || vectors.len() != ids.len() * dim {
        return Err(Error::InvalidArg(format!(
            "{} ids need {} x {dim} = {} vector values, got {}",
            ids.len(),
            ids.len(),
            ids.len() * dim,
            vectors.len()
        )));
    }
    let schema = schema(dim)?;
    // A missing folder is an I/O error here, not a missing input file.
    let failed = |e: &dyn std::fmt::Display| Error::Io {
        file: file.to_path_buf(),
        message: format!("cannot write the file: {e}"),
        not_found: false,
    };
    let out = BufWriter::new(File::create(file).map_err(|e| failed(&e))?);
    let batches = (0..ids.len()).step_by(ROWS_PER_BATCH).map(|start| {
        let end = (start + ROWS_PER_BATCH).min(ids.len());
        batch(
            &schema,
            &ids[start..end],
            &vectors[start * dim..end * dim],
            dim,
        )
    });
    match format {
        EmbeddingsFormat::Parquet => {
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROWS_PER_BATCH))
                .build();
            let mut w =
                ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(|e| failed(&e))?;
            for b in batches {
                w.write(&b.map_err(|e| failed(&e))?)
                    .map_err(|e| failed(&e))?;
            }
            w.close().map_err(|e| failed(&e))?;
        }
        EmbeddingsFormat::Arrow => {
            let mut w =
                arrow_ipc::writer::FileWriter::try_new(out, &schema).map_err(|e| failed(&e))?;
            for b in batches {
                w.write(&b.map_err(|e| failed(&e))?)
                    .map_err(|e| failed(&e))?;
            }
            w.finish().map_err(|e| failed(&e))?;
        }
    }
    Ok(())
}

fn batch(
    schema: &SchemaRef,
    ids: &[String],
    vectors: &[f32],
    dim: usize,
) -> std::result::Result<RecordBatch, ArrowError> {
    let DataType::FixedSizeList(item, _) = schema.field(1).data_type() else {
        unreachable!("the schema's vector column is a fixed-size list")
    };
    let values = Arc::new(Float32Array::from(vectors.to_vec()));
    let list = FixedSizeListArray::try_new(item.clone(), dim as i32, values, None)?;
    let columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(ids)), Arc::new(list)];
    RecordBatch::try_new(schema.clone(), columns)
}
