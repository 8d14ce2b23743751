//! Reading interactions and features from CSV/TSV and Parquet files (`lightfm_io`), off the
//! event loop.

use std::path::PathBuf;
use std::sync::Arc;

use lightfm_io::{
    read_interactions, read_table, read_wide, Column, CsvFormat, Duplicates, Entries, Format,
    InteractionsOptions, Interner, KeyKind, ReadOptions, ReadProgress, Table, TableColumns,
    TableOptions, WideColumns, WideOptions,
};
use napi::bindgen_prelude::{AsyncTask, Either, Env, Float32Array, Float64Array, Int32Array};
use napi::Task;
use napi_derive::napi;

use crate::errors::{coded, guarded_io};

/// One reading of a read's progress.
#[napi(object)]
pub struct ReadReading {
    pub total_bytes: f64,
    pub bytes_read: f64,
    pub rows: f64,
}

/// Counts a read's bytes and rows; `cancel()` stops it (`lightfm_io::ReadProgress`).
#[napi]
pub struct ReadCounter(Arc<ReadProgress>);

#[napi]
impl ReadCounter {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        ReadCounter(Arc::new(ReadProgress::new()))
    }

    #[napi]
    pub fn read(&self) -> ReadReading {
        let s = self.0.snapshot();
        ReadReading {
            total_bytes: s.total_bytes as f64,
            bytes_read: s.bytes_read as f64,
            rows: s.rows as f64,
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

/// Known ids of one key column: the text of each (numbers as `String(n)`), and which are
/// numbers.
#[napi(object)]
pub struct KnownIds {
    pub ids: Vec<String>,
    pub numeric: Vec<bool>,
}

/// A file and how to read it, as the TypeScript layer passes it (checked there).
#[napi(object)]
pub struct FileArgs {
    pub path: String,
    /// `csv` or `parquet`.
    pub format: String,
    pub delimiter: u32,
    pub header: bool,
    /// The quote character, or none for no quoting.
    pub quote: Option<u32>,
    pub skip_invalid: bool,
    pub num_threads: u32,
}

/// A file of rows with two id columns.
#[napi(object)]
pub struct ReadArgs {
    pub file: FileArgs,
    /// The two id columns (user and item, or id and feature name).
    pub first: Either<String, u32>,
    pub second: Either<String, u32>,
    pub weight: Option<Either<String, u32>>,
    pub timestamp: Option<Either<String, u32>>,
    pub known_first: KnownIds,
    pub known_second: KnownIds,
}

/// A wide file of features: one row per id, one column per attribute (`lightfm_io::wide`).
#[napi(object)]
pub struct WideArgs {
    pub file: FileArgs,
    pub id: Either<String, u32>,
    pub categorical: Vec<Either<String, u32>>,
    pub numeric: Vec<Either<String, u32>>,
    /// One character splitting categorical cells, if any.
    pub separator: Option<String>,
    pub known_ids: KnownIds,
    pub known_features: KnownIds,
}

/// New ids of one key column (after the known ones), and whether they are numbers.
#[napi(object, object_from_js = false)]
pub struct NewIds {
    pub ids: Vec<String>,
    pub numeric: bool,
    /// Known and new ids together.
    pub total: u32,
}

/// The rows of a file: new ids, and each row's indices, weight and timestamp in file order
/// (arrays handed over without a copy).
#[napi(object, object_from_js = false)]
pub struct NativeRows {
    pub first: NewIds,
    pub second: NewIds,
    pub row: Int32Array,
    pub col: Int32Array,
    /// Absent when every weight is 1.
    pub weights: Option<Float32Array>,
    /// Seconds since 1970 (absent without a timestamp column).
    pub timestamps: Option<Float64Array>,
    pub skipped: f64,
}

fn column(c: &Either<String, u32>) -> Column {
    match c {
        Either::A(name) => Column::Name(name.clone()),
        Either::B(i) => Column::Index(*i as usize),
    }
}

fn byte(what: &str, c: u32) -> napi::Result<u8> {
    u8::try_from(c).map_err(|_| {
        coded(
            "ERR_INVALID_ARG",
            &format!("{what} must be a single ASCII character"),
        )
    })
}

fn known(k: &KnownIds) -> lightfm_io::Result<Interner> {
    let mut t = Interner::new();
    t.reserve(k.ids.len())?;
    for (id, &numeric) in k.ids.iter().zip(&k.numeric) {
        let kind = if numeric {
            KeyKind::Integer
        } else {
            KeyKind::Text
        };
        t.intern(kind, id.as_bytes())?;
    }
    Ok(t)
}

fn format(a: &FileArgs) -> napi::Result<Format> {
    Ok(match a.format.as_str() {
        "parquet" => Format::Parquet,
        _ => Format::Csv(CsvFormat {
            delimiter: byte("delimiter", a.delimiter)?,
            header: a.header,
            quote: a.quote.map(|q| byte("quote", q)).transpose()?,
        }),
    })
}

fn read_options(a: &FileArgs) -> ReadOptions {
    ReadOptions {
        skip_invalid: a.skip_invalid,
        num_threads: a.num_threads.max(1) as usize,
    }
}

fn table_options(a: &ReadArgs) -> napi::Result<TableOptions> {
    Ok(TableOptions {
        format: format(&a.file)?,
        columns: TableColumns {
            keys: [column(&a.first), column(&a.second)],
            weight: a.weight.as_ref().map(column),
            timestamp: a.timestamp.as_ref().map(column),
        },
        read: read_options(&a.file),
    })
}

fn wide_options(a: &WideArgs) -> napi::Result<WideOptions> {
    let mut chars = a.separator.as_deref().map(str::chars);
    let separator = match chars.as_mut().map(|c| (c.next(), c.next())) {
        None => None,
        Some((Some(c), None)) => Some(c),
        Some(_) => {
            return Err(coded(
                "ERR_INVALID_ARG",
                "separator must be a single character",
            ))
        }
    };
    Ok(WideOptions {
        format: format(&a.file)?,
        columns: WideColumns {
            id: column(&a.id),
            categorical: a.categorical.iter().map(column).collect(),
            numeric: a.numeric.iter().map(column).collect(),
            separator,
        },
        read: read_options(&a.file),
    })
}

/// Ids from `from` on, as text, and whether they are numbers.
fn new_ids(t: &Interner, from: usize) -> NewIds {
    let numeric = from < t.len() && t.id(from).0 == KeyKind::Integer;
    let ids = (from..t.len())
        .map(|i| String::from_utf8_lossy(t.id(i).1).into_owned())
        .collect();
    NewIds {
        ids,
        numeric,
        total: t.len() as u32,
    }
}

/// What a [`ReadTask`] reads.
enum Read {
    /// Interactions, with their duplicates policy.
    Interactions(TableOptions, Duplicates),
    /// The rows of a long table as they are.
    Rows(TableOptions),
    /// A wide table of features as the rows of the long table it stands for.
    Wide(WideOptions),
}

/// Reads on a worker thread; the file is read by further threads of its own.
pub struct ReadTask {
    path: PathBuf,
    read: Read,
    /// The ids of the dataset being extended (interned on the worker thread).
    known: [KnownIds; 2],
    counter: Arc<ReadProgress>,
}

/// What the worker hands back: the ids, the entries, the skipped rows, the known counts.
pub struct ReadOutput([Interner; 2], Entries, u64, [usize; 2]);

impl Task for ReadTask {
    type Output = ReadOutput;
    type JsValue = NativeRows;

    fn compute(&mut self) -> napi::Result<ReadOutput> {
        let (path, counter) = (&self.path, &self.counter);
        guarded_io(|| {
            let known = [known(&self.known[0])?, known(&self.known[1])?];
            let counts = [known[0].len(), known[1].len()];
            let t: Table = match &self.read {
                Read::Interactions(table, duplicates) => {
                    let options = InteractionsOptions {
                        table: table.clone(),
                        duplicates: *duplicates,
                    };
                    let r = read_interactions(path, &options, known, counter)?;
                    return Ok(ReadOutput([r.users, r.items], r.entries, r.skipped, counts));
                }
                Read::Rows(options) => read_table(path, options, known, counter)?,
                Read::Wide(options) => read_wide(path, options, known, counter)?,
            };
            let [row, col] = t.idx;
            let entries = Entries {
                row,
                col,
                weight: t.weight,
                timestamp: t.timestamp,
            };
            Ok(ReadOutput(t.keys, entries, t.skipped, counts))
        })
    }

    fn resolve(&mut self, _env: Env, out: ReadOutput) -> napi::Result<NativeRows> {
        let ReadOutput([first, second], e, skipped, [k0, k1]) = out;
        // Reinterpreted in place (same sizes); indices fit i32 (at most MAX_DIM ids).
        let indices = |v: Vec<u32>| Int32Array::new(v.into_iter().map(|x| x as i32).collect());
        Ok(NativeRows {
            first: new_ids(&first, k0),
            second: new_ids(&second, k1),
            row: indices(e.row),
            col: indices(e.col),
            weights: (!e.weight.is_empty()).then(|| Float32Array::new(e.weight)),
            timestamps: (!e.timestamp.is_empty())
                .then(|| Float64Array::new(e.timestamp.into_iter().map(|t| t as f64).collect())),
            skipped: skipped as f64,
        })
    }
}

fn task(
    path: &str,
    read: Read,
    known: [KnownIds; 2],
    counter: &ReadCounter,
) -> AsyncTask<ReadTask> {
    AsyncTask::new(ReadTask {
        path: PathBuf::from(path),
        read,
        known,
        counter: counter.0.clone(),
    })
}

/// A read of a long table: interactions with their duplicates policy, or rows as they are.
fn long_task(
    args: ReadArgs,
    duplicates: Option<Duplicates>,
    counter: &ReadCounter,
) -> napi::Result<AsyncTask<ReadTask>> {
    let table = table_options(&args)?;
    let read = match duplicates {
        Some(policy) => Read::Interactions(table, policy),
        None => Read::Rows(table),
    };
    let known = [args.known_first, args.known_second];
    Ok(task(&args.file.path, read, known, counter))
}

/// Reads interactions (`first` users, `second` items) off the event loop; `duplicates` is
/// `keep`, `sum` or `last`.
#[napi(ts_return_type = "Promise<NativeRows>")]
pub fn read_interactions_file(
    args: ReadArgs,
    duplicates: String,
    counter: &ReadCounter,
) -> napi::Result<AsyncTask<ReadTask>> {
    let policy = match duplicates.as_str() {
        "sum" => Duplicates::Sum,
        "last" => Duplicates::Last,
        _ => Duplicates::Keep,
    };
    long_task(args, Some(policy), counter)
}

/// Reads the rows of a file with two id columns (e.g. id and feature name) off the event loop.
#[napi(ts_return_type = "Promise<NativeRows>")]
pub fn read_rows_file(args: ReadArgs, counter: &ReadCounter) -> napi::Result<AsyncTask<ReadTask>> {
    long_task(args, None, counter)
}

/// Reads a wide file of features off the event loop, as the `(id, feature, weight)` rows of
/// the long table it stands for (`first` ids, `second` feature names).
#[napi(ts_return_type = "Promise<NativeRows>")]
pub fn read_wide_file(args: WideArgs, counter: &ReadCounter) -> napi::Result<AsyncTask<ReadTask>> {
    let read = Read::Wide(wide_options(&args)?);
    let known = [args.known_ids, args.known_features];
    Ok(task(&args.file.path, read, known, counter))
}
