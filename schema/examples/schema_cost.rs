//! Parses one schema file and says how it went: used by `scripts/schema-cost.sh`, which
//! runs it under `/usr/bin/time -v` for peak memory. Not a test.
//!
//!     cargo run --release -p kaltura-schema --example schema_cost -- FILE

use std::io::Write;
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
    // SCHEMA_MAX_DEPTH lifts the nesting limit, to see the cost of a deep file read
    // to its end.
    let mut options = kaltura_schema::Options::default();
    if let Some(depth) = std::env::var("SCHEMA_MAX_DEPTH")
        .ok()
        .and_then(|d| d.parse().ok())
    {
        options = options.max_depth(depth);
    }
    // A reader that stops early (`| head`) is not an error.
    let mut out = std::io::stdout().lock();
    let start = Instant::now();
    let result = kaltura_schema::parse_with_warnings(&text, &path, &options);
    let took = start.elapsed();
    match result {
        Ok(kaltura_schema::Parsed { model, warnings }) => {
            let _ = writeln!(
                out,
                "ok in {took:.2?}: {} enums, {} classes, {} services, {} errors; {} warnings",
                model.enums.len(),
                model.classes.len(),
                model.services.len(),
                model.errors.len(),
                warnings.len()
            );
            for group in warnings.groups() {
                let _ = writeln!(out, "  {group}");
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
            let _ = writeln!(out, "error in {took:.2?}: {message}");
            ExitCode::FAILURE
        }
    }
}
