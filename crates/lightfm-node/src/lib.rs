//! Node.js binding of `lightfm-core`. Every function converts its arguments, calls the core
//! and maps the error; there is no logic here.

/// Large buffers (copies of the data, per-fit lookups) go straight back to the OS when freed.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: lightfm_alloc::LargeBlocksToOs = lightfm_alloc::LargeBlocksToOs;

mod background;
mod convert;
mod embeddings;
mod errors;
mod index;
mod io;
mod memory;
mod metrics;
mod model;
mod options;
mod progress;
mod read;
mod serving;
mod shutdown;
mod sparse;
mod write;
