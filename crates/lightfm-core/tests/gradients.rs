//! Every loss's first update, checked against finite differences of its loss function.
//!
//! With adagrad accumulators at their initial 1, a step moves each parameter by exactly
//! `-learning_rate * dL/dθ`, so `(θ_after - θ_before) / -lr` must equal the numerical gradient.

use lightfm_core::{
    CooMatrix, CsrMatrix, FitOptions, Hyperparameters, Loss, Model, Quiet, Side, SideState,
    TrainingSet,
};

const LR: f32 = 0.05;
const D: usize = 6;

struct Fixture {
    interactions: CooMatrix,
    user_features: CsrMatrix,
    item_features: CsrMatrix,
}

/// Hybrid features with non-unit weights so the feature value's role is checked too. Items
/// share no feature, so one step never updates a row twice (which adagrad would damp).
fn fixture(n_items: usize, rows: Vec<u32>, cols: Vec<u32>, values: Vec<f32>) -> Fixture {
    let n_users = 2;
    let uf = CooMatrix::new(
        n_users,
        3,
        vec![0, 0, 1],
        vec![0, 2, 1],
        vec![0.7, 1.3, 1.0],
    )
    .unwrap()
    .to_csr();
    let (mut r, mut c, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n_items as u32 {
        r.extend([i, i]);
        c.extend([i, n_items as u32 + i]);
        v.extend([1.0, 0.4 + 0.1 * i as f32]);
    }
    let itf = CooMatrix::new(n_items, 2 * n_items, r, c, v)
        .unwrap()
        .to_csr();
    Fixture {
        interactions: CooMatrix::new(n_users, n_items, rows, cols, values).unwrap(),
        user_features: uf,
        item_features: itf,
    }
}

/// f64 representation of row `r`: (embedding, bias).
fn rep(f: &CsrMatrix, s: &SideState, r: usize) -> (Vec<f64>, f64) {
    let (idx, val) = f.row(r);
    let mut e = vec![0.0; D];
    let mut b = 0.0;
    for (&j, &x) in idx.iter().zip(val) {
        let row = &s.embeddings[j as usize * D..(j as usize + 1) * D];
        for (ec, &v) in e.iter_mut().zip(row) {
            *ec += f64::from(x) * f64::from(v);
        }
        b += f64::from(x) * f64::from(s.biases[j as usize]);
    }
    (e, b)
}

fn score(fx: &Fixture, us: &SideState, is: &SideState, u: usize, i: usize) -> f64 {
    let (pu, bu) = rep(&fx.user_features, us, u);
    let (qi, bi) = rep(&fx.item_features, is, i);
    pu.iter().zip(&qi).map(|(a, b)| a * b).sum::<f64>() + bu + bi
}

/// Checks Δθ / -lr against the central difference of `loss` for every parameter.
fn check(
    before: (&SideState, &SideState),
    after: (&SideState, &SideState),
    loss: &dyn Fn(&SideState, &SideState) -> f64,
) {
    let (u0, i0) = (before.0.clone(), before.1.clone());
    let h = 1e-4;
    let mut checked = 0;
    for side in [Side::User, Side::Item] {
        let (b, a) = match side {
            Side::User => (before.0, after.0),
            Side::Item => (before.1, after.1),
        };
        for (k, is_bias) in (0..b.embeddings.len())
            .map(|k| (k, false))
            .chain((0..b.biases.len()).map(|k| (k, true)))
        {
            let bump = |delta: f32| {
                let (mut u, mut i) = (u0.clone(), i0.clone());
                let s = if side == Side::User { &mut u } else { &mut i };
                if is_bias {
                    s.biases[k] += delta;
                } else {
                    s.embeddings[k] += delta;
                }
                loss(&u, &i)
            };
            let numeric = (bump(h) - bump(-h)) / (2.0 * f64::from(h));
            let actual = if is_bias {
                f64::from(a.biases[k] - b.biases[k])
            } else {
                f64::from(a.embeddings[k] - b.embeddings[k])
            } / -f64::from(LR);
            assert!(
                (numeric - actual).abs() < 2e-3 * numeric.abs().max(1.0) + 2e-3,
                "{side:?} {} {k}: numeric {numeric} vs applied {actual}",
                if is_bias { "bias" } else { "embedding" }
            );
            checked += 1;
        }
    }
    assert!(checked > 20);
}

fn train_one_epoch(
    fx: &Fixture,
    loss: Loss,
    weight: Option<&[f32]>,
) -> (Model, SideState, SideState) {
    let hyper = Hyperparameters {
        no_components: D,
        loss,
        learning_rate: LR,
        random_state: 3,
        n: 1,
        k: 1,
        ..Default::default()
    };
    let mut model = Model::new(hyper).unwrap();
    let data = TrainingSet {
        interactions: (&fx.interactions).into(),
        user_features: Some(&fx.user_features),
        item_features: Some(&fx.item_features),
        sample_weight: weight,
    };
    model
        .fit(
            data,
            FitOptions {
                epochs: 0,
                num_threads: 1,
            },
            &Quiet,
        )
        .unwrap();
    let (u, i) = (
        model.side_state(Side::User).unwrap(),
        model.side_state(Side::Item).unwrap(),
    );
    model
        .fit_partial(
            data,
            FitOptions {
                epochs: 1,
                num_threads: 1,
            },
            &Quiet,
        )
        .unwrap();
    (model, u, i)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[test]
fn logistic_gradient() {
    for (value, w) in [(1.0, 1.0), (-1.0, 2.5)] {
        let fx = fixture(3, vec![1], vec![2], vec![value]);
        let (m, u, i) = train_one_epoch(&fx, Loss::Logistic, Some(&[w]));
        let y = if value > 0.0 { 1.0 } else { 0.0 };
        let loss = |us: &SideState, is: &SideState| {
            let p = sigmoid(score(&fx, us, is, 1, 2));
            -f64::from(w) * (y * p.ln() + (1.0 - y) * (1.0 - p).ln())
        };
        check(
            (&u, &i),
            (
                &m.side_state(Side::User).unwrap(),
                &m.side_state(Side::Item).unwrap(),
            ),
            &loss,
        );
    }
}

#[test]
fn regression_gradient() {
    let fx = fixture(3, vec![0], vec![1], vec![4.0]);
    let (m, u, i) = train_one_epoch(&fx, Loss::Regression, Some(&[0.5]));
    let loss =
        |us: &SideState, is: &SideState| 0.5 * 0.5 * (score(&fx, us, is, 0, 1) - 4.0).powi(2);
    check(
        (&u, &i),
        (
            &m.side_state(Side::User).unwrap(),
            &m.side_state(Side::Item).unwrap(),
        ),
        &loss,
    );
}

#[test]
fn bpr_gradient() {
    // One positive (0, 0); item 1 is stored for user 1 with value 0, so it is in the
    // negative pool but is not a training example: the only possible negative is item 1.
    let fx = fixture(2, vec![0, 1], vec![0, 1], vec![1.0, 0.0]);
    let (m, u, i) = train_one_epoch(&fx, Loss::Bpr, Some(&[1.5, 1.0]));
    let loss = |us: &SideState, is: &SideState| {
        -1.5 * sigmoid(score(&fx, us, is, 0, 0) - score(&fx, us, is, 0, 1)).ln()
    };
    let after = (
        m.side_state(Side::User).unwrap(),
        m.side_state(Side::Item).unwrap(),
    );
    check((&u, &i), (&after.0, &after.1), &loss);
    assert!(
        after.0.biases.iter().all(|&b| b == 0.0),
        "pairwise losses must not move user biases"
    );
}

/// WARP and k-OS: find the negative that was used from the item-bias change, then check
/// the hinge gradient `l * (s_neg - s_pos)` with the rank weight `l` it implies.
fn check_warp_like(loss_kind: Loss) {
    let n_items = 40;
    let fx = fixture(n_items, vec![0], vec![5], vec![1.0]);
    let (m, u, i) = train_one_epoch(&fx, loss_kind, None);
    let after = (
        m.side_state(Side::User).unwrap(),
        m.side_state(Side::Item).unwrap(),
    );
    // Identity-part bias of item j is feature j; its change is -lr * l * 1.0 for the negative.
    let neg = (0..n_items)
        .find(|&j| j != 5 && after.1.biases[j] != i.biases[j])
        .expect("an update happened");
    let l = f64::from(after.1.biases[neg] - i.biases[neg]) / -f64::from(LR);
    let possible: Vec<f64> = (1..=10)
        .map(|k| (((n_items - 1) / k).max(1) as f64).ln())
        .collect();
    assert!(
        possible.iter().any(|p| (p - l).abs() < 1e-4),
        "l = {l} is not a WARP rank weight"
    );
    let loss = |us: &SideState, is: &SideState| {
        l * (score(&fx, us, is, 0, neg) - score(&fx, us, is, 0, 5))
    };
    check((&u, &i), (&after.0, &after.1), &loss);
    assert!(after.0.biases.iter().all(|&b| b == 0.0));
}

#[test]
fn warp_gradient() {
    check_warp_like(Loss::Warp);
}

#[test]
fn warp_kos_gradient() {
    check_warp_like(Loss::WarpKos);
}
