//! Fuzz-style robustness of model loading: thousands of flipped, truncated and extended
//! variants of saved files must each give a clean `ERR_CORRUPT_FILE` or `ERR_CHECKSUM`,
//! never a panic, and never an allocation larger than the file justifies.
//!
//! A counting global allocator records the largest single allocation made while decoding.
//! This binary holds one test so no other test allocates concurrently.

// The allocator must implement the `unsafe` `GlobalAlloc` trait; it only forwards to the
// system allocator and records sizes.
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use common::{clustered, Lcg};
use lightfm_core::io::{decode, encode};
use lightfm_core::{
    FitOptions, Hyperparameters, LearningSchedule, Loss, Model, Quiet, TrainingSet,
};

struct Counting;

static TRACKING: AtomicBool = AtomicBool::new(false);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the contract.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if TRACKING.load(Relaxed) {
            LARGEST.fetch_max(layout.size(), Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if TRACKING.load(Relaxed) {
            LARGEST.fetch_max(new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Decodes `bytes`, returning the error code and the largest allocation made.
fn try_decode(bytes: &[u8]) -> (Option<&'static str>, usize) {
    LARGEST.store(0, Relaxed);
    TRACKING.store(true, Relaxed);
    let result = std::panic::catch_unwind(|| decode(bytes).map(|_| ()));
    TRACKING.store(false, Relaxed);
    let code = match result {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.code()),
        Err(_) => panic!("decode panicked on a {}-byte input", bytes.len()),
    };
    (code, LARGEST.load(Relaxed))
}

fn saved(schedule: LearningSchedule, mappings: Option<&str>) -> Vec<u8> {
    let data = clustered(30, 50, 5, 3, 2);
    let mut m = Model::new(Hyperparameters {
        loss: Loss::Bpr,
        learning_schedule: schedule,
        no_components: 6,
        random_state: 3,
        ..Default::default()
    })
    .unwrap();
    let set = TrainingSet::new(&data);
    let o = FitOptions {
        epochs: 1,
        num_threads: 1,
    };
    m.fit(set, o, &Quiet).unwrap();
    encode(&m, mappings).unwrap()
}

#[test]
fn every_damaged_variant_is_rejected_cleanly() {
    let files = [
        saved(LearningSchedule::Adagrad, None),
        saved(
            LearningSchedule::Adadelta,
            Some(r#"{"users":["a","b"],"items":{"x":0}}"#),
        ),
    ];
    let mut rng = Lcg(2024);
    let mut counts = [0usize; 2]; // [corrupt, checksum]
    let mut variants = 0;
    for good in &files {
        let (code, largest) = try_decode(good);
        assert_eq!(code, None);
        // The allocator really counts: the tables alone are most of the file.
        assert!(
            largest > good.len() / 4 && largest <= good.len(),
            "{largest}"
        );
        let header_end = 20 + u64::from_le_bytes(good[12..20].try_into().unwrap()) as usize;
        for v in 0..3000 {
            let mut bytes = good.clone();
            match v % 6 {
                // Flip one to eight random bytes anywhere (half of them in the preamble/header,
                // where the parser is exposed).
                0 | 1 => {
                    let region = if v % 2 == 0 { header_end } else { bytes.len() };
                    for _ in 0..=rng.below(8) {
                        let at = rng.below(region as u32) as usize;
                        bytes[at] ^= 1 + rng.below(255) as u8;
                    }
                }
                // Truncate anywhere.
                2 | 3 => bytes.truncate(rng.below(good.len() as u32) as usize),
                // Extend with random bytes.
                4 => (0..=rng.below(64)).for_each(|_| bytes.push(rng.below(256) as u8)),
                // Overwrite the header length with a random (often huge) value.
                _ => {
                    let h = u64::from(rng.next()) << rng.below(33);
                    bytes[12..20].copy_from_slice(&h.to_le_bytes());
                }
            }
            if bytes == *good {
                continue;
            }
            variants += 1;
            let (code, largest) = try_decode(&bytes);
            match code {
                Some("ERR_CORRUPT_FILE") => counts[0] += 1,
                Some("ERR_CHECKSUM") => counts[1] += 1,
                other => panic!("variant {v}: expected a clean error, got {other:?}"),
            }
            assert!(
                largest <= bytes.len() + 1024,
                "variant {v}: allocated {largest} bytes for a {}-byte file",
                bytes.len()
            );
        }
    }
    assert!(variants > 5000, "{variants}");
    assert!(counts[0] > 0 && counts[1] > 0, "{counts:?}");
    println!(
        "{variants} variants: {} ERR_CORRUPT_FILE, {} ERR_CHECKSUM",
        counts[0], counts[1]
    );
}
