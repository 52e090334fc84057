//! `cargo xtask codegen`: schema -> model -> profile -> Rust -> files.

use crate::schema_load::{self, LoadOptions};
use crate::{cli, input, output};
use anyhow::Result;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const HELP: &str = "\
usage: cargo xtask codegen [--schema PATH_OR_URL] [--profile public|all|FILE]
                           [--rule 'exclude service.action'] [--out DIR] [--check]
                           [--strict] [--max-schema-size BYTES]

Regenerates the typed client from a Kaltura API schema (KalturaClient.xml).

  --schema   a file, or a server's https://<host>/api_v3/api_schema.php URL
             (default: $KALTURA_SCHEMA, else the vendored api/ovp/KalturaClient.xml)
  --profile  public: the vendor's public client surface (default; read from
             api/public-profile.txt or $KALTURA_PUBLIC_PROFILE)
             all: every service; FILE: rules, one per line
             (include|exclude service.action, ignore|additional TypeName)
  --rule     an extra profile rule; may repeat
  --out      where the crates go (default: the repository root, which holds
             kaltura-api-enums/, kaltura-api/, kaltura-api-services/,
             kaltura-client/ and kaltura-metadata/)
  --check    change nothing; exit 1 and name the files that differ from a fresh
             generation
  --strict   refuse a schema with warnings (problems that do not change the
             generated code, e.g. a `throws` without a name; printed either way)
  --max-schema-size
             the most a --schema URL may send (default 64MiB; e.g. 200MiB)
";

struct Args {
    schema: Option<String>,
    profile: String,
    rules: Vec<String>,
    out: Option<PathBuf>,
    check: bool,
    load: LoadOptions,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            schema: None,
            profile: "public".into(),
            rules: Vec::new(),
            out: None,
            check: false,
            load: LoadOptions::default(),
        }
    }
}

impl cli::Args for Args {
    type Output = Args;
    const HELP: &'static str = HELP;

    fn flag(&mut self, flag: &str, value: cli::Value<'_, '_>) -> Result<bool, String> {
        match flag {
            "--schema" => self.schema = Some(value.get()?),
            "--profile" => self.profile = value.get()?,
            "--rule" => self.rules.push(value.get()?),
            "--out" => self.out = Some(PathBuf::from(value.get()?)),
            "--check" => self.check = true,
            other => return self.load.flag(other, || value.get()),
        }
        Ok(true)
    }

    fn finish(self) -> Result<Args, String> {
        Ok(self)
    }
}

struct Progress {
    on: bool,
    start: Instant,
}

impl Progress {
    fn off() -> Self {
        Progress {
            on: false,
            start: Instant::now(),
        }
    }

    fn step(&self, what: &str) {
        if self.on {
            eprintln!("{:>6} ms  {what}", self.start.elapsed().as_millis());
        }
    }
}

/// `cargo xtask codegen ARGS`: 0 on success, 1 on failure (or a stale tree with
/// `--check`), 2 on bad arguments. Errors are printed to stderr.
pub fn run(args: &[String]) -> ExitCode {
    cli::run::<Args>(args, |args| execute(&args))
}

/// A fresh generation: the model the profile kept and the Rust made from it.
pub struct Generation {
    /// Where the schema came from (a path or URL).
    pub source: String,
    /// The model after the profile.
    pub model: kaltura_schema::Model,
    pub output: kaltura_codegen::Output,
}

/// Reads, checks and profiles the schema, and generates the Rust source. Touches no
/// file. `schema` defaults as `--schema` does; `profile` and `rules` are those of
/// `--profile` and `--rule`.
pub fn generate(schema: Option<&str>, profile: &str, rules: &[String]) -> Result<Generation> {
    generate_with(
        schema,
        profile,
        rules,
        &LoadOptions::default(),
        &Progress::off(),
    )
}

fn generate_with(
    schema: Option<&str>,
    profile_name: &str,
    rules: &[String],
    load: &LoadOptions,
    progress: &Progress,
) -> Result<Generation> {
    let source = input::schema_source(schema)?;
    progress.step(&format!("reading {source}"));
    let model = schema_load::load(&source, load)?;
    progress.step(&format!(
        "parsed API {}: {} enums, {} classes, {} services, {} actions, {} plugins, {} errors",
        model.api_version,
        model.enums.len(),
        model.classes.len(),
        model.services.len(),
        model.action_count(),
        model.plugins.len(),
        model.errors.len()
    ));
    let profile = input::profile(profile_name, rules)?;
    let model = profile.apply(&model);
    progress.step(&format!(
        "profile `{profile_name}` keeps {} enums, {} classes, {} services, {} actions",
        model.enums.len(),
        model.classes.len(),
        model.services.len(),
        model.action_count()
    ));
    let output = kaltura_codegen::generate(&model)?;
    let s = &output.stats;
    progress.step(&format!(
        "generated and formatted {} files, {} lines ({} polymorphic `Any` enums, {} plugin features)",
        s.files,
        s.lines,
        s.any_enums,
        output.features.len()
    ));
    Ok(Generation {
        source,
        model,
        output,
    })
}

/// The default output folder: the repository root, where the generated crates live.
pub fn default_out() -> PathBuf {
    input::repo_root()
}

/// What differs between the generated crates under `out` and `output`: one line per
/// file (`kaltura-api/src/lib.rs (changed)`), empty when everything is current. This
/// is what `--check` reports. Each crate's folder is compared whole, so a stray file
/// in a generated crate is reported too.
pub fn differences(out: &Path, output: &kaltura_codegen::Output) -> Vec<String> {
    let mut differ = Vec::new();
    for dir in output.crates.dirs() {
        let files = output::crate_files(&output.files, dir);
        differ.extend(
            output::diff_tree(&out.join(dir), &files)
                .into_iter()
                .map(|d| format!("{dir}/{d}")),
        );
    }
    differ
}

fn execute(args: &Args) -> Result<ExitCode> {
    let progress = Progress {
        on: std::io::stderr().is_terminal(),
        start: Instant::now(),
    };
    let Generation {
        model,
        output: generated,
        ..
    } = generate_with(
        args.schema.as_deref(),
        &args.profile,
        &args.rules,
        &args.load,
        &progress,
    )?;
    let s = &generated.stats;

    let out = args.out.clone().unwrap_or_else(default_out);

    if args.check {
        let differ = differences(&out, &generated);
        if differ.is_empty() {
            eprintln!(
                "codegen check: {} is up to date ({} files)",
                out.display(),
                generated.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "codegen check failed: {} file(s) differ from a fresh generation; run `cargo xtask codegen`:",
            differ.len()
        );
        for d in &differ {
            eprintln!("  {d}");
        }
        return Ok(ExitCode::FAILURE);
    }

    // An unchanged crate is left alone: no write, no file times touched, no rebuild.
    for dir in generated.crates.dirs() {
        let files = output::crate_files(&generated.files, dir);
        let target = out.join(dir);
        let changed = output::diff_tree(&target, &files);
        if changed.is_empty() {
            progress.step(&format!("{} was already up to date", target.display()));
        } else {
            output::write_tree(&target, &files)?;
            progress.step(&format!(
                "wrote {} ({} changed)",
                target.display(),
                changed.len()
            ));
        }
    }
    eprintln!(
        "codegen: API {} -> {} enums, {} classes, {} services, {} actions in {} files ({} lines), {:.2?}",
        model.api_version,
        s.enums,
        s.classes,
        s.services,
        s.actions,
        s.files,
        s.lines,
        progress.start.elapsed()
    );
    Ok(ExitCode::SUCCESS)
}
