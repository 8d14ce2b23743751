//! Times `read_interactions` on a file of the ingestion benchmark (for profiling the reader
//! without Node):
//!
//! ```text
//! cargo run --release -p lightfm-io --example ingest_read -- FILE [THREADS]
//! ```

use std::path::Path;
use std::time::Instant;

use lightfm_io::{
    read_interactions, Column, CsvFormat, Duplicates, Format, InteractionsOptions, ReadOptions,
    ReadProgress, TableColumns, TableOptions,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let file = Path::new(args.get(1).expect("usage: FILE [THREADS]"));
    let threads = args.get(2).map_or(Ok(2), |t| t.parse())?;
    let format = if file.extension().is_some_and(|e| e == "parquet") {
        Format::Parquet
    } else {
        Format::Csv(CsvFormat::default())
    };
    let name = |s: &str| Column::Name(s.into());
    let options = InteractionsOptions {
        table: TableOptions {
            format,
            columns: TableColumns {
                keys: [name("user_id"), name("item_id")],
                weight: Some(name("rating")),
                timestamp: Some(name("ts")),
            },
            read: ReadOptions {
                skip_invalid: false,
                num_threads: threads,
            },
        },
        duplicates: Duplicates::Keep,
    };
    let started = Instant::now();
    let r = read_interactions(file, &options, Default::default(), &ReadProgress::new())?;
    let seconds = started.elapsed().as_secs_f64();
    let rows = r.entries.row.len();
    println!(
        "{rows} rows, {} users, {} items in {seconds:.2} s ({:.0} rows/s)",
        r.users.len(),
        r.items.len(),
        rows as f64 / seconds
    );
    Ok(())
}
