//! Errors of reading and writing data files. Each has a stable `code()` (the bindings pass it
//! on unchanged) and says where in which file it happened and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error as ThisError;

/// Where in a file a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A CSV/TSV line, 1-based (a quoted field may span lines: the line the record starts on).
    Line(u64),
    /// A Parquet row: its row group (0-based) and its row within the group (0-based).
    Row { group: usize, row: usize },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(line) => write!(f, "line {line}"),
            Location::Row { group, row } => write!(f, "row group {group}, row {row}"),
        }
    }
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, ThisError)]
pub enum RowProblem {
    #[error("expected {expected} columns, found {found}")]
    ColumnCount { expected: usize, found: usize },
    #[error("{what} {text:?} is not a number")]
    NotANumber { what: &'static str, text: String },
    #[error("the weight {text:?} is not finite (NaN or infinity)")]
    NotFinite { text: String },
    #[error("the value is not valid UTF-8")]
    BadUtf8,
    #[error("the id is empty (or null)")]
    EmptyId,
    #[error("the timestamp {text:?} is neither integer seconds nor an ISO-8601 date-time")]
    BadTimestamp { text: String },
    #[error("{what} is null")]
    Null { what: &'static str },
}

/// Everything that can go wrong reading or writing a data file.
#[derive(Debug, Clone, PartialEq, ThisError)]
pub enum Error {
    /// An argument of the core (an allocation too large, an invalid shape).
    #[error(transparent)]
    Core(#[from] lightfm_core::Error),
    /// An option is invalid (unknown column, bad delimiter, ...).
    #[error("{0}")]
    InvalidArg(String),
    /// The file could not be opened or read.
    #[error("{file}: {message}")]
    Io {
        file: PathBuf,
        message: String,
        not_found: bool,
    },
    /// The file holds no data at all.
    #[error("{file}: the file is empty; expected a header and rows of data")]
    Empty { file: PathBuf },
    /// A named column is not in the file.
    #[error("{file}: no column named {column:?}; the file has {available}")]
    MissingColumn {
        file: PathBuf,
        column: String,
        available: String,
    },
    /// One row is malformed (and `skip_invalid` is off).
    #[error("{file}: {at}, column {column}: {problem}; fix the row or pass skipInvalid to skip such rows")]
    Row {
        file: PathBuf,
        at: Location,
        column: String,
        problem: RowProblem,
    },
    /// The file is not a valid file of its format (a truncated or damaged Parquet file).
    #[error("{file}: {detail}; is it a complete {format} file?")]
    Corrupt {
        file: PathBuf,
        format: &'static str,
        detail: String,
    },
    /// The caller cancelled the read.
    #[error("reading {file} was aborted")]
    Aborted { file: PathBuf },
}

impl Error {
    /// The stable code of this error (`ERR_*`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Core(e) => e.code(),
            Error::InvalidArg(_) | Error::MissingColumn { .. } => "ERR_INVALID_ARG",
            Error::Io {
                not_found: true, ..
            } => "ERR_FILE_NOT_FOUND",
            Error::Io { .. } => "ERR_IO",
            Error::Row {
                problem: RowProblem::NotFinite { .. },
                ..
            } => "ERR_NOT_FINITE",
            Error::Empty { .. } | Error::Row { .. } => "ERR_PARSE",
            Error::Corrupt { .. } => "ERR_CORRUPT_FILE",
            Error::Aborted { .. } => "ERR_ABORTED",
        }
    }

    pub(crate) fn io(file: &Path, e: &std::io::Error) -> Self {
        Error::Io {
            file: file.to_path_buf(),
            message: e.to_string(),
            not_found: e.kind() == std::io::ErrorKind::NotFound,
        }
    }
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;
