//! Every metric against a brute-force reference written from the textbook definitions:
//! score every item with `predict`, sort, count. Random models, train exclusion or not,
//! ties, empty rows, one user, one item, `k` beyond the catalogue, 1 and 2 threads.

mod common;

use common::{clustered, Lcg};
use lightfm_core::metrics::{EvalOptions, Evaluation, Evaluator, Metric};
use lightfm_core::{
    CooMatrix, CsrMatrix, FitOptions, Hyperparameters, Loss, Model, Quiet, TrainingSet,
};

/// The reference: one user's value of every metric, from dense scores.
fn reference(scores: &[f32], test: &[u32], values: &[f32], excluded: &[u32], k: usize) -> [f64; 9] {
    let n = scores.len() as u32;
    let candidates: Vec<u32> = (0..n).filter(|i| !excluded.contains(i)).collect();
    let mut sorted: Vec<f32> = candidates.iter().map(|&i| scores[i as usize]).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    // LightFM's position: items ranked at or above, itself left out; ties count against.
    let rank = |t: u32| {
        let st = scores[t as usize];
        sorted.iter().take_while(|&&s| s >= st).count() - usize::from(candidates.contains(&t))
    };
    let ranks: Vec<usize> = test.iter().map(|&t| rank(t)).collect();
    let p = test.len() as f64;
    let hits = ranks.iter().filter(|&&r| r < k).count() as f64;
    let at = |pos: usize| ranks.iter().filter(|&&r| r == pos).count() as f64;
    let at_or_above = |pos: usize| ranks.iter().filter(|&&r| r <= pos).count() as f64;
    let discount = |pos: usize| 1.0 / ((pos + 2) as f64).log2();
    let dcg: f64 = (0..k).map(|pos| at(pos) * discount(pos)).sum();
    let ideal: f64 = (0..k.min(test.len())).map(discount).sum();
    let ap: f64 = (0..k)
        .map(|pos| at(pos) * at_or_above(pos) / (pos + 1) as f64)
        .sum::<f64>()
        / k.min(test.len()) as f64;
    let negatives: Vec<u32> = candidates
        .iter()
        .copied()
        .filter(|i| !test.contains(i))
        .collect();
    let auc = if negatives.is_empty() {
        0.5
    } else {
        let wins: usize = test
            .iter()
            .map(|&t| {
                negatives
                    .iter()
                    .filter(|&&j| scores[t as usize] > scores[j as usize])
                    .count()
            })
            .sum();
        wins as f64 / (p * negatives.len() as f64)
    };
    let errors: Vec<f64> = test
        .iter()
        .zip(values)
        .map(|(&t, &v)| f64::from(scores[t as usize]) - f64::from(v))
        .collect();
    [
        hits / k as f64,
        hits / p,
        auc,
        1.0 / (*ranks.iter().min().unwrap() as f64 + 1.0),
        dcg / ideal,
        ap,
        f64::from(u8::from(hits > 0.0)),
        (errors.iter().map(|e| e * e).sum::<f64>() / p).sqrt(),
        errors.iter().map(|e| e.abs()).sum::<f64>() / p,
    ]
}

const PER_USER: [Metric; 9] = [
    Metric::Precision,
    Metric::Recall,
    Metric::Auc,
    Metric::ReciprocalRank,
    Metric::Ndcg,
    Metric::Map,
    Metric::HitRate,
    Metric::Rmse,
    Metric::Mae,
];

fn fitted(interactions: &CooMatrix, item_features: Option<&CsrMatrix>, loss: Loss) -> Model {
    let mut m = Model::new(Hyperparameters {
        loss,
        no_components: 8,
        random_state: 3,
        ..Default::default()
    })
    .unwrap();
    let set = TrainingSet {
        item_features,
        ..TrainingSet::new(interactions)
    };
    let opts = FitOptions {
        epochs: 3,
        num_threads: 1,
    };
    m.fit(set, opts, &Quiet).unwrap();
    m
}

/// Splits stored entries into train (4 of 5) and test, giving test entries varied values.
fn split(all: &CooMatrix) -> (CsrMatrix, CsrMatrix) {
    let (mut tr, mut te) = ((vec![], vec![], vec![]), (vec![], vec![], vec![]));
    for k in 0..all.nnz() {
        let (r, c) = (all.row()[k], all.col()[k]);
        if k % 5 == 0 {
            te.0.push(r);
            te.1.push(c);
            te.2.push((k % 7) as f32 - 2.0); // negatives and zeros are positives too
        } else {
            tr.0.push(r);
            tr.1.push(c);
            tr.2.push(1.0);
        }
    }
    let (rows, cols) = all.shape();
    let csr = |t: (Vec<u32>, Vec<u32>, Vec<f32>)| {
        CooMatrix::new(rows, cols, t.0, t.1, t.2).unwrap().to_csr()
    };
    (csr(tr), csr(te))
}

fn all_scores(m: &Model, users: usize, items: usize, itf: Option<&CsrMatrix>) -> Vec<Vec<f32>> {
    (0..users as u32)
        .map(|u| {
            let item_ids: Vec<u32> = (0..items as u32).collect();
            m.predict(&vec![u; items], &item_ids, None, itf, 1).unwrap()
        })
        .collect()
}

/// Checks every per-user value and mean, the users listed and the coverage.
fn check(
    m: &Model,
    test: &CsrMatrix,
    train: Option<&CsrMatrix>,
    itf: Option<&CsrMatrix>,
    k: usize,
    preserve_rows: bool,
) {
    let (n_users, n_items) = test.shape();
    let scores = all_scores(m, n_users, n_items, itf);
    let opts = |threads| EvalOptions {
        k,
        preserve_rows,
        num_threads: threads,
        ..EvalOptions::default()
    };
    let got = m.evaluate(test, train, None, itf, &opts(1)).unwrap();
    assert_eq!(got, m.evaluate(test, train, None, itf, &opts(2)).unwrap());
    let expected_users: Vec<u32> = (0..n_users as u32)
        .filter(|&u| preserve_rows || test.row_nnz(u as usize) > 0)
        .collect();
    assert_eq!(got.users, expected_users);
    let mut sums = [0.0f64; 9];
    let mut seen = vec![false; n_items];
    for (row, &u) in got.users.iter().enumerate() {
        let (items, values) = test.row(u as usize);
        let excluded = train.map_or(&[][..], |t| t.row(u as usize).0);
        let want = if items.is_empty() {
            [0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        } else {
            reference(&scores[u as usize], items, values, excluded, k)
        };
        for (c, metric) in PER_USER.iter().enumerate() {
            let v = f64::from(got.column(*metric).unwrap().values[row]);
            let tol = 1e-6 * want[c].abs().max(1.0);
            assert!(
                (v - want[c]).abs() <= tol,
                "user {u} {metric:?} k={k}: got {v}, want {}",
                want[c]
            );
            if !items.is_empty() {
                sums[c] += want[c];
            }
        }
        if !items.is_empty() {
            let mut cand: Vec<u32> = (0..n_items as u32)
                .filter(|i| !excluded.contains(i))
                .collect();
            let s = &scores[u as usize];
            cand.sort_by(|&a, &b| s[b as usize].total_cmp(&s[a as usize]).then(a.cmp(&b)));
            cand.iter().take(k).for_each(|&i| seen[i as usize] = true);
        }
    }
    let evaluated = (0..n_users).filter(|&u| test.row_nnz(u) > 0).count();
    assert_eq!(got.evaluated_users, evaluated);
    for (c, metric) in PER_USER.iter().enumerate() {
        let mean = got.mean(*metric).unwrap();
        assert!(
            (mean - sums[c] / evaluated as f64).abs() < 1e-9,
            "{metric:?} mean"
        );
    }
    let covered = seen.iter().filter(|&&s| s).count() as f64 / n_items as f64;
    assert_eq!(got.catalog_coverage, Some(covered));
}

#[test]
fn random_models_match_the_reference_with_and_without_train() {
    let all = clustered(40, 70, 12, 4, 11);
    let (train, test) = split(&all);
    for loss in [Loss::Warp, Loss::Logistic] {
        let m = fitted(&train.to_coo(), None, loss);
        for k in [1, 5, 10, 100] {
            for preserve_rows in [false, true] {
                check(&m, &test, None, None, k, preserve_rows);
                check(&m, &test, Some(&train), None, k, preserve_rows);
            }
        }
        // The train matrix itself as test data: many items per user.
        check(&m, &train, None, None, 10, false);
    }
}

#[test]
fn ties_are_pessimistic() {
    let all = clustered(30, 60, 10, 3, 5);
    let (train, test) = split(&all);
    // Items sharing a feature share a representation, hence a score: ties everywhere.
    let shared = |groups: u32| {
        let n = 60;
        CsrMatrix::new(
            n,
            groups as usize,
            (0..=n as u32).collect(),
            (0..n as u32).map(|i| i % groups).collect(),
            vec![1.0; n],
        )
        .unwrap()
    };
    for groups in [7, 1] {
        let itf = shared(groups);
        let m = fitted(&train.to_coo(), Some(&itf), Loss::Bpr);
        for k in [1, 3, 10] {
            check(&m, &test, Some(&train), Some(&itf), k, true);
            check(&m, &test, None, Some(&itf), k, false);
        }
        // Many test items per user, so test items tie with each other inside the top k.
        for k in [10, 20] {
            check(&m, &train, None, Some(&itf), k, false);
        }
    }
    // All scores equal: every test item ranks last, precision is 0 (LightFM's test).
    let itf = shared(1);
    let m = fitted(&train.to_coo(), Some(&itf), Loss::Bpr);
    let e = m
        .evaluate(&test, None, None, Some(&itf), &EvalOptions::default())
        .unwrap();
    assert_eq!(e.mean(Metric::Precision), Some(0.0));
    assert_eq!(e.mean(Metric::Auc), Some(0.0));
}

#[test]
fn empty_rows_one_user_one_item() {
    let all = clustered(20, 30, 6, 3, 9);
    let (train, test) = split(&all);
    let m = fitted(&train.to_coo(), None, Loss::Warp);
    // Half the users have no test entries.
    let mut rng = Lcg(4);
    let keep: Vec<usize> = (0..test.nnz()).filter(|_| rng.below(2) == 0).collect();
    let coo = test.to_coo();
    let sparse = CooMatrix::new(
        20,
        30,
        keep.iter()
            .map(|&k| coo.row()[k])
            .filter(|&u| u < 10)
            .collect(),
        keep.iter()
            .filter(|&&k| coo.row()[k] < 10)
            .map(|&k| coo.col()[k])
            .collect(),
        keep.iter()
            .filter(|&&k| coo.row()[k] < 10)
            .map(|&k| coo.value(k))
            .collect(),
    )
    .unwrap()
    .to_csr();
    for preserve_rows in [false, true] {
        check(&m, &sparse, Some(&train), None, 5, preserve_rows);
    }
    // One user: a 1-row test matrix.
    let one = CooMatrix::new(1, 30, vec![0, 0], vec![3, 17], vec![1.0, 1.0])
        .unwrap()
        .to_csr();
    check(&m, &one, None, None, 5, false);
    // No test entries at all: empty output, NaN means.
    let none = CsrMatrix::new(20, 30, vec![0; 21], vec![], vec![]).unwrap();
    let e = m
        .evaluate(&none, None, None, None, &EvalOptions::default())
        .unwrap();
    assert!(e.users.is_empty() && e.mean(Metric::Auc).unwrap().is_nan());
    assert!(e.pooled_rmse.unwrap().is_nan());
    assert_eq!(e.catalog_coverage, Some(0.0));
    // An evaluator snapshots only its own test matrix's users (here 0..10), so a test matrix
    // with entries for others is refused rather than scored with missing representations.
    let evaluator = Evaluator::new(&m, sparse.view(), None, None, 1).unwrap();
    let e = evaluator
        .evaluate(test.view(), None, &EvalOptions::default())
        .unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");

    // One item: no negatives, so AUC is 0.5; the item ranks first.
    let single = CooMatrix::new(4, 1, vec![0, 1, 2], vec![0, 0, 0], vec![1.0; 3]).unwrap();
    let m1 = fitted(&single, None, Loss::Logistic);
    let test1 = CooMatrix::new(4, 1, vec![0, 3], vec![0, 0], vec![1.0; 2])
        .unwrap()
        .to_csr();
    check(&m1, &test1, None, None, 3, true);
    let e = m1
        .evaluate(&test1, None, None, None, &EvalOptions::default())
        .unwrap();
    assert_eq!(e.mean(Metric::Auc), Some(0.5));
    assert_eq!(e.mean(Metric::ReciprocalRank), Some(1.0));
}

#[test]
fn ranks_agree_with_predict_rank() {
    let all = clustered(30, 50, 10, 3, 2);
    let (train, test) = split(&all);
    let m = fitted(&train.to_coo(), None, Loss::Bpr);
    let ranks = m
        .predict_rank(&test, Some(&train), None, None, 2, true)
        .unwrap();
    let e = m
        .evaluate(&test, Some(&train), None, None, &EvalOptions::default())
        .unwrap();
    let precision = &e.column(Metric::Precision).unwrap().values;
    for (row, &u) in e.users.iter().enumerate() {
        let hits = ranks
            .row(u as usize)
            .1
            .iter()
            .filter(|&&r| r < 10.0)
            .count();
        assert_eq!(precision[row], hits as f32 / 10.0);
    }
}

#[test]
fn overlapping_train_and_test() {
    let all = clustered(20, 40, 8, 2, 6);
    let (train, test) = split(&all);
    let m = fitted(&train.to_coo(), None, Loss::Warp);
    let overlapping = all.to_csr();
    let err = m
        .evaluate(
            &overlapping,
            Some(&train),
            None,
            None,
            &EvalOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_ARG");
    let opts = EvalOptions {
        check_intersections: false,
        ..EvalOptions::default()
    };
    m.evaluate(&overlapping, Some(&train), None, None, &opts)
        .unwrap();
    check_unchecked(&m, &overlapping, &train);
    let _ = test;
}

/// `check` with intersections allowed.
fn check_unchecked(m: &Model, test: &CsrMatrix, train: &CsrMatrix) {
    let scores = all_scores(m, test.rows(), test.cols(), None);
    let opts = EvalOptions {
        check_intersections: false,
        k: 5,
        ..EvalOptions::default()
    };
    let e = m.evaluate(test, Some(train), None, None, &opts).unwrap();
    for (row, &u) in e.users.iter().enumerate() {
        let (items, values) = test.row(u as usize);
        let want = reference(
            &scores[u as usize],
            items,
            values,
            train.row(u as usize).0,
            5,
        );
        for (c, metric) in PER_USER.iter().enumerate() {
            let v = f64::from(e.column(*metric).unwrap().values[row]);
            assert!(
                (v - want[c]).abs() <= 1e-6,
                "user {u} {metric:?}: {v} vs {}",
                want[c]
            );
        }
    }
}

#[test]
fn requested_metrics_only_and_errors() {
    let all = clustered(10, 20, 5, 2, 1);
    let (train, test) = split(&all);
    let m = fitted(&train.to_coo(), None, Loss::Bpr);
    let opts = EvalOptions {
        metrics: vec![Metric::Ndcg, Metric::Auc, Metric::Ndcg],
        ..EvalOptions::default()
    };
    let e: Evaluation = m.evaluate(&test, None, None, None, &opts).unwrap();
    let names: Vec<_> = e.columns.iter().map(|c| c.metric).collect();
    assert_eq!(names, vec![Metric::Ndcg, Metric::Auc]);
    assert_eq!((e.catalog_coverage, e.pooled_rmse), (None, None));

    let bad = |o: EvalOptions| m.evaluate(&test, None, None, None, &o).unwrap_err().code();
    assert_eq!(
        bad(EvalOptions {
            k: 0,
            ..EvalOptions::default()
        }),
        "ERR_INVALID_ARG"
    );
    assert_eq!(
        bad(EvalOptions {
            metrics: vec![],
            ..EvalOptions::default()
        }),
        "ERR_INVALID_ARG"
    );
    assert_eq!(
        bad(EvalOptions {
            num_threads: 0,
            ..EvalOptions::default()
        }),
        "ERR_INVALID_ARG"
    );
    let wide = CsrMatrix::new(10, 21, vec![0; 11], vec![], vec![]).unwrap();
    let err = m
        .evaluate(&wide, None, None, None, &EvalOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "ERR_SHAPE");
    let fresh = Model::new(Hyperparameters::default()).unwrap();
    let err = fresh
        .evaluate(&test, None, None, None, &EvalOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "ERR_NOT_FITTED");
    assert_eq!(Metric::parse("hitRate").unwrap(), Metric::HitRate);
    assert!(Metric::parse("nope")
        .unwrap_err()
        .to_string()
        .contains("'reciprocalRank'"));
}
