//! `export_embeddings`: the dot product of exported user and item vectors is `predict`'s score,
//! for identity and hybrid models, cold rows from features, and subsets of rows.

mod common;

use common::{clustered, random_features};
use lightfm_core::{CsrMatrix, Embeddings, EmbeddingsOptions, Hyperparameters, Loss, Model};

// Past one 8-lane block, so `predict` sums in another order than the plain dot product here.
const D: usize = 20;

/// A WARP model trained for a few epochs on clustered data (optionally with features).
fn trained(users: usize, items: usize, uf: Option<&CsrMatrix>, itf: Option<&CsrMatrix>) -> Model {
    let hyper = Hyperparameters {
        loss: Loss::Warp,
        no_components: D,
        random_state: 7,
        ..Default::default()
    };
    common::fitted(hyper, &clustered(users, items, 8, 4, 3), uf, itf, 3)
}

fn every_row<'a>(uf: Option<&'a CsrMatrix>, itf: Option<&'a CsrMatrix>) -> EmbeddingsOptions<'a> {
    EmbeddingsOptions {
        user_ids: None,
        item_ids: None,
        user_features: uf,
        item_features: itf,
        num_threads: 1,
    }
}

fn export(m: &Model, o: &EmbeddingsOptions) -> Embeddings {
    m.export_embeddings(o).unwrap()
}

fn rows(values: &[f32], dim: usize) -> Vec<&[f32]> {
    values.chunks_exact(dim).collect()
}

/// Every exported user against every exported item: the dot product equals `predict` of the
/// ids the rows were exported for, within 1e-5 relative to the size of the sum's terms. That
/// is the score itself unless its terms cancel: rounding errors scale with the terms, not the
/// result, so a score near 0 can differ by more than 1e-5 of itself (measured on the hybrid
/// model here: at most 3e-7 of the terms; 32 of 11,000 pairs beyond 1e-5 of the score, all
/// scores under 1% of their terms).
fn check_scores(m: &Model, e: &Embeddings, users: &[u32], items: &[u32], o: &EmbeddingsOptions) {
    let (uv, iv) = (rows(&e.users, e.dim), rows(&e.items, e.dim));
    assert_eq!((uv.len(), iv.len()), (users.len(), items.len()));
    let pairs_u: Vec<u32> = users
        .iter()
        .flat_map(|&u| items.iter().map(move |_| u))
        .collect();
    let pairs_i: Vec<u32> = users.iter().flat_map(|_| items.iter().copied()).collect();
    let scores = m
        .predict(&pairs_u, &pairs_i, o.user_features, o.item_features, 1)
        .unwrap();
    for (p, &want) in scores.iter().enumerate() {
        let (u, i) = (uv[p / items.len()], iv[p % items.len()]);
        let got: f32 = u.iter().zip(i).map(|(a, b)| a * b).sum();
        let scale: f32 = u.iter().zip(i).map(|(a, b)| (a * b).abs()).sum();
        let err = (got - want).abs();
        assert!(
            err <= 1e-5 * scale,
            "user {} item {}: dot {got}, predict {want}",
            pairs_u[p],
            pairs_i[p]
        );
    }
}

fn all(n: usize) -> Vec<u32> {
    (0..n as u32).collect()
}

#[test]
fn identity_model_vectors_score_like_predict() {
    let m = trained(60, 90, None, None);
    let o = every_row(None, None);
    let e = export(&m, &o);
    assert_eq!(e.dim, D + 2);
    assert_eq!((e.users.len(), e.items.len()), (60 * (D + 2), 90 * (D + 2)));
    // The folded layout: users end in [b_u, 1], items in [1, b_i].
    for (u, row) in rows(&e.users, e.dim).into_iter().enumerate() {
        assert_eq!(row[D + 1], 1.0, "user {u}");
    }
    for (i, row) in rows(&e.items, e.dim).into_iter().enumerate() {
        assert_eq!(row[D], 1.0, "item {i}");
    }
    let reprs = m.representations(lightfm_core::Side::Item, None).unwrap();
    assert_eq!(&e.items[..D], &reprs.embeddings[..D]);
    assert_eq!(e.items[D + 1], reprs.biases[0]);
    check_scores(&m, &e, &all(60), &all(90), &o);
}

#[test]
fn hybrid_model_exports_trained_and_cold_rows_from_features() {
    let (uf, itf) = (random_features(60, 20, 3, 1), random_features(90, 25, 4, 2));
    let m = trained(60, 90, Some(&uf), Some(&itf));
    // New feature matrices with rows beyond the trained users and items (cold start):
    // 11,000 pairs, 40% of them with a new user, 18% with a new item.
    let (uf_new, itf_new) = (
        random_features(100, 20, 3, 9),
        random_features(110, 25, 4, 8),
    );
    let o = every_row(Some(&uf_new), Some(&itf_new));
    let e = export(&m, &o);
    assert_eq!((e.users.len(), e.items.len()), (100 * e.dim, 110 * e.dim));
    check_scores(&m, &e, &all(100), &all(110), &o);
}

#[test]
fn subsets_are_the_rows_asked_for_in_order() {
    let itf = random_features(90, 25, 4, 2);
    let m = trained(60, 90, None, Some(&itf));
    let itf_new = random_features(100, 25, 4, 5);
    let full = export(&m, &every_row(None, Some(&itf_new)));
    let (users, items) = ([59, 0, 7, 0], [99, 3, 95, 3, 41]);
    let o = EmbeddingsOptions {
        user_ids: Some(&users),
        item_ids: Some(&items),
        ..every_row(None, Some(&itf_new))
    };
    let e = export(&m, &o);
    let (full_u, full_i) = (rows(&full.users, full.dim), rows(&full.items, full.dim));
    assert_eq!(rows(&e.users, e.dim), users.map(|u| full_u[u as usize]));
    assert_eq!(rows(&e.items, e.dim), items.map(|i| full_i[i as usize]));
    check_scores(&m, &e, &users, &items, &o);
}

#[test]
fn an_empty_id_list_skips_that_side_even_without_its_features() {
    let uf = random_features(60, 20, 3, 1);
    let m = trained(60, 90, Some(&uf), None);
    let o = EmbeddingsOptions {
        user_ids: Some(&[]),
        ..every_row(None, None)
    };
    let e = export(&m, &o);
    assert!(e.users.is_empty());
    assert_eq!(e.items, export(&m, &every_row(Some(&uf), None)).items);
    // A matrix that is given is still checked.
    let wrong = random_features(60, 19, 3, 1);
    let given = EmbeddingsOptions {
        user_features: Some(&wrong),
        ..o
    };
    assert_eq!(m.export_embeddings(&given).unwrap_err().code(), "ERR_SHAPE");
}

#[test]
fn threads_give_the_same_vectors() {
    let itf = random_features(300, 25, 4, 2);
    let m = trained(200, 300, None, Some(&itf));
    let one = export(&m, &every_row(None, Some(&itf)));
    let four = export(
        &m,
        &EmbeddingsOptions {
            num_threads: 4,
            ..every_row(None, Some(&itf))
        },
    );
    assert_eq!(one, four);
}

#[test]
fn bad_requests_are_typed_errors() {
    let fresh = Model::new(Hyperparameters::default()).unwrap();
    let err = fresh.export_embeddings(&every_row(None, None)).unwrap_err();
    assert_eq!(err.code(), "ERR_NOT_FITTED");
    assert!(err.to_string().contains("exportEmbeddings()"), "{err}");

    let uf = random_features(60, 20, 3, 1);
    let m = trained(60, 90, Some(&uf), None);
    let err = m.export_embeddings(&every_row(None, None)).unwrap_err();
    assert_eq!(err.code(), "ERR_SHAPE");
    assert!(err.to_string().contains("pass that userFeatures"), "{err}");

    let items = [3, 90];
    let o = EmbeddingsOptions {
        item_ids: Some(&items),
        ..every_row(Some(&uf), None)
    };
    let err = m.export_embeddings(&o).unwrap_err();
    assert_eq!(err.code(), "ERR_INDEX_RANGE");
    let msg = err.to_string();
    assert!(
        msg.contains("90") && msg.contains("pass itemFeatures for new items"),
        "{msg}"
    );

    let users = [60];
    let o = EmbeddingsOptions {
        user_ids: Some(&users),
        ..every_row(Some(&uf), None)
    };
    let msg = m.export_embeddings(&o).unwrap_err().to_string();
    assert!(msg.contains("rows of userFeatures"), "{msg}");

    let o = EmbeddingsOptions {
        num_threads: 0,
        ..every_row(Some(&uf), None)
    };
    assert_eq!(
        m.export_embeddings(&o).unwrap_err().code(),
        "ERR_INVALID_ARG"
    );
}
