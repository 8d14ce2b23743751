//! Approximate top-k over a model's items: an HNSW graph (`graph`, `build`, `search`) over
//! the items' bias-folded vectors (`vectors`), built and searched by inner product. [`ItemIndex::recommend`] and [`ItemIndex::similar_items`] answer
//! with the same [`TopK`](crate::TopK) lists as the exact [`Model::recommend`] and
//! [`Model::similar`], which stay the reference the index is measured against.
//!
//! Inner product is used natively, as the graph's similarity (ip-NSW, Morozov & Babenko,
//! NeurIPS 2018; hnswlib's `ip` space), not through the MIPS-to-L2 transform (one extra
//! coordinate `sqrt(M^2 - |x|^2)`): on the planted 100k-item benchmark model, whose item norms
//! vary as trained models' do, the transform gave recall@10 0.50 at ef 64 and 0.84 at ef 256,
//! inner product 0.98 and 0.99 (same build settings). The transform pushes every item but the
//! longest onto one axis, where the graph cannot tell them apart.
//!
//! Our own module rather than a crate: the index must build on the core's thread rule
//! ([`crate::parallel`]), allocate through [`crate::alloc`], filter during the search (so
//! exclusions cost no recall), save in the core's checksummed file framing, and stay free of
//! `unsafe`; the crates looked at each miss several of these (see the notes in
//! `docs/serving.md`).

mod build;
mod file;
mod fingerprint;
mod graph;
mod query;
mod search;
mod vectors;

use std::sync::atomic::AtomicBool;

use crate::embeddings::{folded, folded_width};
use crate::error::{Error, Result};
use crate::model::{Model, Side};
use crate::parallel;
use crate::predict::side_features;
use crate::sparse::CsrMatrix;

pub use query::IndexQuery;

use graph::Graph;
use vectors::Vectors;

/// Default neighbours per node (twice as many on the bottom layer).
pub const DEFAULT_M: usize = 16;
/// Default breadth of the build's searches.
pub const DEFAULT_EF_CONSTRUCTION: usize = 128;
/// Default breadth of a query's search (raised to `k` when `k` is larger).
pub const DEFAULT_EF: usize = 96;
/// Largest `m`: lists beyond this only cost memory.
pub const MAX_M: usize = 256;
/// Largest `ef` and `efConstruction`.
pub const MAX_EF: usize = 1 << 16;

/// How [`ItemIndex::build`] builds.
#[derive(Debug, Clone, Copy)]
pub struct IndexOptions<'a> {
    /// Neighbours per node on the upper layers (`2m` on the bottom one): more costs memory
    /// and build time and gives recall.
    pub m: usize,
    /// Candidates considered when linking a node: more costs build time, gives recall.
    pub ef_construction: usize,
    /// The queries' default search breadth (each query may ask for another).
    pub ef: usize,
    /// `items x item features`; identity when `None`. The index holds one vector per row.
    pub item_features: Option<&'a CsrMatrix>,
    pub num_threads: usize,
}

impl Default for IndexOptions<'_> {
    fn default() -> Self {
        IndexOptions {
            m: DEFAULT_M,
            ef_construction: DEFAULT_EF_CONSTRUCTION,
            ef: DEFAULT_EF,
            item_features: None,
            num_threads: 1,
        }
    }
}

/// An approximate top-k index over the items of one model.
#[derive(Debug)]
pub struct ItemIndex {
    /// Components of the model (`dim = d + 2`).
    d: usize,
    vectors: Vectors,
    graph: Graph,
    /// `1 / |e_i|` per item (0 for a zero embedding): the cosine of `similar_items`.
    inv_norms: Vec<f32>,
    ef: usize,
    ef_construction: usize,
    fingerprint: u64,
}

/// An index's inputs, copied from the model: building then needs no access to the model
/// (so a binding can build on another thread while the model stays usable).
#[derive(Debug)]
pub struct Prepared {
    d: usize,
    vectors: Vectors,
    m: usize,
    ef_construction: usize,
    ef: usize,
    fingerprint: u64,
}

fn check_range(name: &str, v: usize, max: usize) -> Result<()> {
    if v == 0 || v > max {
        return Err(Error::invalid(format!(
            "buildIndex(): {name} must be an integer in 1..={max}, got {v}"
        )));
    }
    Ok(())
}

impl ItemIndex {
    /// Builds the index of `model`'s items (see [`ItemIndex::prepare`]); `cancel` stops it
    /// with `ERR_ABORTED`.
    pub fn build(model: &Model, o: &IndexOptions, cancel: &AtomicBool) -> Result<Self> {
        Self::prepare(model, o)?.build(o.num_threads, cancel)
    }

    /// Checks the options and copies the items' vectors out of `model`.
    pub fn prepare(model: &Model, o: &IndexOptions) -> Result<Prepared> {
        const ACTION: &str = "buildIndex()";
        let params = model.params(ACTION)?;
        parallel::check_threads(o.num_threads)?;
        if o.m < 2 || o.m > MAX_M {
            return Err(Error::invalid(format!(
                "{ACTION}: m must be an integer in 2..={MAX_M}, got {}",
                o.m
            )));
        }
        check_range("efConstruction", o.ef_construction, MAX_EF)?;
        check_range("ef", o.ef, MAX_EF)?;
        let features = side_features(model, Side::Item, o.item_features)?;
        if features.rows() == 0 {
            return Err(Error::invalid(format!(
                "{ACTION}: there are no items to index (itemFeatures has no rows)"
            )));
        }
        let d = model.d();
        let folded = folded(
            &params.item,
            &features,
            None,
            (d, Side::Item),
            o.num_threads,
        )?;
        Ok(Prepared {
            d,
            vectors: Vectors::new(&folded, folded_width(d))?,
            m: o.m,
            ef_construction: o.ef_construction,
            ef: o.ef,
            fingerprint: fingerprint::fingerprint(model, ACTION)?,
        })
    }

    /// Items indexed.
    pub fn items(&self) -> usize {
        self.vectors.rows()
    }

    /// Floats per item vector: the model's `noComponents + 2`.
    pub fn dim(&self) -> usize {
        self.vectors.dim
    }

    pub fn m(&self) -> usize {
        self.graph.m
    }

    pub fn ef(&self) -> usize {
        self.ef
    }

    pub fn ef_construction(&self) -> usize {
        self.ef_construction
    }

    /// Bytes of memory the index holds.
    pub fn bytes(&self) -> usize {
        self.vectors.values.len() * 4 + self.graph.bytes() + self.inv_norms.len() * 4
    }

    /// `ERR_INVALID_ARG` unless `model` is the model this index was built from.
    pub fn check_model(&self, model: &Model, action: &str) -> Result<()> {
        fingerprint::check(model, self.fingerprint, action)
    }

    fn assemble(
        d: usize,
        vectors: Vectors,
        graph: Graph,
        (ef, ef_construction): (usize, usize),
        fingerprint: u64,
    ) -> Result<Self> {
        let mut inv_norms = crate::alloc::with_capacity("index norms", vectors.rows())?;
        inv_norms.extend(
            (0..vectors.rows() as u32).map(|i| crate::similar::inverse_norm(&vectors.row(i)[..d])),
        );
        Ok(ItemIndex {
            d,
            vectors,
            graph,
            inv_norms,
            ef,
            ef_construction,
            fingerprint,
        })
    }
}

impl Prepared {
    /// Builds the graph on `threads` threads; `cancel` stops it with `ERR_ABORTED`.
    pub fn build(self, threads: usize, cancel: &AtomicBool) -> Result<ItemIndex> {
        parallel::check_threads(threads)?;
        let graph = build::build(&self.vectors, self.m, self.ef_construction, threads, cancel)?;
        ItemIndex::assemble(
            self.d,
            self.vectors,
            graph,
            (self.ef, self.ef_construction),
            self.fingerprint,
        )
    }
}
