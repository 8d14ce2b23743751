//! The progress counter of fits and evaluations: it only grows, ends at the work's total, is
//! exact at every epoch's end, and never changes what is computed.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use common::clustered;
use lightfm_core::metrics::{EvalOptions, Evaluator};
use lightfm_core::{
    FitOptions, Hyperparameters, Loss, Model, Observer, Progress, ProgressSnapshot, Quiet, Side,
    TrainingSet,
};

/// Counts into a `Progress` and records its reading at the end of every epoch.
#[derive(Default)]
struct Counting {
    progress: Progress,
    at_epoch_end: Mutex<Vec<ProgressSnapshot>>,
}

impl Observer for Counting {
    fn progress(&self) -> Option<&Progress> {
        Some(&self.progress)
    }
    fn on_epoch(&self, _epoch: usize, _epochs: usize, _seconds: f64) {
        self.at_epoch_end
            .lock()
            .unwrap()
            .push(self.progress.snapshot());
    }
}

fn hyper(loss: Loss) -> Hyperparameters {
    Hyperparameters {
        loss,
        no_components: 8,
        random_state: 7,
        ..Default::default()
    }
}

fn opts(epochs: usize, num_threads: usize) -> FitOptions {
    FitOptions {
        epochs,
        num_threads,
    }
}

#[test]
fn the_fit_counter_grows_to_every_epochs_examples() {
    // More than one chunk of examples per epoch, so readings can fall inside an epoch.
    let train = clustered(600, 400, 20, 5, 3);
    let examples = train.nnz() as u64;
    let epochs = 4;
    let obs = Counting::default();
    let mut m = Model::new(hyper(Loss::Warp)).unwrap();
    let finished = AtomicBool::new(false);
    let readings = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut seen = Vec::new();
            while !finished.load(Ordering::Acquire) {
                seen.push(obs.progress.snapshot());
            }
            seen
        });
        m.fit(TrainingSet::new(&train), opts(epochs, 2), &obs)
            .unwrap();
        finished.store(true, Ordering::Release);
        reader.join().unwrap()
    });
    let begun: Vec<_> = readings.iter().filter(|r| r.steps > 0).collect();
    assert!(begun.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(begun
        .iter()
        .all(|r| r.steps == epochs as u64 && r.per_step == examples));
    let ends: Vec<u64> = obs
        .at_epoch_end
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.done)
        .collect();
    assert_eq!(
        ends,
        (1..=epochs as u64)
            .map(|e| e * examples)
            .collect::<Vec<_>>()
    );
    assert_eq!(obs.progress.snapshot().done, epochs as u64 * examples);
}

#[test]
fn counting_does_not_change_a_one_thread_fit() {
    let train = clustered(300, 200, 12, 4, 5);
    for loss in [Loss::Logistic, Loss::Bpr, Loss::Warp, Loss::WarpKos] {
        let mut quiet = Model::new(hyper(loss)).unwrap();
        quiet
            .fit(TrainingSet::new(&train), opts(3, 1), &Quiet)
            .unwrap();
        let mut counted = Model::new(hyper(loss)).unwrap();
        counted
            .fit(TrainingSet::new(&train), opts(3, 1), &Counting::default())
            .unwrap();
        for side in [Side::User, Side::Item] {
            assert_eq!(
                quiet.side_state(side).unwrap(),
                counted.side_state(side).unwrap(),
                "{loss:?}"
            );
        }
    }
}

#[test]
fn an_evaluation_counts_its_output_rows() {
    let train = clustered(100, 80, 8, 4, 9);
    let mut m = Model::new(hyper(Loss::Warp)).unwrap();
    m.fit(TrainingSet::new(&train), opts(1, 1), &Quiet).unwrap();
    let test = train.to_csr();
    let evaluator = Evaluator::new(&m, test.view(), None, None, 2).unwrap();
    let progress = Progress::new();
    let eval_opts = EvalOptions {
        num_threads: 2,
        ..EvalOptions::default()
    };
    let counted = evaluator
        .evaluate_counted(test.view(), None, &eval_opts, &progress)
        .unwrap();
    let r = progress.snapshot();
    assert_eq!(
        (r.steps, r.per_step, r.done),
        (1, counted.users.len() as u64, counted.users.len() as u64)
    );
    assert_eq!(
        counted,
        evaluator.evaluate(test.view(), None, &eval_opts).unwrap()
    );
}
