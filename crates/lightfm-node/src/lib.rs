//! Node.js binding of `lightfm-core`. Every function converts its arguments, calls the core
//! and maps the error; there is no logic here.

mod convert;
mod errors;
mod io;
mod memory;
mod metrics;
mod model;
mod options;
mod serving;
mod sparse;
