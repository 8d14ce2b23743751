//! Generates the ingestion benchmark's data: the same interactions as CSV and as Parquet
//! (snappy, row groups of 1M rows), with string ids, a weight and a timestamp.
//!
//! ```text
//! cargo run --release -p lightfm-io --example ingest_data -- ROWS USERS ITEMS OUT_DIR
//! ```
//!
//! Users are uniform, items follow a power law (item `k` is drawn about `k^-0.8` as often),
//! weights are 1 to 5 and timestamps increase. A fixed generator makes every run's files
//! identical. Writes `OUT_DIR/interactions-ROWS.csv` and `.parquet`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float32Array, Int64Array, RecordBatch, StringArray};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

const BATCH: usize = 1 << 20;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [rows, users, items]: [usize; 3] = [1, 2, 3].map(|i| {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .expect("usage: ROWS USERS ITEMS OUT_DIR")
    });
    let out = Path::new(args.get(4).expect("usage: ROWS USERS ITEMS OUT_DIR"));
    std::fs::create_dir_all(out)?;
    let mut csv = BufWriter::with_capacity(
        8 << 20,
        File::create(out.join(format!("interactions-{rows}.csv")))?,
    );
    writeln!(csv, "user_id,item_id,rating,ts")?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(BATCH))
        .build();
    let pq = File::create(out.join(format!("interactions-{rows}.parquet")))?;
    let mut writer: Option<ArrowWriter<File>> = None;
    let mut rng = Rng(42);
    // Inverse CDF of a density ~ x^-0.8 on [1, items + 1].
    let a = 0.2f64;
    let top = ((items + 1) as f64).powf(a);
    let (mut u, mut i, mut w, mut t) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for k in 0..rows {
        let user = format!("user{}", rng.next() % users as u64);
        let x = (1.0 + rng.unit() * (top - 1.0)).powf(1.0 / a);
        let item = format!("item{}", (x as usize - 1).min(items - 1));
        let rating = (rng.next() % 5 + 1) as f32;
        let ts = 1_600_000_000 + k as i64 / 4;
        writeln!(csv, "{user},{item},{rating},{ts}")?;
        u.push(user);
        i.push(item);
        w.push(rating);
        t.push(ts);
        if u.len() == BATCH || k + 1 == rows {
            let cols: Vec<ArrayRef> = vec![
                Arc::new(StringArray::from_iter_values(u.drain(..))),
                Arc::new(StringArray::from_iter_values(i.drain(..))),
                Arc::new(Float32Array::from(std::mem::take(&mut w))),
                Arc::new(Int64Array::from(std::mem::take(&mut t))),
            ];
            let batch = RecordBatch::try_from_iter(
                ["user_id", "item_id", "rating", "ts"].into_iter().zip(cols),
            )?;
            let wr = match &mut writer {
                Some(wr) => wr,
                None => writer.insert(ArrowWriter::try_new(
                    pq.try_clone()?,
                    batch.schema(),
                    Some(props.clone()),
                )?),
            };
            wr.write(&batch)?;
        }
    }
    csv.flush()?;
    if let Some(wr) = writer {
        wr.close()?;
    }
    Ok(())
}
