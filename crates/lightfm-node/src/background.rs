//! Long calls (fit, building an index) on a thread of their own: not libuv's pool, so they
//! never hold up file system work, and a Node environment that shuts down does not wait for
//! them: it sets their cancel flag through its cleanup hook, and the promise is dropped with
//! the environment.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use napi::bindgen_prelude::{Env, Object, ToNapiValue};

use crate::errors::coded;
use crate::shutdown::cancel_on_shutdown;

/// Runs `work` on a new thread named `name` and returns a promise settled on the JavaScript
/// thread with `settle(env, result)`; `cancel` is set if the environment shuts down first.
pub fn on_own_thread<'env, R, T>(
    env: &'env Env,
    name: &str,
    cancel: Arc<AtomicBool>,
    work: impl FnOnce() -> R + Send + 'static,
    settle: impl FnOnce(Env, R) -> napi::Result<T> + Send + 'static,
) -> napi::Result<Object<'env>>
where
    R: Send + 'static,
    T: ToNapiValue + 'static,
{
    let on_shutdown = cancel_on_shutdown(env, cancel)?;
    let (deferred, promise) = env.create_deferred()?;
    let run = move || {
        let result = work();
        deferred.resolve(move |env| {
            on_shutdown.release(&env)?;
            settle(env, result)
        });
    };
    std::thread::Builder::new()
        .name(name.into())
        .spawn(run)
        .map_err(|e| {
            coded(
                "ERR_INTERNAL",
                &format!("could not start the {name} thread: {e}"),
            )
        })?;
    Ok(promise)
}
