//! `cargo xtask codegen`: schema -> model -> profile -> Rust -> files.

use crate::{input, output};
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const HELP: &str = "\
usage: cargo xtask codegen [--schema PATH_OR_URL] [--profile public|all|FILE]
                           [--rule 'exclude service.action'] [--out DIR] [--check]

Regenerates the typed client from a Kaltura API schema (KalturaClient.xml).

  --schema   a file, or a server's https://<host>/api_v3/api_schema.php URL
             (default: $KALTURA_SCHEMA, else ../shared/schema/ovp/KalturaClient.xml)
  --profile  public: the vendor's public client surface (default; read from
             ../shared/schema/public-profile.txt or $KALTURA_PUBLIC_PROFILE)
             all: every service; FILE: rules, one per line
             (include|exclude service.action, ignore|additional TypeName)
  --rule     an extra profile rule; may repeat
  --out      output folder (default: kaltura-client/src/generated); with --out the
             features of kaltura-client/Cargo.toml are left alone
  --check    change nothing; exit 1 and name the files that differ from a fresh
             generation
";

struct Args {
    schema: Option<String>,
    profile: String,
    rules: Vec<String>,
    out: Option<PathBuf>,
    check: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        schema: None,
        profile: "public".into(),
        rules: Vec::new(),
        out: None,
        check: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--schema" => parsed.schema = Some(value("--schema")?),
            "--profile" => parsed.profile = value("--profile")?,
            "--rule" => parsed.rules.push(value("--rule")?),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--check" => parsed.check = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(parsed))
}

struct Progress {
    on: bool,
    start: Instant,
}

impl Progress {
    fn step(&self, what: &str) {
        if self.on {
            eprintln!("{:>8.0?}  {what}", self.start.elapsed());
        }
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let args = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match execute(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(args: &Args) -> Result<ExitCode> {
    let progress = Progress {
        on: std::io::stderr().is_terminal(),
        start: Instant::now(),
    };
    let source = input::schema_source(args.schema.as_deref())?;
    progress.step(&format!("reading {source}"));
    let text = input::read_source(&source)?;
    let model = kaltura_schema::parse(&text, &source)?;
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
    let profile = input::profile(&args.profile, &args.rules)?;
    let model = profile.apply(&model);
    progress.step(&format!(
        "profile `{}` keeps {} enums, {} classes, {} services, {} actions",
        args.profile,
        model.enums.len(),
        model.classes.len(),
        model.services.len(),
        model.action_count()
    ));
    let generated = kaltura_codegen::generate(&model)?;
    let s = &generated.stats;
    progress.step(&format!(
        "generated and formatted {} files, {} lines ({} polymorphic `Any` enums, {} plugin features)",
        s.files,
        s.lines,
        s.any_enums,
        generated.features.len()
    ));

    let root = input::repo_root();
    let default_out = root.join("kaltura-client/src/generated");
    let out = args.out.clone().unwrap_or_else(|| default_out.clone());
    let manifest_path = root.join("kaltura-client/Cargo.toml");
    let manage_manifest = args.out.is_none();
    let manifest = if manage_manifest {
        let current = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let block = output::features_block(&generated.features);
        Some((current.clone(), output::with_features(&current, &block)?))
    } else {
        None
    };

    if args.check {
        let mut differ = output::diff_tree(&out, &generated.files);
        if let Some((current, wanted)) = &manifest {
            if current != wanted {
                differ.push("kaltura-client/Cargo.toml [features] (changed)".into());
            }
        }
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

    output::write_tree(&out, &generated.files)?;
    if let Some((current, wanted)) = &manifest {
        if current != wanted {
            output::write_file(&manifest_path, wanted)?;
        }
    }
    progress.step(&format!("wrote {}", out.display()));
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
