//! CSV and TSV: the header and a row estimate on the calling thread, then pieces of about
//! [`PIECE`] bytes cut at record boundaries ([`crate::boundary`]) and parsed on worker threads.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::boundary::last_record_end;
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

/// How a CSV/TSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvFormat {
    pub delimiter: u8,
    /// Whether the first record names the columns.
    pub header: bool,
    /// The quote character (`None`: quotes are ordinary characters).
    pub quote: Option<u8>,
}

impl Default for CsvFormat {
    fn default() -> Self {
        CsvFormat {
            delimiter: b',',
            header: true,
            quote: Some(b'"'),
        }
    }
}

/// Bytes per piece: large enough that per-piece costs vanish, small enough that a few pieces
/// in flight per thread stay a few tens of megabytes.
const PIECE: usize = 4 << 20;

/// Records sampled after the header to estimate the number of rows.
const SAMPLE: usize = 1000;

fn reader<R: Read>(format: CsvFormat, from: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(format.delimiter)
        .quote(format.quote.unwrap_or(b'"'))
        .quoting(format.quote.is_some())
        .from_reader(from)
}

/// The start of the data: header names, byte offset and line, columns per record, and an
/// estimate of the number of data rows.
struct Start {
    names: Option<Vec<String>>,
    offset: u64,
    line: u64,
    columns: usize,
    rows_estimate: usize,
}

fn start(file: &Path, f: &File, len: u64, format: CsvFormat) -> Result<Start> {
    let csv_err = |e: csv::Error| Error::Corrupt {
        file: file.to_path_buf(),
        format: "CSV",
        detail: e.to_string(),
    };
    let mut r = reader(format, BufReader::new(f));
    let mut first = csv::ByteRecord::new();
    if !r.read_byte_record(&mut first).map_err(csv_err)? {
        return Err(Error::Empty {
            file: file.to_path_buf(),
        });
    }
    let names = format.header.then(|| {
        first
            .iter()
            .map(|n| String::from_utf8_lossy(n).trim().to_string())
            .collect::<Vec<_>>()
    });
    let (offset, line) = match &names {
        Some(_) => (r.position().byte(), r.position().line()),
        None => (0, 1),
    };
    let mut sampled = 0usize;
    let mut record = csv::ByteRecord::new();
    while sampled < SAMPLE && r.read_byte_record(&mut record).map_err(csv_err)? {
        sampled += 1;
    }
    let sampled_bytes = r.position().byte() - offset;
    let rows_estimate = if sampled == 0 || sampled_bytes == 0 {
        0
    } else {
        // 5% over, so that a slightly longer tail does not double the arrays at the end.
        ((len - offset) as f64 / sampled_bytes as f64 * sampled as f64 * 1.05) as usize
    };
    Ok(Start {
        names,
        offset,
        line,
        columns: first.len(),
        rows_estimate,
    })
}

/// Reads the rows of a CSV/TSV file into `table`.
pub fn read(
    file: &Path,
    format: CsvFormat,
    layout: Layout<'_>,
    options: &ReadOptions,
    table: &mut Table,
    progress: &ReadProgress,
) -> Result<()> {
    let mut f = File::open(file).map_err(|e| Error::io(file, &e))?;
    let len = f.metadata().map_err(|e| Error::io(file, &e))?.len();
    progress.begin(len);
    let start = start(file, &f, len, format)?;
    let resolved = layout.resolve(file, start.names.as_deref(), start.columns)?;
    resolved.reserve(table, start.rows_estimate)?;
    progress.add(start.offset, 0);
    f.seek(SeekFrom::Start(start.offset))
        .map_err(|e| Error::io(file, &e))?;
    let mut line = start.line;
    let parse = |piece: Vec<u8>| {
        Ok(parse_piece(
            &piece,
            format,
            &resolved,
            start.columns,
            options.skip_invalid,
        ))
    };
    ordered(
        options.num_threads,
        |send: &dyn Fn(Vec<u8>) -> bool| cut(file, f, format, progress, send),
        parse,
        |(chunk, lines): (Chunk, u64)| {
            if progress.is_cancelled() {
                return Err(Error::Aborted {
                    file: file.to_path_buf(),
                });
            }
            if let Some(e) = chunk.error.clone() {
                return Err(locate(e, file, line));
            }
            line += lines;
            table.merge(chunk, progress)
        },
    )
}

/// Sends the file from its current position in pieces that end at a record boundary.
fn cut(
    file: &Path,
    mut f: File,
    format: CsvFormat,
    progress: &ReadProgress,
    send: &dyn Fn(Vec<u8>) -> bool,
) -> Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    loop {
        if progress.is_cancelled() {
            return Ok(());
        }
        let mut piece = std::mem::take(&mut carry);
        let have = piece.len();
        piece.resize(have + PIECE, 0);
        let n = read_full(&mut f, &mut piece[have..]).map_err(|e| Error::io(file, &e))?;
        piece.truncate(have + n);
        if n == 0 {
            if !piece.is_empty() {
                send(piece);
            }
            return Ok(());
        }
        match last_record_end(&piece, format.quote, format.delimiter) {
            Some(end) => {
                carry = piece[end..].to_vec();
                piece.truncate(end);
                if !send(piece) {
                    return Ok(());
                }
            }
            // One record longer than a piece: read on.
            None => carry = piece,
        }
    }
}

fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Parses one piece; returns its rows and the number of lines it spans.
fn parse_piece(
    piece: &[u8],
    format: CsvFormat,
    plan: &Plan,
    expected: usize,
    skip_invalid: bool,
) -> (Chunk, u64) {
    let lines = memchr::memchr_iter(b'\n', piece).count() as u64;
    let mut chunk = Chunk::with_capacity(piece.len() as u64, lines as usize);
    let mut r = reader(format, piece);
    let mut rec = csv::ByteRecord::new();
    let mut features = RowFeatures::default();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Only I/O errors are possible on a byte slice; kept for completeness.
                chunk.reject(Error::InvalidArg(e.to_string()), false);
                break;
            }
        }
        let line = rec.position().map_or(1, csv::Position::line);
        let added = match plan {
            Plan::Long(cols) => row(&mut chunk, &rec, cols, expected),
            Plan::Wide(cols) => wide_row(&mut chunk, &rec, cols, expected, &mut features),
        };
        if let Err((column, problem)) = added {
            let e = Error::Row {
                file: Default::default(),
                at: Location::Line(line),
                column,
                problem,
            };
            if !chunk.reject(e, skip_invalid) {
                break;
            }
        }
    }
    (chunk, lines)
}

type RowResult = std::result::Result<(), (String, RowProblem)>;

fn column_count(rec: &csv::ByteRecord, expected: usize) -> RowResult {
    if rec.len() == expected {
        return Ok(());
    }
    let problem = RowProblem::ColumnCount {
        expected,
        found: rec.len(),
    };
    Err(("(all)".into(), problem))
}

/// The id in column `c`: non-empty UTF-8 text.
fn id<'r>(
    rec: &'r csv::ByteRecord,
    c: usize,
    shown: &[String],
) -> std::result::Result<(KeyKind, &'r [u8]), (String, RowProblem)> {
    let cell = &rec[c];
    values::text(cell).map_err(|p| (shown[c].clone(), p))?;
    if cell.is_empty() {
        return Err((shown[c].clone(), RowProblem::EmptyId));
    }
    Ok((KeyKind::Text, cell))
}

fn row(chunk: &mut Chunk, rec: &csv::ByteRecord, cols: &Resolved, expected: usize) -> RowResult {
    column_count(rec, expected)?;
    let at = |c: usize| cols.shown[c].clone();
    let weight = match cols.weight {
        Some(c) => Some(values::weight(&rec[c]).map_err(|p| (at(c), p))?),
        None => None,
    };
    let timestamp = match cols.timestamp {
        Some(c) => Some(values::timestamp(&rec[c]).map_err(|p| (at(c), p))?),
        None => None,
    };
    let ids = [
        id(rec, cols.keys[0], &cols.shown)?,
        id(rec, cols.keys[1], &cols.shown)?,
    ];
    chunk.push(ids, weight, timestamp);
    Ok(())
}

/// A row of a wide table: its id and the features of its attribute cells.
fn wide_row(
    chunk: &mut Chunk,
    rec: &csv::ByteRecord,
    cols: &WideResolved,
    expected: usize,
    features: &mut RowFeatures,
) -> RowResult {
    column_count(rec, expected)?;
    let key = id(rec, cols.id, &cols.shown)?;
    features.clear();
    for a in &cols.attributes {
        let cell = &rec[a.position];
        match a.kind {
            Kind::Categorical => features.categorical(&a.name, cell, cols.separator),
            Kind::Numeric => features.numeric_text(&a.name, cell),
        }
        .map_err(|p| (cols.shown[a.position].clone(), p))?;
    }
    features.commit(chunk, key);
    Ok(())
}

/// A piece's error with the file and the line within the file (`first`: the piece's first line).
fn locate(e: Error, file: &Path, first: u64) -> Error {
    match e {
        Error::Row {
            at: Location::Line(l),
            column,
            problem,
            ..
        } => Error::Row {
            file: file.to_path_buf(),
            at: Location::Line(first + l - 1),
            column,
            problem,
        },
        other => other,
    }
}
