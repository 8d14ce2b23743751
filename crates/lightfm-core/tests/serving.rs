//! `recommend`, `similar` and cold start against brute-force references built on `predict`.

mod common;

use common::{clustered, random_features, Lcg};
use lightfm_core::topk::{NO_ITEM, NO_SCORE};
use lightfm_core::{
    CooMatrix, CsrMatrix, FitOptions, Hyperparameters, Loss, Model, Quiet, RecommendOptions, Side,
    TopK, TrainingSet,
};

/// A WARP model trained for a few epochs on clustered data (optionally with features).
fn trained(
    users: usize,
    items: usize,
    d: usize,
    uf: Option<&CsrMatrix>,
    itf: Option<&CsrMatrix>,
) -> (Model, CsrMatrix) {
    let train = clustered(users, items, 8, 4, 3);
    let hyper = Hyperparameters {
        loss: Loss::Warp,
        no_components: d,
        random_state: 5,
        ..Default::default()
    };
    let m = common::fitted(hyper, &train, uf, itf, 3);
    (m, train.to_csr())
}

fn opts(k: usize) -> RecommendOptions<'static> {
    RecommendOptions {
        k,
        exclude: None,
        items: None,
        user_features: None,
        item_features: None,
        num_threads: 1,
    }
}

/// Checks one row of `got` against a brute-force ranking of `candidates` by `predict`
/// scores. Positions may differ only where scores agree to float rounding (the selection
/// uses a matrix product); reported scores must be `predict`'s exactly.
fn check_row(got: &TopK, row: usize, candidates: &[u32], exact: &dyn Fn(u32) -> f32) -> usize {
    let mut brute: Vec<(f32, u32)> = candidates.iter().map(|&i| (exact(i), i)).collect();
    brute.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (ids, scores) = (
        &got.ids[row * got.k..(row + 1) * got.k],
        &got.scores[row * got.k..(row + 1) * got.k],
    );
    let mut differing = 0;
    for j in 0..got.k {
        match brute.get(j) {
            None => {
                assert_eq!((ids[j], scores[j]), (NO_ITEM, NO_SCORE), "padding");
            }
            Some(&(s, i)) => {
                assert!(
                    ids[j] >= 0,
                    "row {row} slot {j} padded with candidates left"
                );
                let id = ids[j] as u32;
                assert!(
                    candidates.contains(&id),
                    "row {row}: {id} is not a candidate"
                );
                assert_eq!(scores[j].to_bits(), exact(id).to_bits(), "score of {id}");
                if id != i {
                    differing += 1;
                    assert!(
                        (scores[j] - s).abs() <= 1e-5 * (1.0 + s.abs()),
                        "row {row} slot {j}: got {id} ({}) instead of {i} ({s})",
                        scores[j]
                    );
                }
            }
        }
        if j > 0 && ids[j] >= 0 {
            let (a, b) = ((scores[j - 1], ids[j - 1]), (scores[j], ids[j]));
            assert!(
                a.0 > b.0 || (a.0 == b.0 && a.1 < b.1),
                "row {row} not ordered"
            );
        }
    }
    let mut unique: Vec<i32> = ids.iter().copied().filter(|&i| i >= 0).collect();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.iter().filter(|&&i| i >= 0).count());
    differing
}

/// `predict` scores of user `u` against items `0..n_items`, in one batched call (each pair
/// is scored independently, so this equals one call per pair).
fn predict_row(
    m: &Model,
    u: u32,
    n_items: u32,
    uf: Option<&CsrMatrix>,
    itf: Option<&CsrMatrix>,
) -> Vec<f32> {
    let items: Vec<u32> = (0..n_items).collect();
    m.predict(&vec![u; items.len()], &items, uf, itf, 1)
        .unwrap()
}

#[test]
fn recommend_matches_brute_force_with_exclusions_and_allow_lists() {
    let (m, train) = trained(150, 400, 24, None, None);
    let users: Vec<u32> = (0..150).collect();
    let mut rng = Lcg(11);
    let allow: Vec<u32> = (0..60).map(|_| rng.below(400)).collect(); // with duplicates
    let mut allowed = allow.clone();
    allowed.sort_unstable();
    allowed.dedup();
    let mut differing = 0;
    for threads in [1, 2] {
        for (k, exclude, items) in [
            (10, false, false),
            (10, true, false),
            (7, true, true),
            (1000, true, false), // k > candidates: capped width, padded rows
            (70, true, true),    // k > allow-list
        ] {
            let o = RecommendOptions {
                exclude: exclude.then(|| train.view()),
                items: items.then_some(&allow[..]),
                num_threads: threads,
                ..opts(k)
            };
            let got = m.recommend(&users, &o).unwrap();
            let universe: Vec<u32> = if items {
                allowed.clone()
            } else {
                (0..400).collect()
            };
            assert_eq!(got.k, k.min(universe.len()));
            assert_eq!(got.ids.len(), users.len() * got.k);
            for (row, &u) in users.iter().enumerate() {
                let cands: Vec<u32> = universe
                    .iter()
                    .copied()
                    .filter(|&i| !(exclude && train.contains(u as usize, i)))
                    .collect();
                let scores = predict_row(&m, u, 400, None, None);
                differing += check_row(&got, row, &cands, &|i| scores[i as usize]);
            }
        }
    }
    // Rounding near-ties are rare; a systematic error would show up everywhere.
    assert!(
        differing <= 5,
        "{differing} positions differ from the brute force"
    );
}

#[test]
fn ties_go_to_the_lower_item_id() {
    // 60 items built from 3 distinct feature rows: every score ties 20 ways.
    let itf = {
        let rows: Vec<u32> = (0..60).collect();
        let cols: Vec<u32> = (0..60).map(|i| i % 3).collect();
        CooMatrix::new(60, 3, rows, cols, vec![1.0; 60])
            .unwrap()
            .to_csr()
    };
    let (m, train) = trained(40, 60, 8, None, Some(&itf));
    let users: Vec<u32> = (0..40).collect();
    let o = RecommendOptions {
        item_features: Some(&itf),
        exclude: Some(train.view()),
        ..opts(25)
    };
    let got = m.recommend(&users, &o).unwrap();
    for (row, &u) in users.iter().enumerate() {
        let cands: Vec<u32> = (0..60)
            .filter(|&i| !train.contains(u as usize, i))
            .collect();
        let scores = predict_row(&m, u, 60, None, Some(&itf));
        let exact = |i: u32| scores[i as usize];
        assert_eq!(
            check_row(&got, row, &cands, &exact),
            0,
            "ties must be exact"
        );
    }
}

#[test]
fn cold_start_users_and_items_score_from_features() {
    let uf = random_features(80, 30, 3, 1);
    let itf = random_features(120, 40, 4, 2);
    let (m, _) = trained(80, 120, 16, Some(&uf), Some(&itf));
    // Ten new users and twenty new items, described only by features.
    let uf_new = random_features(90, 30, 3, 9);
    let itf_new = random_features(140, 40, 4, 8);
    let users: Vec<u32> = (75..90).collect();
    let o = RecommendOptions {
        user_features: Some(&uf_new),
        item_features: Some(&itf_new),
        ..opts(12)
    };
    let got = m.recommend(&users, &o).unwrap();
    let cands: Vec<u32> = (0..140).collect();
    for (row, &u) in users.iter().enumerate() {
        let scores = predict_row(&m, u, 140, Some(&uf_new), Some(&itf_new));
        let exact = |i: u32| scores[i as usize];
        check_row(&got, row, &cands, &exact);
    }
    // The same scores from the representations, computed independently.
    let ur = m.representations(Side::User, Some(&uf_new)).unwrap();
    let ir = m.representations(Side::Item, Some(&itf_new)).unwrap();
    let d = ur.d;
    for (row, &u) in users.iter().enumerate() {
        for j in 0..got.k {
            let i = got.ids[row * got.k + j] as usize;
            let u = u as usize;
            let dot: f64 = (0..d)
                .map(|c| f64::from(ur.embeddings[u * d + c]) * f64::from(ir.embeddings[i * d + c]))
                .sum();
            let want = dot + f64::from(ur.biases[u]) + f64::from(ir.biases[i]);
            assert!((f64::from(got.scores[row * got.k + j]) - want).abs() < 1e-5);
        }
    }
    // Without the features it was trained on, the model refuses and says which to pass.
    let e = m.recommend(&[80], &opts(3)).unwrap_err();
    assert_eq!(e.code(), "ERR_SHAPE");
    assert!(
        e.to_string().contains("pass that userFeatures matrix"),
        "{e}"
    );
}

#[test]
fn recommend_rejects_bad_arguments() {
    let (m, train) = trained(30, 50, 8, None, None);
    let bad = |o: RecommendOptions, users: &[u32]| m.recommend(users, &o).unwrap_err().code();
    assert_eq!(bad(opts(0), &[0]), "ERR_INVALID_ARG");
    assert_eq!(
        bad(
            RecommendOptions {
                num_threads: 0,
                ..opts(3)
            },
            &[0]
        ),
        "ERR_INVALID_ARG"
    );
    assert_eq!(bad(opts(3), &[30]), "ERR_INDEX_RANGE");
    assert_eq!(
        bad(
            RecommendOptions {
                items: Some(&[3, 50]),
                ..opts(3)
            },
            &[0]
        ),
        "ERR_INDEX_RANGE"
    );
    let wide = CsrMatrix::identity(51).unwrap();
    assert_eq!(
        bad(
            RecommendOptions {
                exclude: Some(wide.view()),
                ..opts(3)
            },
            &[0]
        ),
        "ERR_SHAPE"
    );
    let short = CsrMatrix::new(2, 50, vec![0, 0, 0], vec![], vec![]).unwrap();
    assert_eq!(
        bad(
            RecommendOptions {
                exclude: Some(short.view()),
                ..opts(3)
            },
            &[5]
        ),
        "ERR_INDEX_RANGE"
    );
    let fresh = Model::new(Hyperparameters::default()).unwrap();
    assert_eq!(
        fresh.recommend(&[0], &opts(3)).unwrap_err().code(),
        "ERR_NOT_FITTED"
    );
    // Empty inputs are fine; everything excluded gives padded rows.
    assert_eq!(m.recommend(&[], &opts(3)).unwrap().ids.len(), 0);
    let all = CsrMatrix::new(1, 50, vec![0, 50], (0..50).collect(), vec![1.0; 50]).unwrap();
    let got = m
        .recommend(
            &[0],
            &RecommendOptions {
                exclude: Some(all.view()),
                ..opts(3)
            },
        )
        .unwrap();
    assert_eq!(got.ids, vec![NO_ITEM; 3]);
    let _ = train;
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (n(a) * n(b))
}

#[test]
fn similar_items_and_users_match_brute_force_cosine() {
    let itf = random_features(100, 30, 3, 4);
    let (m, _) = trained(60, 100, 12, None, Some(&itf));
    for (side, n, features) in [(Side::Item, 100u32, Some(&itf)), (Side::User, 60, None)] {
        let r = m.representations(side, features).unwrap();
        let d = r.d;
        let emb = |i: u32| &r.embeddings[i as usize * d..(i as usize + 1) * d];
        let ids: Vec<u32> = (0..n).step_by(7).collect();
        for threads in [1, 2] {
            let got = m.similar(side, &ids, 9, features, threads).unwrap();
            assert_eq!(got.k, 9);
            for (row, &q) in ids.iter().enumerate() {
                let row_ids = &got.ids[row * 9..(row + 1) * 9];
                assert!(
                    !row_ids.contains(&(q as i32)),
                    "query {q} is in its own list"
                );
                let mut brute: Vec<(f32, u32)> = (0..n)
                    .filter(|&i| i != q)
                    .map(|i| (cosine(emb(q), emb(i)), i))
                    .collect();
                brute.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                for (j, &(s, _)) in brute.iter().take(9).enumerate() {
                    assert!(
                        (got.scores[row * 9 + j] - s).abs() < 1e-5,
                        "{side:?} {q} slot {j}"
                    );
                }
            }
        }
    }
    let all = m.similar(Side::User, &[0, 1], 1000, None, 1).unwrap();
    assert_eq!(all.k, 59, "k is capped at the other rows");
    assert_eq!(
        m.similar(Side::Item, &[100], 3, Some(&itf), 1)
            .unwrap_err()
            .code(),
        "ERR_INDEX_RANGE"
    );
    assert_eq!(
        m.similar(Side::Item, &[1], 0, Some(&itf), 1)
            .unwrap_err()
            .code(),
        "ERR_INVALID_ARG"
    );
}

#[test]
fn resize_keeps_learned_rows_and_training_continues() {
    let (mut m, _) = trained(50, 80, 8, None, None);
    let users: Vec<u32> = (0..50).flat_map(|u| [u; 80]).collect();
    let items: Vec<u32> = (0..50).flat_map(|_| 0..80).collect();
    let before = m.predict(&users, &items, None, None, 1).unwrap();
    let old_user = m.side_state(Side::User).unwrap();
    m.resize(60, 95).unwrap();
    assert_eq!(m.predict(&users, &items, None, None, 1).unwrap(), before);
    let new_user = m.side_state(Side::User).unwrap();
    assert_eq!(new_user.rows, 60);
    assert_eq!(
        &new_user.embeddings[..old_user.embeddings.len()],
        &old_user.embeddings[..]
    );
    assert_eq!(
        &new_user.embedding_gradients[..old_user.embeddings.len()],
        &old_user.embedding_gradients[..]
    );
    assert!(new_user.embeddings[50 * 8..]
        .iter()
        .all(|v| v.abs() < 0.5 / 8.0));
    // New users and items now train with fit_partial on the bigger matrices.
    let grown = clustered(60, 95, 8, 4, 21);
    let set = TrainingSet::new(&grown);
    let o = FitOptions {
        epochs: 2,
        num_threads: 1,
    };
    m.fit_partial(set, o, &Quiet).unwrap();
    let got = m.recommend(&[55, 59], &opts(5)).unwrap();
    assert!(got.ids.iter().all(|&i| (0..95).contains(&i)));
    assert_eq!(m.resize(59, 95).unwrap_err().code(), "ERR_INVALID_ARG");
}
