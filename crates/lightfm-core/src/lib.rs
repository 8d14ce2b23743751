//! `lightfm-core`: LightFM's hybrid matrix factorisation in pure Rust.
//!
//! Users and items are sums of feature embeddings; training is lock-free parallel SGD
//! (Hogwild) over sound relaxed atomics. Module map:
//!
//! | module | holds |
//! | --- | --- |
//! | [`sparse`] | COO / CSR matrices and their validation |
//! | [`hyper`] | hyperparameters, defaults, validation |
//! | [`model`] | model state, initialisation, parameter export |
//! | [`shared`] | the lock-free parameter storage used by Hogwild |
//! | [`schedule`] | adagrad and adadelta steps |
//! | [`regularize`] | lazy L2 decay |
//! | [`loss`] | logistic, BPR, WARP, k-OS WARP and regression steps |
//! | [`train`] | the epoch driver (threads, chunks, seeds, cancellation) |
//! | `hot_rows` | each worker's copies of the hottest parameter rows during a multi-threaded fit |
//! | [`progress`] | a counter of work done, read by displays on other threads |
//! | [`predict`] | representations, scores and ranks |
//! | [`embeddings`] | users and items as bias-folded vectors (dot product = score) for vector stores |
//! | [`topk`] | batched exact top-k with exclusions and allow-lists (`recommend`) |
//! | [`ann`] | an approximate top-k index over a model's items (HNSW), with the same answers' shapes |
//! | [`similar`] | similar items and users (cosine of embeddings) |
//! | [`resize`] | growing a trained model (new users, items, features) |
//! | [`io`] | the versioned model file format |
//! | [`metrics`] | precision, recall, AUC, reciprocal rank, NDCG, MAP, hit rate, coverage, RMSE, MAE from one pass |
//! | [`alloc`] | allocations sized by input, failing with `ERR_OUT_OF_MEMORY` (also for `lightfm-io`) |
//! | [`error`] | the error type and its stable codes |

#![deny(unsafe_code)]

pub mod alloc;
pub mod ann;
pub mod embeddings;
mod epoch_order;
pub mod error;
pub mod examples;
mod hot_rows;
mod huge_pages;
pub mod hyper;
pub mod io;
mod linalg;
pub mod loss;
pub mod metrics;
pub mod model;
mod parallel;
mod permutation;
mod popularity;
mod positives;
pub mod predict;
pub mod prefetch;
pub mod progress;
pub mod regularize;
pub mod resize;
pub mod rng;
pub mod schedule;
pub mod shared;
pub mod similar;
pub mod sparse;
pub mod topk;
pub mod train;

pub use alloc::check as check_memory;
pub use ann::{IndexOptions, IndexQuery, ItemIndex};
pub use embeddings::{Embeddings, EmbeddingsOptions};
pub use error::{Error, Result};
pub use examples::Examples;
pub use hyper::{Hyperparameters, LearningSchedule, Loss};
pub use model::{FeatureKind, Model, Side, SideState};
pub use parallel::pool_threads;
pub use progress::{Progress, ProgressSnapshot};
pub use sparse::{CooMatrix, CooView, CsrMatrix, CsrView};
pub use topk::{RecommendOptions, TopK, DEFAULT_K};
pub use train::{needs_values, FitOptions, Observer, Quiet, TrainingSet};
