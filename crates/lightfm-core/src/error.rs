//! One error type for the whole core. Every variant maps to a stable `code()` that the
//! bindings hand to users unchanged, so callers can branch on it.

use thiserror::Error as ThisError;

/// Everything that can go wrong in `lightfm-core`.
///
/// Messages say what was wrong, what was expected and what to do about it.
#[derive(Debug, Clone, PartialEq, ThisError)]
pub enum Error {
    /// Two inputs disagree in shape, or a matrix does not fit the model.
    #[error("{what}: expected {expected}, got {got}")]
    Shape {
        what: String,
        expected: String,
        got: String,
    },
    /// An id or index is outside the valid range.
    #[error("{what}: index {index} is out of range (must be below {bound})")]
    IndexRange {
        what: String,
        index: i64,
        bound: u64,
    },
    /// A NaN or infinite value where only finite numbers are allowed.
    #[error("{what} contains a non-finite value (NaN or infinity) at position {position}; check the input for NaNs and infinite values")]
    NotFinite { what: String, position: usize },
    /// A method that needs trained parameters was called on a fresh model.
    #[error("the model has not been fitted yet: call fit() before {action}")]
    NotFitted { action: String },
    /// Training produced non-finite parameters.
    #[error("not all parameters are finite after epoch {epoch}: the model diverged. Try a lower learningRate, normalising feature values and sample weights, or the adadelta schedule")]
    Diverged { epoch: u64 },
    /// An option or argument has an invalid value.
    #[error("{0}")]
    InvalidArg(String),
    /// The model is being trained and cannot be used until training ends.
    #[error("the model is busy training; wait for fit() to settle before {0}")]
    Busy(String),
    /// Training was cancelled by the caller.
    #[error("training was aborted after {completed_epochs} complete epoch(s)")]
    Aborted { completed_epochs: u64 },
    /// Work other than training (building an index) was cancelled by the caller.
    #[error("{0} was aborted")]
    Cancelled(String),
    /// A model or index file is damaged, truncated, or of an unknown version.
    #[error("corrupt file: {0}")]
    CorruptFile(String),
    /// A buffer sized by the input (a shape, `k`, a feature count, a file header) cannot be
    /// allocated.
    #[error("{what} would need {bytes} bytes, more memory than this machine can provide; check the sizes you passed (shape, k, noComponents, feature counts) or work in smaller batches")]
    OutOfMemory { what: String, bytes: u128 },
    /// A file's checksum does not match its contents.
    #[error("file checksum mismatch: expected {expected:#010x}, found {found:#010x}; the file is damaged")]
    Checksum { expected: u32, found: u32 },
}

impl Error {
    /// The stable, documented code of this error (`ERR_*`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Shape { .. } => "ERR_SHAPE",
            Error::IndexRange { .. } => "ERR_INDEX_RANGE",
            Error::NotFinite { .. } => "ERR_NOT_FINITE",
            Error::NotFitted { .. } => "ERR_NOT_FITTED",
            Error::Diverged { .. } => "ERR_DIVERGED",
            Error::InvalidArg(_) => "ERR_INVALID_ARG",
            Error::Busy(_) => "ERR_BUSY",
            Error::Aborted { .. } | Error::Cancelled(_) => "ERR_ABORTED",
            Error::CorruptFile(_) => "ERR_CORRUPT_FILE",
            Error::Checksum { .. } => "ERR_CHECKSUM",
            Error::OutOfMemory { .. } => "ERR_OUT_OF_MEMORY",
        }
    }

    pub(crate) fn shape(
        what: impl Into<String>,
        expected: impl ToString,
        got: impl ToString,
    ) -> Self {
        Error::Shape {
            what: what.into(),
            expected: expected.to_string(),
            got: got.to_string(),
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArg(msg.into())
    }
}

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(Error::Diverged { epoch: 3 }.code(), "ERR_DIVERGED");
        assert!(Error::Diverged { epoch: 3 }.to_string().contains("epoch 3"));
        assert_eq!(Error::invalid("x").code(), "ERR_INVALID_ARG");
    }
}
