//! Model files: round trips, continued training, and every kind of damage.

mod common;

use common::clustered;
use lightfm_core::io::{decode, encode, CHECKSUM, PREAMBLE};
use lightfm_core::{
    CooMatrix, FitOptions, Hyperparameters, LearningSchedule, Loss, Model, Quiet, Side, TrainingSet,
};

fn train(m: &mut Model, data: &CooMatrix, epochs: usize) {
    let o = FitOptions {
        epochs,
        num_threads: 1,
    };
    m.fit_partial(TrainingSet::new(data), o, &Quiet).unwrap();
}

fn model(loss: Loss, schedule: LearningSchedule, d: usize) -> Model {
    Model::new(Hyperparameters {
        loss,
        learning_schedule: schedule,
        no_components: d,
        learning_rate: 0.07,
        item_alpha: 1e-4,
        random_state: 1234,
        ..Default::default()
    })
    .unwrap()
}

fn same_state(a: &Model, b: &Model) {
    for side in [Side::User, Side::Item] {
        let (x, y) = (a.side_state(side).unwrap(), b.side_state(side).unwrap());
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&x.embeddings), bits(&y.embeddings));
        assert_eq!(bits(&x.biases), bits(&y.biases));
        assert_eq!(bits(&x.embedding_gradients), bits(&y.embedding_gradients));
        assert_eq!(bits(&x.bias_gradients), bits(&y.bias_gradients));
        assert_eq!(bits(&x.embedding_momentum), bits(&y.embedding_momentum));
        assert_eq!(bits(&x.bias_momentum), bits(&y.bias_momentum));
    }
}

#[test]
fn round_trip_predicts_and_trains_identically() {
    let data = clustered(40, 70, 6, 3, 8);
    let users: Vec<u32> = (0..40).flat_map(|u| [u; 70]).collect();
    let items: Vec<u32> = (0..40).flat_map(|_| 0..70).collect();
    for loss in [Loss::Warp, Loss::Bpr, Loss::Logistic] {
        for schedule in [LearningSchedule::Adagrad, LearningSchedule::Adadelta] {
            for d in [7, 8] {
                let mut a = model(loss, schedule, d);
                train(&mut a, &data, 2);
                let bytes = encode(&a, None).unwrap();
                let mut b = decode(&bytes).unwrap().model;
                assert_eq!(b.hyper(), a.hyper());
                same_state(&a, &b);
                let (pa, pb) = (
                    a.predict(&users, &items, None, None, 1).unwrap(),
                    b.predict(&users, &items, None, None, 1).unwrap(),
                );
                assert!(pa.iter().zip(&pb).all(|(x, y)| x.to_bits() == y.to_bits()));
                // Saving is deterministic, and training continues exactly where it stopped.
                assert_eq!(encode(&b, None).unwrap(), bytes);
                train(&mut a, &data, 2);
                train(&mut b, &data, 2);
                same_state(&a, &b);
                assert_eq!(encode(&a, None).unwrap(), encode(&b, None).unwrap());
            }
        }
    }
}

#[test]
fn mappings_are_kept_verbatim_and_unfitted_models_round_trip() {
    let m = Model::new(Hyperparameters {
        random_state: 9_007_199_254_740_991,
        ..Default::default()
    })
    .unwrap();
    let mappings = r#"{"users": {"b": 1, "a": 0},  "note": "ünïcode", "n": 1e300}"#;
    let back = decode(&encode(&m, Some(mappings)).unwrap()).unwrap();
    assert_eq!(back.mappings.as_deref(), Some(mappings));
    assert!(!back.model.is_fitted());
    assert_eq!(back.model.hyper(), m.hyper());
    assert_eq!(decode(&encode(&m, None).unwrap()).unwrap().mappings, None);
    // A stored null is a value, distinct from no mappings at all.
    assert_eq!(
        decode(&encode(&m, Some("null")).unwrap())
            .unwrap()
            .mappings
            .as_deref(),
        Some("null")
    );
    let e = encode(&m, Some("{not json")).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG");
}

/// `bytes` with its header replaced by `edit(header)`, lengths and checksum made consistent.
fn with_header(bytes: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
    let h = u64::from_le_bytes(bytes[12..20].try_into().unwrap()) as usize;
    let header = String::from_utf8(bytes[PREAMBLE..PREAMBLE + h].to_vec()).unwrap();
    let header = edit(header);
    let mut out = bytes[..12].to_vec();
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&bytes[PREAMBLE + h..bytes.len() - CHECKSUM]);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

fn reseal(mut body: Vec<u8>) -> Vec<u8> {
    body.truncate(body.len() - CHECKSUM);
    let crc = crc32fast::hash(&body);
    body.extend_from_slice(&crc.to_le_bytes());
    body
}

fn error_of(bytes: &[u8]) -> (String, String) {
    let e = decode(bytes).unwrap_err();
    (e.code().to_string(), e.to_string())
}

#[test]
fn damaged_files_give_clear_errors() {
    let mut m = model(Loss::Warp, LearningSchedule::Adagrad, 8);
    train(&mut m, &clustered(20, 30, 5, 2, 1), 1);
    let good = encode(&m, Some(r#"{"a":1}"#)).unwrap();
    let corrupt = |bytes: &[u8], needle: &str| {
        let (code, msg) = error_of(bytes);
        assert_eq!(code, "ERR_CORRUPT_FILE", "{msg}");
        assert!(msg.contains(needle), "{msg:?} should mention {needle:?}");
    };
    corrupt(&good[..10], "at least");
    corrupt(
        b"PK\x03\x04 this is a zip file, not a model",
        "not a lightfm-ts model file",
    );
    let mut future = good.clone();
    future[8..12].copy_from_slice(&2u32.to_le_bytes());
    corrupt(&reseal(future), "format version 2 is not supported");
    corrupt(&good[..good.len() - 1], "truncated");
    let mut extended = good.clone();
    extended.extend_from_slice(&[0; 16]);
    corrupt(&extended, "extra bytes");
    let mut huge_header = good.clone();
    huge_header[12..20].copy_from_slice(&u64::MAX.to_le_bytes());
    corrupt(&huge_header, "header length");
    // Header edits: (text, replacement, expected message). Enormous tables are rejected
    // before any allocation.
    for (from, to, expected) in [
        ("\"userRows\":20", "\"userRows\":2000000000", "truncated"),
        ("\"userRows\":20", "\"userRows\":1e400", "header"),
        ("\"blocks\":2", "\"blocks\":3", "layout"),
        ("\"loss\":\"warp\"", "\"loss\":\"hinge\"", "loss"),
        ("\"noComponents\":8", "\"noComponents\":0", "noComponents"),
        ("{", "[", "header"),
    ] {
        corrupt(&with_header(&good, |h| h.replace(from, to)), expected);
    }
    corrupt(
        &with_header(&good, |h| {
            h.replace("\"epochsDone\":1", "\"epochsDone\":18446744073709551615")
        }),
        "epochs",
    );
    // Invalid UTF-8 inside a header string (the mappings' key).
    let mut latin1 = good.clone();
    let at = good.windows(3).position(|w| w == b"\"a\"").unwrap() + 1;
    latin1[at] = 0xff;
    corrupt(&reseal(latin1), "UTF-8");
    // Values that pass the checksum but that training cannot produce (d = 8: a block is 10
    // floats, 8 components, the bias and one padding lane; block 1 is the accumulator).
    let h = u64::from_le_bytes(good[12..20].try_into().unwrap()) as usize;
    let with_float = |index: usize, v: f32| {
        let mut b = good.clone();
        let at = PREAMBLE + h + 4 * index;
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
        reseal(b)
    };
    for (index, v, expected) in [
        (0, f32::NAN, "parameter is NaN"),
        (3, 3e38, "keeps scores finite"),
        (8, f32::NEG_INFINITY, "parameter is -inf"),
        (9, 1.0, "padding"),
        (10, -1.0, "accumulator is -1"),
        (18, 0.5, "accumulator is 0.5"),
        (11, f32::NAN, "accumulator is NaN"),
        (19, 2.0, "padding"),
    ] {
        corrupt(&with_float(index, v), expected);
    }
    // An overflowed accumulator is a state training can leave: it loads.
    assert!(decode(&with_float(10, f32::INFINITY)).is_ok());
    // A flipped bit in the parameters: the structure is intact, the checksum is not.
    let mut flipped = good.clone();
    let at = good.len() - 40;
    flipped[at] ^= 0x10;
    let (code, msg) = error_of(&flipped);
    assert_eq!(code, "ERR_CHECKSUM", "{msg}");
    assert!(decode(&good).is_ok());
}
