//! The JSON header: hyperparameters, library version, training progress, table layout and
//! the caller's mappings. Unknown fields are ignored, so a version-1 header may gain fields.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::hyper::{Hyperparameters, LearningSchedule, Loss};
use crate::model::FeatureKind;

/// The JSON header of a model file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// Always `"lightfm-ts"`.
    pub library: String,
    /// Version of the library that wrote the file (informational).
    pub library_version: String,
    pub hyperparameters: HyperHeader,
    /// Epochs trained so far; seeds the random streams of the next epoch.
    pub epochs_done: u64,
    /// The parameter tables; absent for a model that was never fitted.
    pub tables: Option<Tables>,
    /// Opaque JSON supplied by the caller (e.g. a `Dataset`'s id maps), kept verbatim. Absent
    /// when there are none, so that a stored `null` reads back as `null`, not as "none".
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub mappings: Option<Box<RawValue>>,
}

/// A field that is present holds a value, even the value `null` (serde would read it as `None`).
fn present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Box<RawValue>>, D::Error> {
    Box::<RawValue>::deserialize(d).map(Some)
}

/// Hyperparameters under their TypeScript names. `f32` values are stored widened to `f64`,
/// which prints their exact value, so they read back bit-identically.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HyperHeader {
    pub no_components: usize,
    pub k: usize,
    pub n: usize,
    pub learning_schedule: String,
    pub loss: String,
    pub learning_rate: f64,
    pub rho: f64,
    pub epsilon: f64,
    pub item_alpha: f64,
    pub user_alpha: f64,
    pub max_sampled: usize,
    pub random_state: u64,
}

/// Shape and layout of the two parameter tables.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tables {
    /// Always `"f32le"`.
    pub dtype: String,
    /// Floats per block: `noComponents + 1` rounded up to even.
    pub block_len: usize,
    /// Blocks per row: 2 (adagrad) or 3 (adadelta).
    pub blocks: usize,
    /// Rows of the user table (user feature embeddings); stored first.
    pub user_rows: usize,
    /// Rows of the item table (item feature embeddings); stored second.
    pub item_rows: usize,
    /// What the user rows were trained from: `"identity"` or `"matrix"`; absent in files
    /// written before it was recorded (then every call is allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_features: Option<String>,
    /// The same for the item rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_features: Option<String>,
}

/// A side's [`FeatureKind`] as stored in the header (`None`: not recorded).
pub fn kind_name(kind: FeatureKind) -> Option<String> {
    (kind != FeatureKind::Unknown).then(|| kind.name().to_owned())
}

/// A stored kind read back; an unknown name is a damaged header.
pub fn parse_kind(name: Option<&str>) -> Result<FeatureKind> {
    let Some(name) = name else {
        return Ok(FeatureKind::Unknown);
    };
    [FeatureKind::Identity, FeatureKind::Matrix]
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| {
            Error::CorruptFile(format!(
                "the header names feature kind {name:?}; expected \"identity\" or \"matrix\""
            ))
        })
}

impl HyperHeader {
    pub fn new(h: &Hyperparameters) -> Self {
        HyperHeader {
            no_components: h.no_components,
            k: h.k,
            n: h.n,
            learning_schedule: h.learning_schedule.name().into(),
            loss: h.loss.name().into(),
            learning_rate: f64::from(h.learning_rate),
            rho: f64::from(h.rho),
            epsilon: f64::from(h.epsilon),
            item_alpha: f64::from(h.item_alpha),
            user_alpha: f64::from(h.user_alpha),
            max_sampled: h.max_sampled,
            random_state: h.random_state,
        }
    }

    /// The hyperparameters, validated; any problem is a corrupt file.
    pub fn to_hyper(&self) -> Result<Hyperparameters> {
        let corrupt = |e: Error| Error::CorruptFile(format!("header hyperparameters: {e}"));
        let h = Hyperparameters {
            no_components: self.no_components,
            k: self.k,
            n: self.n,
            learning_schedule: LearningSchedule::parse(&self.learning_schedule).map_err(corrupt)?,
            loss: Loss::parse(&self.loss).map_err(corrupt)?,
            learning_rate: self.learning_rate as f32,
            rho: self.rho as f32,
            epsilon: self.epsilon as f32,
            item_alpha: self.item_alpha as f32,
            user_alpha: self.user_alpha as f32,
            max_sampled: self.max_sampled,
            random_state: self.random_state,
        };
        h.validate().map_err(corrupt)?;
        Ok(h)
    }
}
