//! Parquet: the footer on the calling thread, then row groups decoded on worker threads (only
//! the columns asked for) and merged in file order.

use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;

use crate::chunk::Chunk;
use crate::columns::{Layout, Plan, Resolved};
use crate::error::{Error, Location, Result, RowProblem};
use crate::interner::KeyKind;
use crate::pipeline::ordered;
use crate::progress::ReadProgress;
use crate::table::Table;
use crate::values;
use crate::wide::{Kind, RowFeatures, WideResolved};
use crate::ReadOptions;

/// Rows decoded at a time within a row group.
const BATCH: usize = 64 * 1024;

fn corrupt(file: &Path, detail: impl std::fmt::Display) -> Error {
    Error::Corrupt {
        file: file.to_path_buf(),
        format: "Parquet",
        detail: detail.to_string(),
    }
}

/// Reads the rows of a Parquet file into `table`.
pub fn read(
    file: &Path,
    layout: Layout<'_>,
    options: &ReadOptions,
    table: &mut Table,
    progress: &ReadProgress,
) -> Result<()> {
    let f = File::open(file).map_err(|e| Error::io(file, &e))?;
    let len = f.metadata().map_err(|e| Error::io(file, &e))?.len();
    progress.begin(len);
    if len == 0 {
        return Err(Error::Empty {
            file: file.to_path_buf(),
        });
    }
    let meta =
        ArrowReaderMetadata::load(&f, ArrowReaderOptions::new()).map_err(|e| corrupt(file, e))?;
    let names: Vec<String> = meta
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let plan = layout.resolve(file, Some(&names), names.len())?;
    let mask = ProjectionMask::roots(meta.parquet_schema(), plan.positions());
    let total_rows = usize::try_from(meta.metadata().file_metadata().num_rows()).unwrap_or(0);
    plan.reserve(table, total_rows)?;
    let groups = meta.metadata().num_row_groups();
    let parse = |group: usize| -> Result<Chunk> {
        let f = File::open(file).map_err(|e| Error::io(file, &e))?;
        let bytes = meta.metadata().row_group(group).compressed_size().max(0) as u64;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(f, meta.clone())
            .with_projection(mask.clone())
            .with_row_groups(vec![group])
            .with_batch_size(BATCH)
            .build()
            .map_err(|e| corrupt(file, format!("row group {group}: {e}")))?;
        let group_rows = meta.metadata().row_group(group).num_rows();
        let mut chunk = Chunk::with_capacity(bytes, usize::try_from(group_rows).unwrap_or(0));
        let mut row0 = 0;
        for batch in reader {
            if progress.is_cancelled() {
                break;
            }
            let batch = batch.map_err(|e| corrupt(file, format!("row group {group}: {e}")))?;
            let at = |row| Location::Row {
                group,
                row: row0 + row,
            };
            let b = Batch {
                batch: &batch,
                names: &names,
                file,
            };
            let go_on = match &plan {
                Plan::Long(cols) => rows(&mut chunk, &b, cols, options.skip_invalid, at)?,
                Plan::Wide(cols) => wide_rows(&mut chunk, &b, cols, options.skip_invalid, at)?,
            };
            row0 += batch.num_rows();
            if !go_on {
                break;
            }
        }
        Ok(chunk)
    };
    ordered(
        options.num_threads,
        |send: &dyn Fn(usize) -> bool| {
            for g in 0..groups {
                if progress.is_cancelled() || !send(g) {
                    break;
                }
            }
            Ok(())
        },
        parse,
        |chunk: Chunk| {
            if progress.is_cancelled() {
                return Err(Error::Aborted {
                    file: file.to_path_buf(),
                });
            }
            if let Some(e) = chunk.error.clone() {
                return Err(e);
            }
            table.merge(chunk, progress)
        },
    )?;
    Ok(())
}

/// A decoded batch of rows, with the file's column names.
struct Batch<'a> {
    batch: &'a RecordBatch,
    names: &'a [String],
    file: &'a Path,
}

impl Batch<'_> {
    fn column(&self, i: usize) -> Result<&ArrayRef> {
        self.batch.column_by_name(&self.names[i]).ok_or_else(|| {
            corrupt(
                self.file,
                format!("column {:?} is missing from a row group", self.names[i]),
            )
        })
    }

    /// The id (or categorical) column at position `i`.
    fn keys(&self, i: usize, kind: KeysOf) -> Result<Keys<'_>> {
        Keys::new(self.column(i)?.as_ref(), self.file, &self.names[i], kind)
    }

    /// Records `problem` of column `c` in `row`; returns whether to go on.
    fn reject(
        &self,
        chunk: &mut Chunk,
        at: Location,
        c: usize,
        problem: RowProblem,
        skip_invalid: bool,
    ) -> bool {
        let e = Error::Row {
            file: self.file.to_path_buf(),
            at,
            column: format!("{:?}", self.names[c]),
            problem,
        };
        chunk.reject(e, skip_invalid)
    }
}

/// Adds the rows of one batch; returns whether to go on (false after an error when not skipping).
fn rows(
    chunk: &mut Chunk,
    b: &Batch<'_>,
    cols: &Resolved,
    skip_invalid: bool,
    at: impl Fn(usize) -> Location,
) -> Result<bool> {
    let keys = [
        b.keys(cols.keys[0], KeysOf::Ids)?,
        b.keys(cols.keys[1], KeysOf::Ids)?,
    ];
    let weights = cols
        .weight
        .map(|c| {
            b.column(c)
                .and_then(|a| weights(a.as_ref(), b.file, &b.names[c]))
        })
        .transpose()?;
    let times = cols
        .timestamp
        .map(|c| {
            b.column(c)
                .and_then(|a| seconds(a.as_ref(), b.file, &b.names[c]))
        })
        .transpose()?;
    let mut bufs = [Vec::new(), Vec::new()];
    for row in 0..b.batch.num_rows() {
        let w = weights.as_ref().map(|w| w.get(row));
        let t = times.as_ref().map(|t| t.get(row));
        match cells(row, &keys, &mut bufs, w, t, cols) {
            Ok((ids, w, t)) => chunk.push(ids, w, t),
            Err((c, problem)) => {
                if !b.reject(chunk, at(row), c, problem, skip_invalid) {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// An attribute column of one batch.
enum Attribute<'a> {
    Categorical(Keys<'a>),
    Numeric(Vec<Option<f64>>),
}

/// Adds the rows of one batch of a wide table, as [`rows`].
fn wide_rows(
    chunk: &mut Chunk,
    b: &Batch<'_>,
    cols: &WideResolved,
    skip_invalid: bool,
    at: impl Fn(usize) -> Location,
) -> Result<bool> {
    let ids = b.keys(cols.id, KeysOf::Ids)?;
    let columns = cols
        .attributes
        .iter()
        .map(|a| {
            Ok(match a.kind {
                Kind::Categorical => {
                    Attribute::Categorical(b.keys(a.position, KeysOf::Categories)?)
                }
                Kind::Numeric => Attribute::Numeric(numbers(
                    b.column(a.position)?.as_ref(),
                    b.file,
                    &b.names[a.position],
                    "a numeric column",
                )?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let (mut id_buf, mut buf) = (Vec::new(), Vec::new());
    let mut features = RowFeatures::default();
    for row in 0..b.batch.num_rows() {
        let id = ids.get(row, &mut id_buf).map_err(|p| (cols.id, p));
        match id.and_then(|id| {
            attribute_cells(row, cols, &columns, &mut features, &mut buf).map(|()| id)
        }) {
            Ok(id) => features.commit(chunk, id),
            Err((c, problem)) => {
                if !b.reject(chunk, at(row), c, problem, skip_invalid) {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// The features of `row`'s attribute cells, or the column (position) and problem of its first
/// bad cell.
fn attribute_cells(
    row: usize,
    cols: &WideResolved,
    columns: &[Attribute<'_>],
    features: &mut RowFeatures,
    buf: &mut Vec<u8>,
) -> std::result::Result<(), (usize, RowProblem)> {
    features.clear();
    for (a, column) in cols.attributes.iter().zip(columns) {
        let added = match column {
            Attribute::Categorical(keys) => match keys.get(row, buf) {
                Ok((_, value)) => features.categorical(&a.name, value, cols.separator),
                // A null or empty cell: no feature.
                Err(_) => Ok(()),
            },
            Attribute::Numeric(v) => v[row].map_or(Ok(()), |x| features.numeric(&a.name, x)),
        };
        added.map_err(|p| (a.position, p))?;
    }
    Ok(())
}

type Cell<'k> = (KeyKind, &'k [u8]);

/// One row's ids, weight and timestamp.
type RowValues<'k> = ([Cell<'k>; 2], Option<f32>, Option<i64>);

/// The values of one row, or the column (position) and problem of its first bad cell.
fn cells<'k>(
    row: usize,
    keys: &'k [Keys<'_>; 2],
    bufs: &'k mut [Vec<u8>; 2],
    weight: Option<std::result::Result<f32, RowProblem>>,
    time: Option<std::result::Result<i64, RowProblem>>,
    cols: &Resolved,
) -> std::result::Result<RowValues<'k>, (usize, RowProblem)> {
    let weight = match (weight, cols.weight) {
        (Some(w), Some(c)) => Some(w.map_err(|p| (c, p))?),
        _ => None,
    };
    let time = match (time, cols.timestamp) {
        (Some(t), Some(c)) => Some(t.map_err(|p| (c, p))?),
        _ => None,
    };
    let [b0, b1] = bufs;
    let k0 = keys[0].get(row, b0).map_err(|p| (cols.keys[0], p))?;
    let k1 = keys[1].get(row, b1).map_err(|p| (cols.keys[1], p))?;
    Ok(([k0, k1], weight, time))
}

/// What a [`Keys`] column holds: ids (strings or integers), or categories (also booleans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeysOf {
    Ids,
    Categories,
}

/// An id (or categorical) column of one batch.
enum Keys<'a> {
    Boolean(&'a arrow_array::BooleanArray),
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    Integer(Vec<Option<i128>>),
    Dictionary {
        array: &'a dyn Array,
        keys: Vec<usize>,
        values: Box<Keys<'a>>,
    },
}

impl<'a> Keys<'a> {
    fn new(a: &'a dyn Array, file: &Path, name: &str, of: KeysOf) -> Result<Self> {
        Ok(match a.data_type() {
            DataType::Boolean if of == KeysOf::Categories => Keys::Boolean(a.as_boolean()),
            DataType::Utf8 => Keys::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Keys::LargeUtf8(a.as_string::<i64>()),
            DataType::Utf8View => Keys::View(a.as_string_view()),
            DataType::Dictionary(_, _) => {
                let d = a.as_any_dictionary();
                Keys::Dictionary {
                    array: a,
                    keys: d.normalized_keys(),
                    values: Box::new(Keys::new(d.values().as_ref(), file, name, of)?),
                }
            }
            _ => match integers(a) {
                Some(v) => Keys::Integer(v),
                None => {
                    let must = match of {
                        KeysOf::Ids => "ids must be strings or integers",
                        KeysOf::Categories => {
                            "categorical columns must hold strings, integers or booleans"
                        }
                    };
                    return Err(Error::InvalidArg(format!(
                        "{}: column {name:?} holds {} values; {must}",
                        file.display(),
                        a.data_type()
                    )));
                }
            },
        })
    }

    /// The id of `row` (its text, or an integer written into `buf`).
    fn get<'b>(
        &'b self,
        row: usize,
        buf: &'b mut Vec<u8>,
    ) -> std::result::Result<(KeyKind, &'b [u8]), RowProblem> {
        let null = RowProblem::EmptyId;
        let text = |s: Option<&'b str>| -> std::result::Result<(KeyKind, &'b [u8]), RowProblem> {
            match s {
                Some(s) if !s.is_empty() => Ok((KeyKind::Text, s.as_bytes())),
                _ => Err(RowProblem::EmptyId),
            }
        };
        match self {
            Keys::Utf8(a) => text(a.is_valid(row).then(|| a.value(row))),
            Keys::LargeUtf8(a) => text(a.is_valid(row).then(|| a.value(row))),
            Keys::View(a) => text(a.is_valid(row).then(|| a.value(row))),
            Keys::Boolean(a) => {
                let b = a.is_valid(row).then(|| a.value(row)).ok_or(null)?;
                Ok((KeyKind::Text, if b { &b"true"[..] } else { &b"false"[..] }))
            }
            Keys::Integer(v) => {
                let n = v[row].ok_or(null)?;
                buf.clear();
                // Written into the reused buffer: no allocation per row.
                let _ = std::io::Write::write_fmt(buf, format_args!("{n}"));
                Ok((KeyKind::Integer, buf.as_slice()))
            }
            Keys::Dictionary {
                array,
                keys,
                values,
            } => {
                if array.is_null(row) {
                    return Err(null);
                }
                values.get(keys[row], buf)
            }
        }
    }
}

macro_rules! primitive_as {
    ($a:expr, $to:ty, $($t:ty),*) => {
        match $a.data_type() {
            $(dt if dt == &<$t as arrow_array::types::ArrowPrimitiveType>::DATA_TYPE => Some(
                $a.as_primitive::<$t>().iter().map(|v| v.map(|x| x as $to)).collect::<Vec<_>>()
            ),)*
            _ => None,
        }
    };
}

fn integers(a: &dyn Array) -> Option<Vec<Option<i128>>> {
    primitive_as!(
        a, i128, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type,
        UInt64Type
    )
}

/// A numeric column of one batch: each row's value, and the problem of each row without one
/// (kept apart, so the values are a plain array).
struct Cells<T> {
    values: Vec<T>,
    bad: std::collections::BTreeMap<usize, RowProblem>,
}

impl<T: Copy + Default> FromIterator<std::result::Result<T, RowProblem>> for Cells<T> {
    fn from_iter<I: IntoIterator<Item = std::result::Result<T, RowProblem>>>(cells: I) -> Self {
        let cells = cells.into_iter();
        let mut out = Cells {
            values: Vec::with_capacity(cells.size_hint().0),
            bad: Default::default(),
        };
        for (row, cell) in cells.enumerate() {
            out.values.push(cell.unwrap_or_else(|p| {
                out.bad.insert(row, p);
                T::default()
            }));
        }
        out
    }
}

impl<T: Copy> Cells<T> {
    fn get(&self, row: usize) -> std::result::Result<T, RowProblem> {
        match self.bad.get(&row) {
            Some(p) => Err(p.clone()),
            None => Ok(self.values[row]),
        }
    }
}

/// The numbers of a numeric column (`what` names it in the error for another type).
fn numbers(a: &dyn Array, file: &Path, name: &str, what: &str) -> Result<Vec<Option<f64>>> {
    primitive_as!(
        a,
        f64,
        Float32Type,
        Float64Type,
        Int8Type,
        Int16Type,
        Int32Type,
        Int64Type,
        UInt8Type,
        UInt16Type,
        UInt32Type,
        UInt64Type
    )
    .ok_or_else(|| {
        Error::InvalidArg(format!(
            "{}: {what} {name:?} holds {} values; it must be numeric",
            file.display(),
            a.data_type()
        ))
    })
}

fn weights(a: &dyn Array, file: &Path, name: &str) -> Result<Cells<f32>> {
    Ok(numbers(a, file, name, "the weight column")?
        .into_iter()
        .map(|v| {
            let v = v.ok_or(RowProblem::Null { what: "the weight" })?;
            values::finite(v as f32, || v.to_string())
        })
        .collect())
}

fn seconds(a: &dyn Array, file: &Path, name: &str) -> Result<Cells<i64>> {
    let scaled = |v: Option<Vec<Option<i128>>>, per_second: i128| {
        v.map(|v| {
            v.into_iter()
                .map(|x| x.map(|x| x.div_euclid(per_second)))
                .collect::<Vec<_>>()
        })
    };
    let numbers = match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let text: Vec<Option<String>> = match a.data_type() {
                DataType::Utf8 => a.as_string::<i32>().iter().map(|s| s.map(str::to_string)).collect(),
                DataType::LargeUtf8 => a.as_string::<i64>().iter().map(|s| s.map(str::to_string)).collect(),
                _ => a.as_string_view().iter().map(|s| s.map(str::to_string)).collect(),
            };
            return Ok(text
                .into_iter()
                .map(|s| values::timestamp(s.ok_or(RowProblem::Null { what: "the timestamp" })?.as_bytes()))
                .collect());
        }
        DataType::Timestamp(TimeUnit::Second, _) => primitive_as!(a, i128, TimestampSecondType),
        DataType::Timestamp(TimeUnit::Millisecond, _) => scaled(primitive_as!(a, i128, TimestampMillisecondType), 1_000),
        DataType::Timestamp(TimeUnit::Microsecond, _) => scaled(primitive_as!(a, i128, TimestampMicrosecondType), 1_000_000),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => scaled(primitive_as!(a, i128, TimestampNanosecondType), 1_000_000_000),
        DataType::Date32 => primitive_as!(a, i128, Date32Type).map(|v| v.into_iter().map(|d| d.map(|d| d * 86_400)).collect()),
        DataType::Date64 => scaled(primitive_as!(a, i128, Date64Type), 1_000),
        _ => integers(a),
    }
    .ok_or_else(|| Error::InvalidArg(format!("{}: the timestamp column {name:?} holds {} values; it must be integer seconds, a timestamp, a date or ISO-8601 text", file.display(), a.data_type())))?;
    Ok(numbers
        .into_iter()
        .map(|v| {
            v.map(|x| x as i64).ok_or(RowProblem::Null {
                what: "the timestamp",
            })
        })
        .collect())
}
