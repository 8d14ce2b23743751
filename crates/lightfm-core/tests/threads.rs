//! The threads a process keeps stay within the largest `numThreads` it asked for, however many
//! distinct values it uses. Alone in its binary, so no other test holds the pool meanwhile.

mod common;

use common::clustered;
use lightfm_core::{pool_threads, FitOptions, Hyperparameters, Model, Quiet, TrainingSet};

#[test]
fn pool_threads_never_exceed_the_largest_num_threads() {
    let train = clustered(40, 60, 5, 4, 1);
    let mut m = Model::new(Hyperparameters::default()).unwrap();
    let opts = FitOptions {
        epochs: 1,
        num_threads: 1,
    };
    m.fit(TrainingSet::new(&train), opts, &Quiet).unwrap();
    let items: Vec<u32> = (0..60).collect();
    let users = vec![3; 60];
    let one = m.predict(&users, &items, None, None, 1).unwrap();
    assert_eq!(pool_threads(), 0, "numThreads 1 runs on the caller");
    let mut most = 0;
    for threads in (2..=24).chain((2..=24).rev()).chain([5, 17, 3, 24, 2]) {
        most = most.max(threads);
        let scores = m.predict(&users, &items, None, None, threads).unwrap();
        assert_eq!(scores, one);
        assert!(
            pool_threads() <= most,
            "{} threads for at most {most}",
            pool_threads()
        );
    }
    assert_eq!(pool_threads(), 24);
}
