//! The approximate index (`ItemIndex`) against the exact calls: recall at the defaults,
//! exclusions and allow-lists, similar items, save and load, corrupt files, determinism and
//! typed errors.

mod common;

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

use common::clustered;
use lightfm_core::{
    CooMatrix, CsrMatrix, Hyperparameters, IndexOptions, IndexQuery, ItemIndex, Loss, Model,
    RecommendOptions, Side, TopK,
};

const USERS: usize = 3000;
const ITEMS: usize = 6000;

/// A WARP model trained on data with planted structure (items in 16 clusters), and the
/// interactions it was trained on.
fn trained() -> (Model, CooMatrix) {
    let hyper = Hyperparameters {
        loss: Loss::Warp,
        no_components: 32,
        random_state: 11,
        ..Default::default()
    };
    let train = clustered(USERS, ITEMS, 12, 16, 5);
    (common::fitted(hyper, &train, None, None, 5), train)
}

fn build(m: &Model, threads: usize) -> ItemIndex {
    let o = IndexOptions {
        num_threads: threads,
        ..Default::default()
    };
    ItemIndex::build(m, &o, &AtomicBool::new(false)).unwrap()
}

fn query(k: usize) -> IndexQuery<'static> {
    IndexQuery {
        k,
        num_threads: 1,
        ..Default::default()
    }
}

fn exact(
    m: &Model,
    users: &[u32],
    k: usize,
    exclude: Option<&CsrMatrix>,
    items: Option<&[u32]>,
) -> TopK {
    let o = RecommendOptions {
        k,
        exclude: exclude.map(CsrMatrix::view),
        items,
        user_features: None,
        item_features: None,
        num_threads: 1,
    };
    m.recommend(users, &o).unwrap()
}

/// Share of the exact rows' items the approximate rows hold.
fn recall(approx: &TopK, exact: &TopK) -> f64 {
    assert_eq!((approx.k, approx.ids.len()), (exact.k, exact.ids.len()));
    let rows = approx.ids.chunks(approx.k).zip(exact.ids.chunks(exact.k));
    let (mut hit, mut total) = (0usize, 0usize);
    for (a, e) in rows {
        let a: HashSet<_> = a.iter().collect();
        hit += e.iter().filter(|id| **id >= 0 && a.contains(id)).count();
        total += e.iter().filter(|id| **id >= 0).count();
    }
    hit as f64 / total as f64
}

fn users(n: usize) -> Vec<u32> {
    (0..n as u32).map(|u| u * 7 % USERS as u32).collect()
}

#[test]
fn recall_at_the_defaults_is_at_least_095_with_exact_scores() {
    let (m, _) = trained();
    let index = build(&m, 1);
    let us = users(500);
    let approx = index.recommend(&m, &us, &query(10)).unwrap();
    let reference = exact(&m, &us, 10, None, None);
    let r = recall(&approx, &reference);
    assert!(r >= 0.95, "recall@10 {r}");
    // Every returned score is predict's score, and rows are ordered as exact rows are.
    for ((row, scores), u) in approx.ids.chunks(10).zip(approx.scores.chunks(10)).zip(&us) {
        let items: Vec<u32> = row.iter().map(|&i| i as u32).collect();
        assert_eq!(m.predict(&[*u; 10], &items, None, None, 1).unwrap(), scores);
        assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    }
}

#[test]
fn a_build_on_two_threads_has_the_same_recall() {
    let (m, _) = trained();
    let index = build(&m, 2);
    let us = users(500);
    let r = recall(
        &index.recommend(&m, &us, &query(10)).unwrap(),
        &exact(&m, &us, 10, None, None),
    );
    assert!(r >= 0.95, "recall@10 {r}");
}

#[test]
fn exclusions_are_never_returned_and_cost_no_recall() {
    let (m, train) = trained();
    let seen = train.to_csr();
    let index = build(&m, 1);
    let us = users(500);
    let o = IndexQuery {
        exclude: Some(seen.view()),
        ..query(10)
    };
    let approx = index.recommend(&m, &us, &o).unwrap();
    for (row, &u) in approx.ids.chunks(10).zip(&us) {
        let (excluded, _) = seen.row(u as usize);
        assert!(row
            .iter()
            .all(|&i| i >= 0 && excluded.binary_search(&(i as u32)).is_err()));
    }
    let r = recall(&approx, &exact(&m, &us, 10, Some(&seen), None));
    assert!(r >= 0.95, "recall@10 with exclusions {r}");
}

#[test]
fn a_user_who_excludes_almost_everything_gets_what_is_left() {
    let (m, _) = trained();
    let index = build(&m, 1);
    // User 0 excludes every item but 3.
    let kept = [17u32, 2500, 5999];
    let cols: Vec<u32> = (0..ITEMS as u32).filter(|i| !kept.contains(i)).collect();
    let n = cols.len();
    let ex = CooMatrix::new(1, ITEMS, vec![0; n], cols, vec![1.0; n])
        .unwrap()
        .to_csr();
    let o = IndexQuery {
        exclude: Some(ex.view()),
        ..query(5)
    };
    let top = index.recommend(&m, &[0], &o).unwrap();
    let mut got: Vec<i32> = top.ids[..3].to_vec();
    got.sort_unstable();
    assert_eq!(got, vec![17, 2500, 5999]);
    assert_eq!(&top.ids[3..], &[-1, -1]);
    assert!(top.scores[3..].iter().all(|s| *s == f32::NEG_INFINITY));
}

#[test]
fn an_allow_list_is_ranked_alone_and_a_small_one_exactly() {
    let (m, _) = trained();
    let index = build(&m, 1);
    let us = users(50);
    let small: Vec<u32> = (0..ITEMS as u32).step_by(40).collect();
    let o = IndexQuery {
        items: Some(&small),
        ..query(10)
    };
    let approx = index.recommend(&m, &us, &o).unwrap();
    assert_eq!(approx, exact(&m, &us, 10, None, Some(&small)));
    let large: Vec<u32> = (0..ITEMS as u32).filter(|i| i % 3 != 0).collect();
    let o = IndexQuery {
        items: Some(&large),
        ..query(10)
    };
    let approx = index.recommend(&m, &us, &o).unwrap();
    assert!(approx.ids.iter().all(|&i| i % 3 != 0));
    assert!(recall(&approx, &exact(&m, &us, 10, None, Some(&large))) >= 0.95);
}

#[test]
fn similar_items_find_the_exact_neighbours() {
    let (m, _) = trained();
    let index = build(&m, 1);
    let ids: Vec<u32> = (0..300u32).map(|i| i * 19 % ITEMS as u32).collect();
    let approx = index.similar_items(&m, &ids, (10, None), 1).unwrap();
    let reference = m.similar(Side::Item, &ids, 10, None, 1).unwrap();
    let r = recall(&approx, &reference);
    assert!(r >= 0.9, "similar items recall@10 {r}");
    for (row, &q) in approx.ids.chunks(10).zip(&ids) {
        assert!(!row.contains(&(q as i32)));
    }
}

#[test]
fn one_thread_builds_the_same_index_every_time_and_it_survives_a_round_trip() {
    let (m, _) = trained();
    let (a, b) = (build(&m, 1), build(&m, 1));
    let bytes = a.encode().unwrap();
    assert_eq!(bytes, b.encode().unwrap());
    let loaded = ItemIndex::decode(&bytes, &m).unwrap();
    assert_eq!(loaded.encode().unwrap(), bytes);
    let us = users(100);
    assert_eq!(
        loaded.recommend(&m, &us, &query(10)).unwrap(),
        a.recommend(&m, &us, &query(10)).unwrap()
    );
    assert_eq!(
        (loaded.items(), loaded.dim(), loaded.m(), loaded.ef()),
        (
            ITEMS,
            34,
            lightfm_core::ann::DEFAULT_M,
            lightfm_core::ann::DEFAULT_EF
        )
    );
}

fn code(e: lightfm_core::Error) -> &'static str {
    e.code()
}

#[test]
fn damaged_files_and_other_models_are_refused() {
    let (m, _) = trained();
    let bytes = build(&m, 1).encode().unwrap();
    let load = |b: &[u8]| ItemIndex::decode(b, &m).map(|_| ()).map_err(code);
    let mut flipped = bytes.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 1;
    assert_eq!(load(&flipped), Err("ERR_CHECKSUM"));
    assert_eq!(load(&bytes[..bytes.len() - 9]), Err("ERR_CORRUPT_FILE"));
    assert_eq!(load(&bytes[..10]), Err("ERR_CORRUPT_FILE"));
    let mut future = bytes.clone();
    future[8] = 2;
    assert_eq!(load(&future), Err("ERR_CORRUPT_FILE"));
    let model_file = lightfm_core::io::encode(&m, None).unwrap();
    let e = ItemIndex::decode(&model_file, &m).unwrap_err();
    assert_eq!(e.code(), "ERR_CORRUPT_FILE");
    assert!(e.to_string().contains("not a lightfm-ts index file"), "{e}");
    // Another model (here: one more epoch) is refused at load and at query time.
    let (mut other, train) = trained();
    let set = lightfm_core::TrainingSet::new(&train);
    other
        .fit_partial(
            set,
            lightfm_core::FitOptions {
                epochs: 1,
                num_threads: 1,
            },
            &lightfm_core::Quiet,
        )
        .unwrap();
    let e = ItemIndex::decode(&bytes, &other).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");
    assert!(e.to_string().contains("built from another model"), "{e}");
    let index = ItemIndex::decode(&bytes, &m).unwrap();
    assert_eq!(
        index.recommend(&other, &[0], &query(5)).map_err(code),
        Err("ERR_INVALID_ARG")
    );
    assert_eq!(
        index
            .similar_items(&other, &[0], (5, None), 1)
            .map_err(code),
        Err("ERR_INVALID_ARG")
    );
}

#[test]
fn bad_requests_are_typed_errors() {
    let (m, _) = trained();
    let stop = AtomicBool::new(false);
    let fresh = Model::new(Hyperparameters::default()).unwrap();
    let build_with = |model: &Model, o: IndexOptions| {
        ItemIndex::build(model, &o, &stop).map(|_| ()).map_err(code)
    };
    assert_eq!(
        build_with(&fresh, IndexOptions::default()),
        Err("ERR_NOT_FITTED")
    );
    for o in [
        IndexOptions {
            m: 1,
            ..Default::default()
        },
        IndexOptions {
            ef_construction: 0,
            ..Default::default()
        },
        IndexOptions {
            ef: 0,
            ..Default::default()
        },
        IndexOptions {
            num_threads: 0,
            ..Default::default()
        },
    ] {
        assert_eq!(build_with(&m, o), Err("ERR_INVALID_ARG"), "{o:?}");
    }
    let cancelled = AtomicBool::new(true);
    let e = ItemIndex::build(&m, &IndexOptions::default(), &cancelled).unwrap_err();
    assert_eq!(e.code(), "ERR_ABORTED");
    let index = build(&m, 1);
    let run =
        |users: &[u32], o: IndexQuery| index.recommend(&m, users, &o).map(|_| ()).map_err(code);
    assert_eq!(run(&[0], query(0)), Err("ERR_INVALID_ARG"));
    assert_eq!(
        run(
            &[0],
            IndexQuery {
                ef: Some(0),
                ..query(5)
            }
        ),
        Err("ERR_INVALID_ARG")
    );
    assert_eq!(run(&[USERS as u32], query(5)), Err("ERR_INDEX_RANGE"));
    assert_eq!(
        run(
            &[0],
            IndexQuery {
                items: Some(&[ITEMS as u32]),
                ..query(5)
            }
        ),
        Err("ERR_INDEX_RANGE")
    );
    let small = CooMatrix::new(1, ITEMS, vec![0], vec![3], vec![1.0])
        .unwrap()
        .to_csr();
    assert_eq!(
        run(
            &[5],
            IndexQuery {
                exclude: Some(small.view()),
                ..query(5)
            }
        ),
        Err("ERR_INDEX_RANGE")
    );
    assert_eq!(
        index
            .similar_items(&m, &[ITEMS as u32], (5, None), 1)
            .map_err(code)
            .err(),
        Some("ERR_INDEX_RANGE")
    );
    // k beyond the catalogue is capped, as in the exact calls.
    assert_eq!(
        index.recommend(&m, &[0], &query(ITEMS + 5)).unwrap().k,
        ITEMS
    );
}
