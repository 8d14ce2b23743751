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

/// Runs `f`, turning a panic into an `ERR_INTERNAL` error instead of aborting Node.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, CoreError>) -> napi::Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(to_napi),
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
