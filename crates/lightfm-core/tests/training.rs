//! End-to-end training behaviour on synthetic data: learning, determinism, divergence and
//! the LightFM bugs we fix.

mod common;

use common::{clustered, mean_auc, random_features};
use lightfm_core::{
    needs_values, CooMatrix, CsrMatrix, Examples, FitOptions, Hyperparameters, LearningSchedule,
    Loss, Model, Observer, Quiet, Side, TrainingSet,
};

fn split(coo: &CooMatrix) -> (CooMatrix, CsrMatrix) {
    let (mut tr, mut te) = ((vec![], vec![], vec![]), (vec![], vec![], vec![]));
    for k in 0..coo.nnz() {
        let t = if k % 5 == 0 { &mut te } else { &mut tr };
        t.0.push(coo.row()[k]);
        t.1.push(coo.col()[k]);
        t.2.push(coo.value(k));
    }
    let (r, c) = coo.shape();
    (
        CooMatrix::new(r, c, tr.0, tr.1, tr.2).unwrap(),
        CooMatrix::new(r, c, te.0, te.1, te.2).unwrap().to_csr(),
    )
}

/// `coo` plus `per_user` random unobserved items per user stored with value -1.
fn with_negatives(coo: &CooMatrix, per_user: u32) -> CooMatrix {
    let csr = coo.to_csr();
    let mut rng = common::Lcg(99);
    let (mut r, mut c, mut v) = (coo.row().to_vec(), coo.col().to_vec(), coo.data().to_vec());
    for u in 0..csr.rows() as u32 {
        for _ in 0..per_user {
            let i = rng.below(csr.cols() as u32);
            if !csr.contains(u as usize, i) {
                r.push(u);
                c.push(i);
                v.push(-1.0);
            }
        }
    }
    CooMatrix::new(csr.rows(), csr.cols(), r, c, v).unwrap()
}

fn hyper(loss: Loss) -> Hyperparameters {
    Hyperparameters {
        loss,
        no_components: 16,
        random_state: 42,
        ..Default::default()
    }
}

fn fit(h: Hyperparameters, train: &CooMatrix, epochs: usize, threads: usize) -> Model {
    let mut m = Model::new(h).unwrap();
    m.fit(
        TrainingSet::new(train),
        FitOptions {
            epochs,
            num_threads: threads,
        },
        &Quiet,
    )
    .unwrap();
    m
}

#[test]
fn every_loss_learns_planted_structure() {
    let all = clustered(200, 300, 20, 5, 7);
    let (train, test) = split(&all);
    let train_csr = train.to_csr();
    // Pointwise losses need explicit negatives: add random items as -1 entries.
    let signed = with_negatives(&train, 20);
    for loss in [
        Loss::Logistic,
        Loss::Bpr,
        Loss::Warp,
        Loss::WarpKos,
        Loss::Regression,
    ] {
        // Pointwise losses need explicit negatives. They and BPR take small steps (WARP's rank
        // weight is ~ln(300)), so on this small set they need more epochs to break the
        // symmetry of the tiny initial embeddings.
        let pointwise = matches!(loss, Loss::Logistic | Loss::Regression);
        let train = if pointwise { &signed } else { &train };
        let (epochs, floor) = match loss {
            Loss::Warp => (10, 0.75),
            Loss::WarpKos => (10, 0.7),
            _ => (40, 0.65),
        };
        for schedule in [LearningSchedule::Adagrad, LearningSchedule::Adadelta] {
            for threads in [1, 2] {
                let m = fit(
                    Hyperparameters {
                        learning_schedule: schedule,
                        ..hyper(loss)
                    },
                    train,
                    epochs,
                    threads,
                );
                let auc = mean_auc(&m, &train_csr, &test);
                assert!(
                    auc > floor,
                    "{loss:?} {schedule:?} {threads} threads: AUC {auc}"
                );
            }
        }
    }
}

#[test]
fn one_thread_is_bit_identical() {
    let train = clustered(100, 120, 10, 4, 1);
    for loss in [Loss::Logistic, Loss::Bpr, Loss::Warp, Loss::WarpKos] {
        let h = Hyperparameters {
            user_alpha: 1e-3,
            item_alpha: 1e-3,
            ..hyper(loss)
        };
        let a = fit(h.clone(), &train, 3, 1);
        let b = fit(h, &train, 3, 1);
        for side in [Side::User, Side::Item] {
            assert_eq!(
                a.side_state(side).unwrap(),
                b.side_state(side).unwrap(),
                "{loss:?}"
            );
        }
    }
}

#[test]
fn fits_on_positions_alone_train_identically() {
    let train = clustered(100, 120, 10, 4, 1);
    assert!(train.data().iter().all(|&v| v == 1.0));
    let once = FitOptions {
        epochs: 3,
        num_threads: 1,
    };
    let fit_grouped = |loss, values| {
        let grouped = Examples::new(train.view(), values, None, loss).unwrap();
        let every_value_one = (0..grouped.len()).all(|p| grouped.value(p) == 1.0);
        let mut m = Model::new(hyper(loss)).unwrap();
        m.fit(TrainingSet::new(&grouped), once, &Quiet).unwrap();
        (m, every_value_one)
    };
    for loss in [Loss::Logistic, Loss::Bpr, Loss::Warp, Loss::WarpKos] {
        assert!(!needs_values(loss, &train.view()), "{loss:?}");
        let a = fit(hyper(loss), &train, 3, 1);
        // Grouped up front, as the binding does, with and without the values.
        let ((b, _), (c, positions_only)) = (fit_grouped(loss, true), fit_grouped(loss, false));
        assert!(positions_only, "{loss:?}");
        for side in [Side::User, Side::Item] {
            assert_eq!(a.side_state(side), b.side_state(side), "{loss:?}");
            assert_eq!(a.side_state(side), c.side_state(side), "{loss:?}");
        }
    }
    // Values other than 1: pairwise losses only care about their sign.
    let (rows, cols) = train.shape();
    let twos = CooMatrix::new(
        rows,
        cols,
        train.row().to_vec(),
        train.col().to_vec(),
        vec![2.0; train.nnz()],
    )
    .unwrap();
    assert!(needs_values(Loss::Logistic, &twos.view()));
    assert!(!needs_values(Loss::Warp, &twos.view()));
    let negatives = with_negatives(&train, 2);
    assert!(needs_values(Loss::Warp, &negatives.view()));
    assert!(needs_values(Loss::Regression, &negatives.view()));
}

#[test]
fn shapes_no_memory_holds_are_errors_before_anything_is_allocated() {
    let big = i32::MAX as usize;
    for (rows, cols) in [(big, 5), (5, big), (big, big)] {
        let m = CooMatrix::new(rows, cols, vec![0], vec![0], vec![1.0]).unwrap();
        let mut model = Model::new(hyper(Loss::Bpr)).unwrap();
        let e = model
            .fit_partial(
                TrainingSet::new(&m),
                FitOptions {
                    epochs: 1,
                    num_threads: 1,
                },
                &Quiet,
            )
            .unwrap_err();
        assert_eq!(e.code(), "ERR_OUT_OF_MEMORY", "{e}");
        assert!(!model.is_fitted());
    }
}

#[test]
fn fit_partial_continues_like_more_epochs() {
    let train = clustered(60, 80, 8, 4, 2);
    let h = hyper(Loss::Warp);
    let a = fit(h.clone(), &train, 4, 1);
    let mut b = fit(h, &train, 2, 1);
    b.fit_partial(
        TrainingSet::new(&train),
        FitOptions {
            epochs: 2,
            num_threads: 1,
        },
        &Quiet,
    )
    .unwrap();
    assert_eq!(
        a.side_state(Side::Item).unwrap(),
        b.side_state(Side::Item).unwrap()
    );
}

#[test]
fn divergence_is_reported_with_the_epoch() {
    // test_exception_on_divergence: warp with learning rate 1e7.
    let train = clustered(300, 300, 30, 3, 3);
    let mut m = Model::new(Hyperparameters {
        learning_rate: 1e7,
        ..hyper(Loss::Warp)
    })
    .unwrap();
    let err = m
        .fit(
            TrainingSet::new(&train),
            FitOptions {
                epochs: 10,
                num_threads: 1,
            },
            &Quiet,
        )
        .unwrap_err();
    assert_eq!(err.code(), "ERR_DIVERGED");
    assert!(err.to_string().contains("epoch"));
}

#[test]
fn empty_feature_rows_do_not_produce_nan() {
    // LightFM §16.4: all-empty user features and an empty item row poison the scales.
    let train = clustered(20, 30, 5, 2, 4);
    let uf = CsrMatrix::new(20, 3, vec![0; 21], vec![], vec![]).unwrap();
    let mut itf = random_features(30, 10, 2, 5).to_coo();
    let keep: Vec<usize> = (0..itf.nnz()).filter(|&k| itf.row()[k] != 0).collect();
    itf = CooMatrix::new(
        30,
        10,
        keep.iter().map(|&k| itf.row()[k]).collect(),
        keep.iter().map(|&k| itf.col()[k]).collect(),
        keep.iter().map(|&k| itf.value(k)).collect(),
    )
    .unwrap();
    let itf = itf.to_csr();
    for loss in [Loss::Logistic, Loss::Warp, Loss::Bpr] {
        let mut m = Model::new(Hyperparameters {
            item_alpha: 1e-2,
            user_alpha: 1e-2,
            ..hyper(loss)
        })
        .unwrap();
        let set = TrainingSet {
            user_features: Some(&uf),
            item_features: Some(&itf),
            ..TrainingSet::new(&train)
        };
        m.fit(
            set,
            FitOptions {
                epochs: 3,
                num_threads: 1,
            },
            &Quiet,
        )
        .unwrap();
    }
}

#[test]
fn excessive_regularisation_does_not_diverge() {
    // test_movielens_excessive_regularization: alpha = 1 on both sides, 4 threads.
    let train = clustered(100, 150, 15, 3, 6);
    for loss in [Loss::Logistic, Loss::Bpr, Loss::Warp, Loss::WarpKos] {
        let h = Hyperparameters {
            item_alpha: 1.0,
            user_alpha: 1.0,
            ..hyper(loss)
        };
        let m = fit(h, &train, 10, 4);
        assert!(m
            .side_state(Side::Item)
            .unwrap()
            .embeddings
            .iter()
            .all(|v| v.is_finite()));
    }
}

#[test]
fn regularisation_shrinks_parameters() {
    let train = clustered(100, 150, 15, 3, 8);
    let norm = |m: &Model| {
        m.side_state(Side::Item)
            .unwrap()
            .embeddings
            .iter()
            .map(|v| v * v)
            .sum::<f32>()
    };
    let free = fit(hyper(Loss::Warp), &train, 5, 1);
    let l2 = fit(
        Hyperparameters {
            item_alpha: 1e-2,
            ..hyper(Loss::Warp)
        },
        &train,
        5,
        1,
    );
    assert!(
        norm(&l2) < 0.8 * norm(&free),
        "{} vs {}",
        norm(&l2),
        norm(&free)
    );
}

#[test]
fn warp_with_two_items_is_stable() {
    // test_warp_few_items: 1000 x 2, warp, max_sampled 10.
    let train = clustered(1000, 2, 1, 1, 9);
    for loss in [Loss::Warp, Loss::WarpKos] {
        fit(hyper(loss), &train, 2, 1);
    }
}

#[test]
fn zero_weights_learn_nothing() {
    let train = clustered(50, 60, 6, 3, 10);
    let weights = vec![0.0; train.nnz()];
    for loss in [Loss::Logistic, Loss::Bpr, Loss::Warp] {
        let mut m = Model::new(hyper(loss)).unwrap();
        m.fit(
            TrainingSet::new(&train),
            FitOptions {
                epochs: 0,
                num_threads: 1,
            },
            &Quiet,
        )
        .unwrap();
        let before = m.side_state(Side::Item).unwrap();
        let set = TrainingSet {
            sample_weight: Some(&weights),
            ..TrainingSet::new(&train)
        };
        m.fit_partial(
            set,
            FitOptions {
                epochs: 2,
                num_threads: 1,
            },
            &Quiet,
        )
        .unwrap();
        assert_eq!(
            before.embeddings,
            m.side_state(Side::Item).unwrap().embeddings,
            "{loss:?}"
        );
    }
}

#[test]
fn input_errors() {
    let train = clustered(10, 20, 3, 2, 11);
    let epoch = |num_threads| FitOptions {
        epochs: 1,
        num_threads,
    };
    let code = |r: lightfm_core::Result<()>| r.unwrap_err().code();

    let w = vec![1.0; train.nnz()];
    let weighted = TrainingSet {
        sample_weight: Some(&w),
        ..TrainingSet::new(&train)
    };
    let mut kos = Model::new(hyper(Loss::WarpKos)).unwrap();
    assert_eq!(code(kos.fit(weighted, epoch(1), &Quiet)), "ERR_INVALID_ARG");

    let mut m = Model::new(hyper(Loss::Warp)).unwrap();
    let short = CsrMatrix::identity(9).unwrap();
    let few_user_rows = TrainingSet {
        user_features: Some(&short),
        ..TrainingSet::new(&train)
    };
    assert_eq!(code(m.fit(few_user_rows, epoch(1), &Quiet)), "ERR_SHAPE");
    assert_eq!(
        code(m.fit(TrainingSet::new(&train), epoch(0), &Quiet)),
        "ERR_INVALID_ARG"
    );

    m.fit(TrainingSet::new(&train), epoch(1), &Quiet).unwrap();
    let wide = CsrMatrix::identity(21).unwrap();
    let extra_item_features = TrainingSet {
        item_features: Some(&wide),
        ..TrainingSet::new(&train)
    };
    assert_eq!(
        code(m.fit_partial(extra_item_features, epoch(1), &Quiet)),
        "ERR_SHAPE"
    );
    assert_eq!(
        m.predict(&[10], &[0], None, None, 1).unwrap_err().code(),
        "ERR_INDEX_RANGE"
    );

    // Examples grouped for another loss, or with weights beside them.
    let grouped = Examples::new(train.view(), false, None, Loss::Logistic).unwrap();
    assert_eq!(
        code(m.fit(TrainingSet::new(&grouped), epoch(1), &Quiet)),
        "ERR_INVALID_ARG"
    );
    let grouped = Examples::new(train.view(), false, None, Loss::Warp).unwrap();
    let doubly_weighted = TrainingSet {
        sample_weight: Some(&w),
        ..TrainingSet::new(&grouped)
    };
    assert_eq!(
        code(m.fit(doubly_weighted, epoch(1), &Quiet)),
        "ERR_INVALID_ARG"
    );
}

struct CancelAfter(std::sync::atomic::AtomicUsize);
impl Observer for CancelAfter {
    fn cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed) >= 1
    }
    fn on_epoch(&self, _: usize, _: usize, _: f64) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn cancellation_stops_between_epochs() {
    let train = clustered(50, 60, 6, 3, 12);
    let mut m = Model::new(hyper(Loss::Warp)).unwrap();
    let obs = CancelAfter(0.into());
    let err = m
        .fit(
            TrainingSet::new(&train),
            FitOptions {
                epochs: 5,
                num_threads: 2,
            },
            &obs,
        )
        .unwrap_err();
    assert_eq!(err.code(), "ERR_ABORTED");
    assert_eq!(m.params("x").unwrap().epochs_done, 1);
}

#[test]
fn predictions_match_representations() {
    let train = clustered(30, 40, 5, 2, 13);
    let uf = random_features(30, 12, 3, 14);
    let itf = random_features(40, 15, 3, 15);
    let mut m = Model::new(hyper(Loss::Logistic)).unwrap();
    let set = TrainingSet {
        user_features: Some(&uf),
        item_features: Some(&itf),
        ..TrainingSet::new(&train)
    };
    m.fit(
        set,
        FitOptions {
            epochs: 2,
            num_threads: 1,
        },
        &Quiet,
    )
    .unwrap();
    let ur = m.representations(Side::User, Some(&uf)).unwrap();
    let ir = m.representations(Side::Item, Some(&itf)).unwrap();
    let users: Vec<u32> = (0..40).map(|k| k % 30).collect();
    let items: Vec<u32> = (0..40).collect();
    let p = m.predict(&users, &items, Some(&uf), Some(&itf), 2).unwrap();
    for k in 0..40 {
        let (u, i) = (users[k] as usize, items[k] as usize);
        let d = ur.d;
        let dot: f32 = (0..d)
            .map(|c| ur.embeddings[u * d + c] * ir.embeddings[i * d + c])
            .sum();
        assert!((dot + ur.biases[u] + ir.biases[i] - p[k]).abs() < 1e-5);
    }
}

/// A user table above `epoch_order`'s threshold (256 MiB: 520k users x 528 bytes at 64
/// components) switches WARP and logistic to runs of neighbouring examples. Such a fit still
/// visits every example: after one logistic epoch (every example updates its user's row)
/// exactly the users with interactions have moved, and one thread repeats bit for bit.
#[test]
fn large_user_tables_visit_every_example_in_runs() {
    let (users, items) = (520_000u32, 50u32);
    let mut rng = common::Lcg(5);
    let (mut r, mut c) = (vec![], vec![]);
    for _ in 0..40_000 {
        r.push(rng.below(users / 10) * 10);
        c.push(rng.below(items));
    }
    let n = r.len();
    let train = CooMatrix::new(users as usize, items as usize, r, c, vec![1.0; n]).unwrap();
    let h = Hyperparameters {
        no_components: 64,
        ..hyper(Loss::Logistic)
    };
    let mut init = Model::new(h.clone()).unwrap();
    init.initialize(users as usize, items as usize).unwrap();
    let before = init.table(Side::User).unwrap().to_vec();
    let a = fit(h.clone(), &train, 1, 1);
    let after = a.table(Side::User).unwrap().to_vec();
    let row = before.len() / users as usize;
    let has = train.to_csr();
    for u in 0..users as usize {
        let moved = before[u * row..(u + 1) * row] != after[u * row..(u + 1) * row];
        assert_eq!(moved, has.row_nnz(u) > 0, "user {u}");
    }
    let b = fit(h, &train, 1, 1);
    assert_eq!(after, b.table(Side::User).unwrap().to_vec());
}

#[test]
fn hot_row_copies_train_as_well_as_shared_rows() {
    // Long enough an epoch (over 64 chunks per thread) for two threads to copy the hot item
    // rows (every item here: 500 items, 576k examples).
    let all = clustered(6000, 500, 120, 10, 3);
    let (train, test) = split(&all);
    let train_csr = train.to_csr();
    for loss in [Loss::Warp, Loss::Bpr] {
        let auc = |threads| mean_auc(&fit(hyper(loss), &train, 2, threads), &train_csr, &test);
        let (one, two) = (auc(1), auc(2));
        assert!(
            two > 0.7 && (one - two).abs() < 0.01,
            "{loss:?}: AUC {one} on 1 thread, {two} on 2"
        );
    }
}
