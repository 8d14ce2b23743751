//! Reading interactions from CSV/TSV files: ordering, columns, quoting, duplicates, errors.

mod common;

use common::*;
use lightfm_io::{
    read_interactions, Column, CsvFormat, Duplicates, Format, Interner, KeyKind, Location,
    ReadProgress, RowProblem,
};

const SMALL: &str = "user,item,rating,ts\nu2,i1,4,100\nu1,i2,3.5,200\nu2,i2,1,50\n";

#[test]
fn ids_in_first_seen_order_with_weights_and_timestamps() {
    let f = file("r.csv", SMALL.as_bytes());
    let r = read(
        &f.path,
        &options(csv(), Some(name("rating")), Some(name("ts"))),
    )
    .unwrap();
    assert_eq!(ids(&r.users), ["u2", "u1"]);
    assert_eq!(ids(&r.items), ["i1", "i2"]);
    assert_eq!(r.entries.row, [0, 1, 0]);
    assert_eq!(r.entries.col, [0, 1, 1]);
    assert_eq!(r.entries.weight, [4.0, 3.5, 1.0]);
    assert_eq!(r.entries.timestamp, [100, 200, 50]);
    assert_eq!(r.skipped, 0);
}

#[test]
fn columns_by_index_without_header_and_tsv() {
    let f = file("r.tsv", b"u1\tx\ti1\nu2\ty\ti1\n");
    let mut o = options(
        Format::Csv(CsvFormat {
            delimiter: b'\t',
            header: false,
            quote: Some(b'"'),
        }),
        None,
        None,
    );
    o.table.columns.keys = [Column::Index(0), Column::Index(2)];
    let r = read(&f.path, &o).unwrap();
    assert_eq!(ids(&r.users), ["u1", "u2"]);
    assert_eq!(ids(&r.items), ["i1"]);
    assert!(r.entries.weight.is_empty());
}

#[test]
fn quoted_fields_hold_delimiters_newlines_and_quotes() {
    let f = file(
        "q.csv",
        b"user,item,rating\n\"a,b\",\"line1\nline2\",1\n\"say \"\"hi\"\"\",x,2\nplain,x,3\n",
    );
    let r = read(&f.path, &options(csv(), Some(name("rating")), None)).unwrap();
    assert_eq!(ids(&r.users), ["a,b", "say \"hi\"", "plain"]);
    assert_eq!(ids(&r.items), ["line1\nline2", "x"]);
    // The line after a quoted newline is still numbered right.
    let f = file("q.csv", b"user,item,rating\n\"a\",\"l1\nl2\",1\nb,x,oops\n");
    let e = read(&f.path, &options(csv(), Some(name("rating")), None)).unwrap_err();
    assert!(
        matches!(
            e,
            lightfm_io::Error::Row {
                at: Location::Line(4),
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn extends_known_ids() {
    let f = file("r.csv", SMALL.as_bytes());
    let mut users = Interner::new();
    users.intern(KeyKind::Text, b"u1").unwrap();
    users.intern(KeyKind::Text, b"old").unwrap();
    let r = read_interactions(
        &f.path,
        &options(csv(), None, None),
        [users, Interner::new()],
        &ReadProgress::new(),
    )
    .unwrap();
    assert_eq!(ids(&r.users), ["u1", "old", "u2"]);
    assert_eq!(r.entries.row, [2, 0, 2]);
}

#[test]
fn duplicates_policies() {
    let f = file(
        "d.csv",
        b"user,item,w,ts\na,x,1,5\nb,x,2,6\na,x,3,1\na,y,4,9\n",
    );
    let mut o = options(csv(), Some(name("w")), Some(name("ts")));
    let keep = read(&f.path, &o).unwrap();
    assert_eq!(keep.entries.weight, [1.0, 2.0, 3.0, 4.0]);
    o.duplicates = Duplicates::Sum;
    let sum = read(&f.path, &o).unwrap();
    assert_eq!(
        (sum.entries.row.clone(), sum.entries.col.clone()),
        (vec![0, 1, 0], vec![0, 0, 1])
    );
    assert_eq!(sum.entries.weight, [4.0, 2.0, 4.0]);
    assert_eq!(sum.entries.timestamp, [5, 6, 9]);
    o.duplicates = Duplicates::Last;
    let last = read(&f.path, &o).unwrap();
    assert_eq!(last.entries.weight, [3.0, 2.0, 4.0]);
    assert_eq!(last.entries.timestamp, [1, 6, 9]);
}

fn row_error(content: &[u8], weight: bool) -> lightfm_io::Error {
    let f = file("bad.csv", content);
    read(&f.path, &options(csv(), weight.then(|| name("w")), None)).unwrap_err()
}

#[test]
fn malformed_rows_name_file_line_and_column() {
    let e = row_error(b"user,item,w\na,b,1\na,b\n", true);
    assert_eq!(e.code(), "ERR_PARSE");
    assert!(
        matches!(
            &e,
            lightfm_io::Error::Row {
                at: Location::Line(3),
                problem: RowProblem::ColumnCount {
                    expected: 3,
                    found: 2
                },
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("bad.csv"), "{e}");
    let e = row_error(b"user,item,w\na,b,1\na,b,heavy\n", true);
    assert!(e.to_string().contains("line 3, column \"w\""), "{e}");
    assert_eq!(e.code(), "ERR_PARSE");
    let e = row_error(b"user,item,w\na,b,NaN\n", true);
    assert_eq!(e.code(), "ERR_NOT_FINITE");
    let e = row_error(b"user,item,w\na,\xff\xfe,1\n", true);
    assert!(
        matches!(
            &e,
            lightfm_io::Error::Row {
                problem: RowProblem::BadUtf8,
                ..
            }
        ),
        "{e}"
    );
    let e = row_error(b"", false);
    assert!(matches!(e, lightfm_io::Error::Empty { .. }), "{e}");
    let e = row_error(b"user,item\n,b\n", false);
    assert!(
        matches!(
            &e,
            lightfm_io::Error::Row {
                problem: RowProblem::EmptyId,
                ..
            }
        ),
        "{e}"
    );
    let e = row_error(b"usr,item,w\na,b,1\n", false);
    assert_eq!(e.code(), "ERR_INVALID_ARG");
    assert!(e.to_string().contains("\"usr\""), "{e}");
}

#[test]
fn skip_invalid_counts_rows_and_keeps_their_ids_out() {
    let f = file("s.csv", b"user,item,w\na,x,1\nbad,y,zz\nb,x\nc,z,2\n");
    let mut o = options(csv(), Some(name("w")), None);
    o.table.read.skip_invalid = true;
    let r = read(&f.path, &o).unwrap();
    assert_eq!(r.skipped, 2);
    assert_eq!(ids(&r.users), ["a", "c"]);
    assert_eq!(ids(&r.items), ["x", "z"]);
}

#[test]
fn missing_file_is_not_found() {
    let e = read(
        std::path::Path::new("/nonexistent/x.csv"),
        &options(csv(), None, None),
    )
    .unwrap_err();
    assert_eq!(e.code(), "ERR_FILE_NOT_FOUND");
}

/// A file of many pieces (several MB), with quoted newlines across piece boundaries: one
/// thread and four give the same result, the ids in file order.
#[test]
fn threads_do_not_change_the_result() {
    let mut text = String::from("user,item,w,ts\n");
    let mut x: u64 = 1;
    for k in 0..400_000u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (x >> 33) % 50_000;
        let i = (x >> 20) % 3_000;
        if k % 1000 == 999 {
            text.push_str(&format!("\"user\n{u}\",\"it,{i}\",{}.5,{k}\n", k % 7));
        } else {
            text.push_str(&format!("user{u},item{i},{},{k}\n", k % 7));
        }
    }
    let f = file("big.csv", text.as_bytes());
    let mut o = options(csv(), Some(name("w")), Some(name("ts")));
    o.table.read.num_threads = 1;
    let one = read(&f.path, &o).unwrap();
    o.table.read.num_threads = 4;
    let four = read(&f.path, &o).unwrap();
    assert_eq!(one.entries.row.len(), 400_000);
    assert_eq!(ids(&one.users), ids(&four.users));
    assert_eq!(ids(&one.items), ids(&four.items));
    assert_eq!(one.entries.row, four.entries.row);
    assert_eq!(one.entries.col, four.entries.col);
    assert_eq!(one.entries.weight, four.entries.weight);
    assert_eq!(one.entries.timestamp, (0..400_000).collect::<Vec<i64>>());
    // First-seen order: the first row's user is user 0.
    let first_user = text.lines().nth(1).unwrap().split(',').next().unwrap();
    assert_eq!(ids(&one.users)[0], first_user);
}

#[test]
fn progress_counts_bytes_and_rows_and_cancel_aborts() {
    let f = file("r.csv", SMALL.as_bytes());
    let p = ReadProgress::new();
    read_interactions(&f.path, &options(csv(), None, None), Default::default(), &p).unwrap();
    let s = p.snapshot();
    assert_eq!(
        (s.total_bytes, s.bytes_read, s.rows),
        (SMALL.len() as u64, SMALL.len() as u64, 3)
    );
    let p = ReadProgress::new();
    p.cancel();
    let e = read_interactions(&f.path, &options(csv(), None, None), Default::default(), &p)
        .unwrap_err();
    assert_eq!(e.code(), "ERR_ABORTED");
}
