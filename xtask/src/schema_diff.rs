//! `cargo xtask schema-diff OLD NEW [--markdown]`: what changed between two API
//! versions, for reviewing a client regeneration.

use crate::cli;
use crate::schema_load::{self, LoadOptions};
use std::io::Write;
use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask schema-diff OLD NEW [--markdown] [--strict] [--max-schema-size BYTES]

Compares two Kaltura API schemas (KalturaClient.xml files, or servers'
https://<host>/api_v3/api_schema.php URLs) and prints what changed: services,
actions, parameters, classes, properties, enums, enum values, plugins and errors
that were added, removed, changed or deprecated. Breaking changes are marked.

  --markdown  print Markdown for a pull-request comment instead of plain text
  --strict    refuse a schema with warnings (problems that do not change the
              generated code; printed either way)
  --max-schema-size
              the most a URL may send (default 64MiB)

Exits 0 when it printed the comparison (whether or not anything changed), 1 when
a schema cannot be read or is invalid, 2 on wrong arguments.
";

struct Args {
    old: String,
    new: String,
    markdown: bool,
    load: LoadOptions,
}

/// The arguments as they are read: the schemas are counted once all are.
#[derive(Default)]
struct Parsing {
    files: Vec<String>,
    markdown: bool,
    load: LoadOptions,
}

impl cli::Args for Parsing {
    type Output = Args;
    const HELP: &'static str = HELP;

    fn flag(&mut self, flag: &str, value: cli::Value<'_, '_>) -> Result<bool, String> {
        match flag {
            "--markdown" | "--md" => self.markdown = true,
            other => return self.load.flag(other, || value.get()),
        }
        Ok(true)
    }

    fn positional(&mut self, arg: &str) -> Result<(), String> {
        self.files.push(arg.to_string());
        Ok(())
    }

    fn finish(self) -> Result<Args, String> {
        let mut files = self.files.into_iter();
        match (files.next(), files.next(), files.next()) {
            (Some(old), Some(new), None) => Ok(Args {
                old,
                new,
                markdown: self.markdown,
                load: self.load,
            }),
            (_, _, Some(extra)) => Err(format!(
                "expected two schemas, OLD and NEW; `{extra}` is a third"
            )),
            _ => Err("expected two schemas, OLD and NEW".into()),
        }
    }
}

fn load(source: &str, options: &LoadOptions) -> Result<kaltura_schema::Model, String> {
    schema_load::load(source, options).map_err(|e| format!("{e:#}"))
}

pub fn run(args: &[String]) -> ExitCode {
    cli::run::<Parsing>(args, execute)
}

fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let (old, new) = match (load(&args.old, &args.load), load(&args.new, &args.load)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            // Report both when both fail, so one run shows every problem.
            for e in [old.err(), new.err()].into_iter().flatten() {
                eprintln!("error: {e}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let diff = kaltura_schema::diff(&old, &new);
    let out = if args.markdown {
        kaltura_schema::render_markdown(&diff)
    } else {
        kaltura_schema::render_text(&diff)
    };
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        // A reader that stopped early (`| head`) is not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write the comparison"))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
        cli::parse::<Parsing>(args)
    }

    #[test]
    fn arguments() {
        let a = parse_args(&args(&["a.xml", "--markdown", "b.xml"]));
        let Ok(Some(a)) = a else {
            panic!("two files and --markdown are accepted")
        };
        assert_eq!(
            (a.old.as_str(), a.new.as_str(), a.markdown),
            ("a.xml", "b.xml", true)
        );
        assert!(matches!(parse_args(&args(&["--help"])), Ok(None)));
        assert!(parse_args(&args(&["a.xml"])).is_err());
        assert!(parse_args(&args(&["a", "b", "c"])).is_err());
        assert!(parse_args(&args(&["a", "b", "--json"])).is_err());
    }

    #[test]
    fn unreadable_and_invalid_schemas_are_reported() {
        let dir = std::env::temp_dir().join(format!("schema-diff-{}", std::process::id()));
        let bad = dir.join("bad.xml");
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&bad, "<xml>\n  <classes>\n    <class/>\n"));
        assert!(written.is_ok(), "{written:?}");
        let missing = dir.join("missing.xml").display().to_string();
        let e = load(&missing, &LoadOptions::default())
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("cannot read") && e.contains("missing.xml"),
            "{e}"
        );
        let bad = bad.display().to_string();
        let e = load(&bad, &LoadOptions::default())
            .err()
            .unwrap_or_default();
        assert!(e.starts_with(&format!("{bad}:")), "names the file: {e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
