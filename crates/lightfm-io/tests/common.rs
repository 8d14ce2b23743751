//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

use lightfm_io::{
    read_interactions, Column, CsvFormat, Duplicates, Format, Interactions, InteractionsOptions,
    Interner, ReadOptions, ReadProgress, TableColumns, TableOptions,
};

/// A temporary file holding `content`, kept alive with its directory.
pub struct TempFile {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn file(name: &str, content: &[u8]) -> TempFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(content)
        .unwrap();
    TempFile { _dir: dir, path }
}

pub fn name(s: &str) -> Column {
    Column::Name(s.into())
}

pub fn options(
    format: Format,
    weight: Option<Column>,
    timestamp: Option<Column>,
) -> InteractionsOptions {
    InteractionsOptions {
        table: TableOptions {
            format,
            columns: TableColumns {
                keys: [name("user"), name("item")],
                weight,
                timestamp,
            },
            read: ReadOptions {
                skip_invalid: false,
                num_threads: 2,
            },
        },
        duplicates: Duplicates::Keep,
    }
}

pub fn csv() -> Format {
    Format::Csv(CsvFormat::default())
}

pub fn read(path: &std::path::Path, o: &InteractionsOptions) -> lightfm_io::Result<Interactions> {
    read_interactions(
        path,
        o,
        [Interner::new(), Interner::new()],
        &ReadProgress::new(),
    )
}

/// The ids of an interner as strings, in index order.
pub fn ids(t: &Interner) -> Vec<String> {
    (0..t.len())
        .map(|i| String::from_utf8(t.id(i).1.to_vec()).unwrap())
        .collect()
}

/// A Parquet file of `batch` in row groups of `group` rows, compressed with `compression`.
pub fn parquet_file(
    batch: &arrow_array::RecordBatch,
    group: usize,
    compression: parquet::basic::Compression,
) -> TempFile {
    let mut bytes = Vec::new();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut w =
        parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props)).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
    file("r.parquet", &bytes)
}
