//! Reading wide tables of features (a row per id, a column per attribute) as the rows of the
//! long table they stand for, from CSV and Parquet.

mod common;

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, Float32Array, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray,
};
use common::*;
use lightfm_io::{
    read_table, read_wide, Column, CsvFormat, Format, Interner, Location, ReadOptions,
    ReadProgress, RowProblem, Table, TableColumns, TableOptions, WideColumns, WideOptions,
};
use parquet::basic::Compression;

fn wide_options(
    format: Format,
    categorical: &[Column],
    numeric: &[Column],
    separator: Option<char>,
) -> WideOptions {
    WideOptions {
        format,
        columns: WideColumns {
            id: Column::Index(0),
            categorical: categorical.to_vec(),
            numeric: numeric.to_vec(),
            separator,
        },
        read: ReadOptions {
            skip_invalid: false,
            num_threads: 2,
        },
    }
}

fn wide(path: &std::path::Path, o: &WideOptions) -> lightfm_io::Result<Table> {
    read_wide(
        path,
        o,
        [Interner::new(), Interner::new()],
        &ReadProgress::new(),
    )
}

/// The `(id, feature, weight)` rows of a table, in order.
fn triples(t: &Table) -> Vec<(String, String, f32)> {
    let [first, second] = [ids(&t.keys[0]), ids(&t.keys[1])];
    (0..t.rows())
        .map(|r| {
            let w = if t.weight.is_empty() {
                1.0
            } else {
                t.weight[r]
            };
            (
                first[t.idx[0][r] as usize].clone(),
                second[t.idx[1][r] as usize].clone(),
                w,
            )
        })
        .collect()
}

fn t(id: &str, feature: &str, w: f32) -> (String, String, f32) {
    (id.into(), feature.into(), w)
}

#[test]
fn csv_rows_become_the_long_rows_they_stand_for() {
    let f = file(
        "items.csv",
        b"item_id,genre,director,year,tags\ni1,drama,Lynch,0.5,\"action|space\"\ni2,,Lynch,,|\ni3,comedy,\"Coen, J.\",1e-1,space||x\n",
    );
    let o = wide_options(
        csv(),
        &[name("genre"), name("director"), name("tags")],
        &[name("year")],
        Some('|'),
    );
    let table = wide(&f.path, &o).unwrap();
    assert_eq!(
        triples(&table),
        [
            t("i1", "genre:drama", 1.0),
            t("i1", "director:Lynch", 1.0),
            t("i1", "year", 0.5),
            t("i1", "tags:action", 1.0),
            t("i1", "tags:space", 1.0),
            t("i2", "director:Lynch", 1.0),
            t("i3", "genre:comedy", 1.0),
            t("i3", "director:Coen, J.", 1.0),
            t("i3", "year", 0.1),
            t("i3", "tags:space", 1.0),
            t("i3", "tags:x", 1.0),
        ]
    );
    // The same file written long gives the same ids and features in the same order.
    let long = file(
        "long.csv",
        b"id,f,w\ni1,genre:drama,1\ni1,director:Lynch,1\ni1,year,0.5\ni1,tags:action,1\ni1,tags:space,1\ni2,director:Lynch,1\ni3,genre:comedy,1\ni3,\"director:Coen, J.\",1\ni3,year,0.1\ni3,tags:space,1\ni3,tags:x,1\n",
    );
    let lo = TableOptions {
        format: csv(),
        columns: TableColumns {
            keys: [name("id"), name("f")],
            weight: Some(name("w")),
            timestamp: None,
        },
        read: o.read,
    };
    let long = read_table(
        &long.path,
        &lo,
        [Interner::new(), Interner::new()],
        &ReadProgress::new(),
    )
    .unwrap();
    assert_eq!(triples(&long), triples(&table));
    assert_eq!(ids(&long.keys[1]), ids(&table.keys[1]));
}

#[test]
fn without_header_columns_are_named_by_index_and_rows_without_features_keep_their_id() {
    let f = file("w.tsv", b"a\tx;y\t2\nb\t\t\n");
    let format = Format::Csv(CsvFormat {
        delimiter: b'\t',
        header: false,
        quote: Some(b'"'),
    });
    let o = wide_options(format, &[Column::Index(1)], &[Column::Index(2)], Some(';'));
    let table = wide(&f.path, &o).unwrap();
    assert_eq!(
        triples(&table),
        [t("a", "1:x", 1.0), t("a", "1:y", 1.0), t("a", "2", 2.0)]
    );
    assert_eq!(ids(&table.keys[0]), ["a", "b"]);
    // Without a separator the cell is one value.
    let o = wide_options(format, &[Column::Index(1)], &[], None);
    assert_eq!(triples(&wide(&f.path, &o).unwrap()), [t("a", "1:x;y", 1.0)]);
}

#[test]
fn bad_cells_are_located_and_bad_options_refused() {
    let o = wide_options(csv(), &[name("genre")], &[name("year")], None);
    let e = wide(&file("e.csv", b"id,genre,year\na,x,1\nb,y,old\n").path, &o).unwrap_err();
    assert_eq!(e.code(), "ERR_PARSE");
    assert!(e.to_string().contains("line 3, column \"year\""), "{e}");
    let e = wide(&file("e.csv", b"id,genre,year\na,x,inf\n").path, &o).unwrap_err();
    assert_eq!(e.code(), "ERR_NOT_FINITE");
    assert!(
        matches!(
            e,
            lightfm_io::Error::Row {
                at: Location::Line(2),
                ..
            }
        ),
        "{e}"
    );
    let e = wide(&file("e.csv", b"id,genre,year\n,x,1\n").path, &o).unwrap_err();
    assert!(
        matches!(
            e,
            lightfm_io::Error::Row {
                problem: RowProblem::EmptyId,
                ..
            }
        ),
        "{e}"
    );
    let e = wide(&file("e.csv", b"id,genre,year\na,\xff,1\n").path, &o).unwrap_err();
    assert!(
        matches!(
            e,
            lightfm_io::Error::Row {
                problem: RowProblem::BadUtf8,
                ..
            }
        ),
        "{e}"
    );
    let e = wide(&file("e.csv", b"id,genres,year\na,x,1\n").path, &o).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");
    assert!(e.to_string().contains("\"genres\", \"year\""), "{e}");
    let twice = wide_options(csv(), &[name("genre")], &[name("genre")], None);
    let e = wide(&file("e.csv", b"id,genre\na,x\n").path, &twice).unwrap_err();
    assert!(e.to_string().contains("given twice"), "{e}");
    let none = wide_options(csv(), &[], &[], None);
    assert_eq!(
        wide(&file("e.csv", b"id,genre\na,x\n").path, &none)
            .unwrap_err()
            .code(),
        "ERR_INVALID_ARG"
    );
}

#[test]
fn skip_invalid_drops_whole_rows() {
    let mut o = wide_options(csv(), &[name("genre")], &[name("year")], None);
    o.read.skip_invalid = true;
    let table = wide(
        &file("s.csv", b"id,genre,year\na,x,1\nb,y,old\nc,z,\n").path,
        &o,
    )
    .unwrap();
    assert_eq!(table.skipped, 1);
    assert_eq!(
        triples(&table),
        [
            t("a", "genre:x", 1.0),
            t("a", "year", 1.0),
            t("c", "genre:z", 1.0)
        ]
    );
    assert_eq!(ids(&table.keys[1]), ["genre:x", "year", "genre:z"]);
}

fn parquet(columns: Vec<(&str, ArrayRef)>, group: usize) -> TempFile {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    parquet_file(&batch, group, Compression::SNAPPY)
}

#[test]
fn parquet_strings_integers_booleans_dictionaries_nulls_and_numbers() {
    let dict: DictionaryArray<Int32Type> = vec![Some("x|y"), None, Some("x")].into_iter().collect();
    let f = parquet(
        vec![
            (
                "id",
                Arc::new(Int64Array::from(vec![10, 20, 30])) as ArrayRef,
            ),
            (
                "genre",
                Arc::new(StringArray::from(vec![Some("drama"), None, Some("")])),
            ),
            (
                "decade",
                Arc::new(Int32Array::from(vec![Some(1990), Some(2000), None])),
            ),
            (
                "new",
                Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
            ),
            ("tags", Arc::new(dict)),
            (
                "score",
                Arc::new(Float32Array::from(vec![Some(0.5), None, Some(0.0)])),
            ),
            (
                "rank",
                Arc::new(Int64Array::from(vec![Some(3), Some(1), None])),
            ),
        ],
        2,
    );
    let cat = [name("genre"), name("decade"), name("new"), name("tags")];
    let o = wide_options(
        Format::Parquet,
        &cat,
        &[name("score"), name("rank")],
        Some('|'),
    );
    let table = wide(&f.path, &o).unwrap();
    assert_eq!(
        triples(&table),
        [
            t("10", "genre:drama", 1.0),
            t("10", "decade:1990", 1.0),
            t("10", "new:true", 1.0),
            t("10", "tags:x", 1.0),
            t("10", "tags:y", 1.0),
            t("10", "score", 0.5),
            t("10", "rank", 3.0),
            t("20", "decade:2000", 1.0),
            t("20", "rank", 1.0),
            t("30", "new:false", 1.0),
            t("30", "tags:x", 1.0),
            t("30", "score", 0.0),
        ]
    );
    assert_eq!(table.keys[0].id(0).0, lightfm_io::KeyKind::Integer);
    // One thread or several, the same result.
    let mut one = o.clone();
    one.read.num_threads = 1;
    assert_eq!(triples(&wide(&f.path, &one).unwrap()), triples(&table));
}

#[test]
fn parquet_errors_name_row_group_row_and_column() {
    let f = parquet(
        vec![
            (
                "id",
                Arc::new(StringArray::from(vec![
                    Some("a"),
                    Some("b"),
                    Some("c"),
                    None,
                ])) as ArrayRef,
            ),
            (
                "score",
                Arc::new(Float64Array::from(vec![1.0, 2.0, f64::NAN, 1.0])),
            ),
            (
                "when",
                Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0, 4.0])),
            ),
            (
                "label",
                Arc::new(StringArray::from(vec!["p", "q", "r", "s"])),
            ),
        ],
        2,
    );
    let o = wide_options(Format::Parquet, &[], &[name("score")], None);
    let e = wide(&f.path, &o).unwrap_err();
    assert_eq!(e.code(), "ERR_NOT_FINITE");
    assert!(
        e.to_string()
            .contains("row group 1, row 0, column \"score\""),
        "{e}"
    );
    let o = wide_options(Format::Parquet, &[], &[name("when")], None);
    let e = wide(&f.path, &o).unwrap_err();
    assert!(
        e.to_string().contains("row group 1, row 1, column \"id\""),
        "{e}"
    );
    let o = wide_options(Format::Parquet, &[name("score")], &[], None);
    let e = wide(&f.path, &o).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");
    assert!(
        e.to_string().contains("categorical columns must hold"),
        "{e}"
    );
    let o = wide_options(Format::Parquet, &[], &[name("label")], None);
    let e = wide(&f.path, &o).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");
    assert!(e.to_string().contains("it must be numeric"), "{e}");
}
