//! Parses one schema file and says how it went: used by `scripts/schema-cost.sh`, which
//! runs it under `/usr/bin/time -v` for peak memory. Not a test.
//!
//!     cargo run --release -p kaltura-schema --example schema_cost -- FILE

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: schema_cost FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let options = kaltura_schema::Options::default();
    let result = kaltura_schema::parse_with_warnings(&text, &path, &options);
    let took = start.elapsed();
    match result {
        Ok(kaltura_schema::Parsed { model, warnings }) => {
            println!(
                "ok in {took:.2?}: {} enums, {} classes, {} services, {} errors; {} warnings",
                model.enums.len(),
                model.classes.len(),
                model.services.len(),
                model.errors.len(),
                warnings.len()
            );
            for group in warnings.groups() {
                println!("  {group}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let mut message = e.to_string();
            if message.len() > 300 {
                let cut = (0..=300)
                    .rev()
                    .find(|&i| message.is_char_boundary(i))
                    .unwrap_or(0);
                message.truncate(cut);
                message.push('…');
            }
            println!("error in {took:.2?}: {message}");
            ExitCode::FAILURE
        }
    }
}
