//! A model remembers whether each side was trained on a feature matrix or on the identity,
//! and refuses calls whose features cannot be the trained ones (none, or other columns).

mod common;

use common::{clustered, random_features};
use lightfm_core::io::{decode, encode};
use lightfm_core::{
    CooMatrix, CsrMatrix, FeatureKind, FitOptions, Hyperparameters, Model, Quiet, RecommendOptions,
    Side, TrainingSet,
};

const USERS: usize = 30;
const ITEMS: usize = 40;

fn fitted(uf: Option<&CsrMatrix>, itf: Option<&CsrMatrix>) -> Model {
    let hyper = Hyperparameters {
        no_components: 4,
        random_state: 3,
        ..Default::default()
    };
    common::fitted(hyper, &clustered(USERS, ITEMS, 6, 3, 1), uf, itf, 1)
}

fn recommend(m: &Model, itf: Option<&CsrMatrix>) -> lightfm_core::Result<lightfm_core::TopK> {
    let o = RecommendOptions {
        k: 3,
        exclude: None,
        items: None,
        user_features: None,
        item_features: itf,
        num_threads: 1,
    };
    m.recommend(&[0, 1], &o)
}

/// Every call that scores items from `itf` (the identity when `None`): its error code, if any.
fn item_calls(m: &Model, itf: Option<&CsrMatrix>) -> Vec<Option<&'static str>> {
    let code = |r: Result<(), lightfm_core::Error>| r.err().map(|e| e.code());
    let test = clustered(USERS, ITEMS, 2, 3, 9).to_csr();
    vec![
        code(recommend(m, itf).map(drop)),
        code(m.predict(&[0], &[1], None, itf, 1).map(drop)),
        code(m.predict_rank(&test, None, None, itf, 1, true).map(drop)),
        code(m.similar(Side::Item, &[0], 3, itf, 1).map(drop)),
    ]
}

#[test]
fn a_side_trained_on_a_matrix_refuses_calls_without_it() {
    let itf = random_features(ITEMS, ITEMS + 7, 3, 2);
    let m = fitted(None, Some(&itf));
    assert_eq!(m.feature_kind(Side::Item), FeatureKind::Matrix);
    assert_eq!(m.feature_kind(Side::User), FeatureKind::Identity);
    assert_eq!(item_calls(&m, Some(&itf)), vec![None; 4]);
    assert_eq!(item_calls(&m, None), vec![Some("ERR_SHAPE"); 4]);
    let e = recommend(&m, None).unwrap_err().to_string();
    assert!(e.contains("pass that itemFeatures matrix"), "{e}");
    assert!(e.contains("dataset.buildItemFeatures"), "{e}");
    assert!(
        e.contains(&format!("a matrix of {} columns, got none", ITEMS + 7)),
        "{e}"
    );
    // Fewer columns than trained cannot be the same features either.
    let narrow = random_features(ITEMS, ITEMS, 3, 2);
    assert_eq!(item_calls(&m, Some(&narrow)), vec![Some("ERR_SHAPE"); 4]);
    // Without features, representations are the feature embeddings themselves (LightFM's).
    assert_eq!(m.representations(Side::Item, None).unwrap().rows, ITEMS + 7);
    // More rows than trained are new items (cold start).
    let more_rows = random_features(ITEMS + 5, ITEMS + 7, 3, 4);
    assert_eq!(recommend(&m, Some(&more_rows)).map(drop).err(), None);
}

#[test]
fn fit_partial_needs_the_trained_features_and_fit_relearns_them() {
    let train = clustered(USERS, ITEMS, 6, 3, 1);
    let itf = random_features(ITEMS, ITEMS + 7, 3, 2);
    let mut m = fitted(None, Some(&itf));
    let opts = FitOptions {
        epochs: 1,
        num_threads: 1,
    };
    let e = m
        .fit_partial(TrainingSet::new(&train), opts, &Quiet)
        .unwrap_err();
    assert_eq!(e.code(), "ERR_SHAPE");
    assert!(e.to_string().contains("itemFeatures"), "{e}");
    // `fit` starts again, so it may drop the features; the side is then the identity.
    m.fit(TrainingSet::new(&train), opts, &Quiet).unwrap();
    assert_eq!(m.feature_kind(Side::Item), FeatureKind::Identity);
    assert_eq!(item_calls(&m, None), vec![None; 4]);
}

#[test]
fn an_identity_matrix_counts_as_the_identity() {
    let identity = CsrMatrix::identity(ITEMS).unwrap();
    let m = fitted(None, Some(&identity));
    assert_eq!(m.feature_kind(Side::Item), FeatureKind::Identity);
    assert_eq!(item_calls(&m, None), vec![None; 4]);
    assert_eq!(item_calls(&m, Some(&identity)), vec![None; 4]);
}

#[test]
fn almost_identity_matrices_are_matrices() {
    // Same shape and entry count as the identity, but row 0 holds two entries.
    let two_in_row0 = CooMatrix::new(3, 3, vec![0, 0, 2], vec![0, 1, 2], vec![1.0; 3])
        .unwrap()
        .to_csr();
    assert!(!two_in_row0.is_identity());
    let scaled = CooMatrix::new(2, 2, vec![0, 1], vec![0, 1], vec![1.0, 0.5])
        .unwrap()
        .to_csr();
    assert!(!scaled.is_identity());
    assert!(CsrMatrix::identity(3).unwrap().is_identity());
    assert!(CsrMatrix::identity(0).unwrap().is_identity());
}

#[test]
fn kinds_survive_a_model_file_and_old_files_allow_everything() {
    let uf = random_features(USERS, 9, 2, 5);
    let m = fitted(Some(&uf), None);
    let back = decode(&encode(&m, None).unwrap()).unwrap().model;
    assert_eq!(back.feature_kind(Side::User), FeatureKind::Matrix);
    assert_eq!(back.feature_kind(Side::Item), FeatureKind::Identity);
    assert_eq!(
        back.predict(&[0], &[0], None, None, 1).unwrap_err().code(),
        "ERR_SHAPE"
    );

    // A file from before the kinds were recorded: the fields are absent.
    let legacy = without_kinds(&encode(&m, None).unwrap());
    let old = decode(&legacy).unwrap().model;
    assert_eq!(old.feature_kind(Side::User), FeatureKind::Unknown);
    assert!(old.predict(&[0], &[0], Some(&uf), None, 1).is_ok());
}

/// The same file with the header's feature kinds removed (and the checksum redone).
fn without_kinds(file: &[u8]) -> Vec<u8> {
    let header_len = u64::from_le_bytes(file[12..20].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&file[20..20 + header_len]).unwrap();
    let stripped = header
        .replace(r#","userFeatures":"matrix""#, "")
        .replace(r#","itemFeatures":"identity""#, "");
    assert_ne!(stripped, header, "the header stores the kinds");
    let mut out = file[..12].to_vec();
    out.extend_from_slice(&(stripped.len() as u64).to_le_bytes());
    out.extend_from_slice(stripped.as_bytes());
    out.extend_from_slice(&file[20 + header_len..file.len() - 4]);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}
