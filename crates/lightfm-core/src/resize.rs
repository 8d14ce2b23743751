//! Growing a trained model: new user and item feature embeddings for new users, items and
//! features, so `fit_partial` can continue on bigger matrices (LightFM cannot; lightfm#322).
//!
//! New rows are initialised exactly like [`Model::initialize`] does (embeddings uniform on
//! `[-0.5/d, 0.5/d)`, biases 0, optimiser state at its initial value); learned rows are not
//! touched. The new rows of a side are drawn from a stream seeded by `randomState`, the side
//! and its current size, so the same resize of the same model always gives the same rows.

use crate::error::{Error, Result};
use crate::model::{Model, Side};
use crate::rng::{Rng, Stream};
use crate::shared::SharedTable;
use crate::sparse::MAX_DIM;

impl Model {
    /// Grows the user and item feature tables to `n_user_features` and `n_item_features`
    /// rows. Counts below the current ones are an error (`ERR_INVALID_ARG`); equal counts
    /// leave a side unchanged.
    pub fn resize(&mut self, n_user_features: usize, n_item_features: usize) -> Result<()> {
        self.params("resize()")?;
        let targets = [(Side::Item, n_item_features), (Side::User, n_user_features)];
        for (side, n) in targets {
            self.check_growth(side, n)?;
        }
        for (side, n) in targets {
            let old = self.n_features(side);
            if n == old {
                continue;
            }
            let mut rng = Rng::for_stream(
                self.hyper().random_state,
                Stream::Resize,
                side as u64,
                old as u64,
            );
            // Take the table out so `init_rows` can borrow the model for its settings.
            let mut table = std::mem::replace(self.table_mut(side), SharedTable::zeros(0, 1, 2)?);
            let grown = self.init_rows(&mut table, n - old, &mut rng);
            // Put the table back whether or not it grew: a failed resize keeps the model.
            *self.table_mut(side) = table;
            grown?;
        }
        Ok(())
    }

    fn table_mut(&mut self, side: Side) -> &mut SharedTable {
        let params = self.params_mut().expect("checked by resize");
        match side {
            Side::User => &mut params.user,
            Side::Item => &mut params.item,
        }
    }

    /// Rejects shrinking and sizes the allocator cannot provide (instead of aborting).
    fn check_growth(&self, side: Side, n: usize) -> Result<()> {
        let name = side.name();
        let old = self.n_features(side);
        if n < old {
            return Err(Error::invalid(format!(
                "resize(): {name}Features must be at least the current {old} (a model cannot shrink), got {n}"
            )));
        }
        if n > MAX_DIM {
            return Err(Error::invalid(format!(
                "resize(): {name}Features must be at most {MAX_DIM}, got {n}"
            )));
        }
        // Both sides are checked before either grows, so a resize that cannot be served
        // leaves the model as it was.
        let table = self.table(side).expect("checked by resize");
        let row_bytes = (table.blocks() * table.block_len() * 4) as u128;
        crate::alloc::check(
            &format!("resize(): {} more {name} feature rows", n - old),
            (n - old) as u128 * row_bytes,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hyper::Hyperparameters;

    fn model() -> Model {
        let mut m = Model::new(Hyperparameters {
            no_components: 4,
            random_state: 7,
            ..Default::default()
        })
        .unwrap();
        m.initialize(3, 5).unwrap();
        m
    }

    #[test]
    fn grows_keeps_old_rows_and_is_deterministic() {
        let mut a = model();
        let before = a.side_state(Side::User).unwrap();
        a.resize(6, 5).unwrap();
        let after = a.side_state(Side::User).unwrap();
        assert_eq!(after.rows, 6);
        assert_eq!(&after.embeddings[..12], &before.embeddings[..]);
        assert!(after.embeddings[12..].iter().all(|v| v.abs() < 0.125));
        assert!(after.embedding_gradients[12..].iter().all(|&v| v == 1.0));
        let mut b = model();
        b.resize(6, 5).unwrap();
        assert_eq!(b.side_state(Side::User).unwrap(), after);
        assert_eq!(a.side_state(Side::Item).unwrap().rows, 5);
    }

    #[test]
    fn rejects_shrinking_and_unfitted_models() {
        let mut m = model();
        assert_eq!(m.resize(2, 5).unwrap_err().code(), "ERR_INVALID_ARG");
        assert_eq!(
            m.resize(3, usize::MAX).unwrap_err().code(),
            "ERR_INVALID_ARG"
        );
        let mut fresh = Model::new(Hyperparameters::default()).unwrap();
        assert_eq!(fresh.resize(1, 1).unwrap_err().code(), "ERR_NOT_FITTED");
    }

    #[test]
    fn sizes_no_memory_holds_fail_cleanly_and_keep_the_model() {
        let mut m = model();
        let before = m.side_state(Side::Item).unwrap();
        for (users, items) in [(3, MAX_DIM), (MAX_DIM, 6), (MAX_DIM, MAX_DIM)] {
            let e = m.resize(users, items).unwrap_err();
            assert_eq!(e.code(), "ERR_OUT_OF_MEMORY", "{e}");
            assert_eq!(m.side_state(Side::Item).unwrap(), before);
            assert_eq!(m.n_features(Side::User), 3);
        }
    }
}
