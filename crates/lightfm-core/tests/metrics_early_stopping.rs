//! Early stopping through the epoch driver: when it stops, what it restores, what it rejects.

mod common;

use common::clustered;
use lightfm_core::metrics::{EarlyStopping, EarlyStoppingOptions, Metric};
use lightfm_core::{
    CooMatrix, CsrMatrix, FitOptions, Hyperparameters, Loss, Model, Observer, Side, TrainingSet,
};

fn split(all: &CooMatrix) -> (CooMatrix, CsrMatrix) {
    let (mut tr, mut va) = ((vec![], vec![]), (vec![], vec![]));
    for k in 0..all.nnz() {
        let side = if k % 4 == 0 { &mut va } else { &mut tr };
        side.0.push(all.row()[k]);
        side.1.push(all.col()[k]);
    }
    let (r, c) = all.shape();
    let ones = |n: usize| vec![1.0; n];
    let n = (tr.0.len(), va.0.len());
    (
        CooMatrix::new(r, c, tr.0, tr.1, ones(n.0)).unwrap(),
        CooMatrix::new(r, c, va.0, va.1, ones(n.1))
            .unwrap()
            .to_csr(),
    )
}

fn hyper(loss: Loss) -> Hyperparameters {
    Hyperparameters {
        loss,
        no_components: 8,
        learning_rate: 0.2,
        random_state: 5,
        ..Default::default()
    }
}

fn options(metric: Metric, patience: usize, restore_best: bool) -> EarlyStoppingOptions {
    EarlyStoppingOptions {
        metric,
        k: 5,
        patience,
        restore_best,
        ..Default::default()
    }
}

#[test]
fn defaults_are_the_documented_ones() {
    // docs/evaluation.md's table; the TypeScript packages read these through the binding.
    let d = EarlyStoppingOptions::default();
    assert_eq!(
        (d.metric, d.k, d.patience),
        (Metric::Auc, lightfm_core::DEFAULT_K, 5)
    );
    assert!(d.restore_best && d.check_intersections);
    assert_eq!(d.num_threads, 1);
    assert_eq!(
        lightfm_core::metrics::EvalOptions::default().k,
        lightfm_core::DEFAULT_K
    );
    assert_eq!(lightfm_core::DEFAULT_K, 10);
}

fn fit(model: &mut Model, train: &CooMatrix, epochs: usize, obs: &dyn Observer) {
    let opts = FitOptions {
        epochs,
        num_threads: 1,
    };
    model.fit(TrainingSet::new(train), opts, obs).unwrap();
}

fn plain(h: Hyperparameters, train: &CooMatrix, epochs: usize) -> Model {
    let mut m = Model::new(h).unwrap();
    fit(&mut m, train, epochs, &lightfm_core::Quiet);
    m
}

#[test]
fn stops_after_patience_and_restores_the_best_epoch() {
    let all = clustered(60, 80, 15, 4, 3);
    let (train, validation) = split(&all);
    for restore_best in [true, false] {
        let stopper = EarlyStopping::new(
            validation.clone(),
            Some(train.to_csr().pattern()),
            train.shape(),
            options(Metric::Auc, 2, restore_best),
        )
        .unwrap();
        let mut model = Model::new(hyper(Loss::Warp)).unwrap();
        fit(&mut model, &train, 300, &stopper);
        let history = stopper.history();
        let (_, best) = stopper.latest().unwrap();
        assert!(history.len() < 300, "never stopped: {history:?}");
        assert_eq!(
            history.len(),
            best + 2,
            "stops `patience` epochs after the best"
        );
        let max = history.iter().copied().fold(f64::MIN, f64::max);
        assert_eq!(history[best - 1], max);
        assert_eq!(stopper.finish(&mut model), Some(best));
        // One thread is deterministic: the restored model is the model trained `best` epochs.
        let kept = if restore_best { best } else { history.len() };
        let reference = plain(hyper(Loss::Warp), &train, kept);
        for side in [Side::User, Side::Item] {
            assert_eq!(
                model.side_state(side).unwrap(),
                reference.side_state(side).unwrap()
            );
        }
    }
}

#[test]
fn rmse_improves_downwards() {
    let all = clustered(40, 50, 10, 2, 8);
    let (train, validation) = split(&all);
    let stopper = EarlyStopping::new(
        validation,
        None,
        train.shape(),
        options(Metric::Rmse, 3, true),
    )
    .unwrap();
    let mut model = Model::new(hyper(Loss::Regression)).unwrap();
    fit(&mut model, &train, 40, &stopper);
    let history = stopper.history();
    let best = stopper.finish(&mut model).unwrap();
    let min = history.iter().copied().fold(f64::MAX, f64::min);
    assert_eq!(history[best - 1], min);
}

#[test]
fn rejects_bad_settings_before_training() {
    let all = clustered(10, 20, 4, 2, 1);
    let (train, validation) = split(&all);
    let shape = train.shape();
    let bad = |v: CsrMatrix, o: EarlyStoppingOptions| {
        EarlyStopping::new(v, None, shape, o).err().unwrap().code()
    };
    let wrong = CsrMatrix::new(10, 21, vec![0; 11], vec![], vec![]).unwrap();
    assert_eq!(bad(wrong, options(Metric::Auc, 2, true)), "ERR_SHAPE");
    let empty = CsrMatrix::new(10, 20, vec![0; 11], vec![], vec![]).unwrap();
    assert_eq!(bad(empty, options(Metric::Auc, 2, true)), "ERR_INVALID_ARG");
    assert_eq!(
        bad(validation.clone(), options(Metric::Auc, 0, true)),
        "ERR_INVALID_ARG"
    );
    let coverage = options(Metric::CatalogCoverage, 2, true);
    assert_eq!(bad(validation, coverage), "ERR_INVALID_ARG");
}
