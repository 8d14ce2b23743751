//! Reading interactions from Parquet files (row groups in parallel) and writing embeddings.

mod common;

use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray,
};
use common::*;
use lightfm_io::{write_embeddings, EmbeddingsFormat, Format, KeyKind, Location};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};

/// A Parquet file of `(user: utf8, item: int64, w: float64, ts: timestamp[ms])` rows, in row
/// groups of `group` rows.
fn parquet(
    rows: &[(Option<&str>, i64, f64, i64)],
    group: usize,
    compression: Compression,
) -> TempFile {
    let cols: Vec<ArrayRef> = vec![
        Arc::new(rows.iter().map(|r| r.0).collect::<StringArray>()),
        Arc::new(rows.iter().map(|r| r.1).collect::<Int64Array>()),
        Arc::new(rows.iter().map(|r| r.2).collect::<Float64Array>()),
        Arc::new(TimestampMillisecondArray::from(
            rows.iter().map(|r| r.3).collect::<Vec<i64>>(),
        )),
    ];
    let batch =
        RecordBatch::try_from_iter(["user", "item", "w", "ts"].into_iter().zip(cols)).unwrap();
    parquet_file(&batch, group, compression)
}

fn all_options() -> lightfm_io::InteractionsOptions {
    options(Format::Parquet, Some(name("w")), Some(name("ts")))
}

#[test]
fn reads_strings_integers_weights_and_timestamps_in_order() {
    let rows = [
        (Some("b"), 7, 1.5, 2000),
        (Some("a"), 3, 2.0, 3500),
        (Some("b"), 3, 1.0, -1),
    ];
    for compression in [
        Compression::SNAPPY,
        Compression::ZSTD(ZstdLevel::default()),
        Compression::GZIP(GzipLevel::default()),
        Compression::UNCOMPRESSED,
    ] {
        let f = parquet(&rows, 2, compression);
        let r = read(&f.path, &all_options()).unwrap();
        assert_eq!(ids(&r.users), ["b", "a"]);
        assert_eq!(ids(&r.items), ["7", "3"]);
        assert_eq!(r.items.id(0).0, KeyKind::Integer);
        assert_eq!(r.entries.row, [0, 1, 0]);
        assert_eq!(r.entries.col, [0, 1, 1]);
        assert_eq!(r.entries.weight, [1.5, 2.0, 1.0]);
        assert_eq!(r.entries.timestamp, [2, 3, -1]);
    }
}

#[test]
fn row_groups_in_parallel_give_the_single_thread_result() {
    let names: Vec<String> = (0..5000)
        .map(|u| format!("u{}", (u * 7919) % 1300))
        .collect();
    let rows: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(k, n)| (Some(n.as_str()), (k as i64 * 31) % 97, 1.0, k as i64))
        .collect();
    let f = parquet(&rows, 300, Compression::SNAPPY);
    let mut o = all_options();
    o.table.read.num_threads = 1;
    let one = read(&f.path, &o).unwrap();
    o.table.read.num_threads = 3;
    let three = read(&f.path, &o).unwrap();
    assert_eq!(ids(&one.users), ids(&three.users));
    assert_eq!(ids(&one.items), ids(&three.items));
    assert_eq!(one.entries.row, three.entries.row);
    assert_eq!(ids(&one.users)[0], names[0]);
    assert_eq!(one.entries.row.len(), 5000);
}

#[test]
fn null_ids_are_located_by_row_group_and_row() {
    let rows = [
        (Some("a"), 1, 1.0, 0),
        (Some("b"), 1, 1.0, 0),
        (None, 1, 1.0, 0),
    ];
    let f = parquet(&rows, 2, Compression::SNAPPY);
    let e = read(&f.path, &all_options()).unwrap_err();
    assert!(
        matches!(
            e,
            lightfm_io::Error::Row {
                at: Location::Row { group: 1, row: 0 },
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("row group 1, row 0, column \"user\""),
        "{e}"
    );
    let mut o = all_options();
    o.table.read.skip_invalid = true;
    assert_eq!(read(&f.path, &o).unwrap().skipped, 1);
}

#[test]
fn truncated_and_empty_files_are_errors() {
    let rows = [(Some("a"), 1, 1.0, 0)];
    let f = parquet(&rows, 2, Compression::SNAPPY);
    let bytes = std::fs::read(&f.path).unwrap();
    for cut in [bytes.len() - 3, bytes.len() / 2, 4] {
        let t = file("t.parquet", &bytes[..cut]);
        let e = read(&t.path, &all_options()).unwrap_err();
        assert_eq!(e.code(), "ERR_CORRUPT_FILE", "{e}");
    }
    let t = file("e.parquet", b"");
    assert_eq!(
        read(&t.path, &all_options()).unwrap_err().code(),
        "ERR_PARSE"
    );
    let mut o = all_options();
    o.table.columns.weight = Some(name("rating"));
    let e = read(&f.path, &o).unwrap_err();
    assert!(e.to_string().contains("no column named \"rating\""), "{e}");
}

#[test]
fn embeddings_round_trip_through_parquet_and_arrow() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..70_000).map(|i| format!("item{i}")).collect();
    let vectors: Vec<f32> = (0..70_000 * 3).map(|v| v as f32 * 0.5).collect();
    let p = dir.path().join("e.parquet");
    write_embeddings(&p, &ids, &vectors, 3, EmbeddingsFormat::Parquet).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&p).unwrap())
        .unwrap()
        .build()
        .unwrap();
    check_batches(reader.map(Result::unwrap), &ids, &vectors);
    let a = dir.path().join("e.arrow");
    write_embeddings(&a, &ids, &vectors, 3, EmbeddingsFormat::Arrow).unwrap();
    let reader =
        arrow_ipc::reader::FileReader::try_new(std::fs::File::open(&a).unwrap(), None).unwrap();
    check_batches(reader.map(Result::unwrap), &ids, &vectors);
    let e = write_embeddings(&a, &ids, &vectors[1..], 3, EmbeddingsFormat::Arrow).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");
}

fn check_batches(batches: impl Iterator<Item = RecordBatch>, ids: &[String], vectors: &[f32]) {
    use arrow_array::cast::AsArray;
    let (mut got_ids, mut got_vectors) = (Vec::new(), Vec::new());
    for b in batches {
        assert_eq!(b.schema().field(0).name(), "id");
        got_ids.extend(
            b.column(0)
                .as_string::<i32>()
                .iter()
                .map(|s| s.unwrap().to_string()),
        );
        let list = b.column(1).as_fixed_size_list();
        assert_eq!(list.value_length(), 3);
        got_vectors.extend_from_slice(
            list.values()
                .as_primitive::<arrow_array::types::Float32Type>()
                .values(),
        );
    }
    assert_eq!(got_ids, ids);
    assert_eq!(got_vectors, vectors);
}
