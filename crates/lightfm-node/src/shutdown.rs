//! Cancelling running fits when their Node environment shuts down (a worker terminated), so
//! the shutdown does not wait for the whole fit. (`process.exit()` on the main thread runs no
//! environment cleanup; the TypeScript layer cancels on its `exit` event.)
//!
//! napi's cleanup-hook handles are not `Send`, and a fit task moves to a worker thread, so the
//! handles stay in a table on the JavaScript thread that started the fit (each Node
//! environment has its own thread) and the task holds only its key.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::Env;
use napi::CleanupEnvHook;

thread_local! {
    static HOOKS: RefCell<HashMap<u64, CleanupEnvHook<Arc<AtomicBool>>>> = RefCell::new(HashMap::new());
}

/// The key of a registered hook; give it back with [`ShutdownHook::release`] on the same thread.
pub struct ShutdownHook(u64);

/// Sets `cancel` when the environment of `env` shuts down, until released.
pub fn cancel_on_shutdown(env: &Env, cancel: Arc<AtomicBool>) -> napi::Result<ShutdownHook> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let key = NEXT.fetch_add(1, Ordering::Relaxed);
    let hook = env.add_env_cleanup_hook(cancel, |c| c.store(true, Ordering::Relaxed))?;
    HOOKS.with(|h| h.borrow_mut().insert(key, hook));
    Ok(ShutdownHook(key))
}

impl ShutdownHook {
    /// Unregisters the hook (the fit is over).
    pub fn release(self, env: &Env) -> napi::Result<()> {
        match HOOKS.with(|h| h.borrow_mut().remove(&self.0)) {
            Some(hook) => env.remove_env_cleanup_hook(hook),
            None => Ok(()),
        }
    }
}
