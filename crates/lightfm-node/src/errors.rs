//! Core errors and panics become JS errors whose message starts with the stable code,
//! `[ERR_*] message`; the TypeScript layer turns that into a `LightFMError` with `code`.

use lightfm_core::Error as CoreError;

/// Converts a core error into a napi error carrying its code.
pub fn to_napi(e: CoreError) -> napi::Error {
    coded(e.code(), &e.to_string())
}

pub fn coded(code: &str, message: &str) -> napi::Error {
    napi::Error::from_reason(format!("[{code}] {message}"))
}

/// An error with a stable code: the core's, or the file readers' (`lightfm_io`).
trait Coded: std::fmt::Display {
    fn code(&self) -> &'static str;
}

impl Coded for CoreError {
    fn code(&self) -> &'static str {
        CoreError::code(self)
    }
}

impl Coded for lightfm_io::Error {
    fn code(&self) -> &'static str {
        lightfm_io::Error::code(self)
    }
}

/// Runs `f`, turning a panic into an `ERR_INTERNAL` error instead of aborting Node.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, CoreError>) -> napi::Result<T> {
    guard(f)
}

/// [`guarded`] for the file readers and writers (`lightfm_io`).
pub fn guarded_io<T>(f: impl FnOnce() -> Result<T, lightfm_io::Error>) -> napi::Result<T> {
    guard(f)
}

fn guard<T, E: Coded>(f: impl FnOnce() -> Result<T, E>) -> napi::Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(|e| coded(e.code(), &e.to_string())),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(coded(
                "ERR_INTERNAL",
                &format!(
                    "lightfm-ts panicked ({what}); this is a bug in lightfm-ts, please report it"
                ),
            ))
        }
    }
}
