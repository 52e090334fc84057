//! `cargo xtask update-schema --schema PATH_OR_URL`: replaces the vendored API
//! description, shows what changed, and regenerates the client.

use crate::input;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask update-schema --schema PATH_OR_URL [--no-codegen]

Replaces the vendored api/ovp/KalturaClient.xml with a newer one (a file, or a
server's https://<host>/api_v3/api_schema.php), prints what changed (breaking
changes first), regenerates kaltura-client and says which API version it moved
from and to. The new file is checked first: an HTML page, an error page or an
invalid schema is refused and nothing is replaced.

  --schema      where the new schema comes from (also accepted as the only argument)
  --no-codegen  replace the file and print the comparison, but do not regenerate
";

/// What an update did.
#[derive(Debug)]
pub struct Update {
    pub old_version: String,
    pub new_version: String,
    /// The `schema-diff` summary: the counts, then the breaking changes.
    pub summary: String,
    /// Whether the vendored file was rewritten (not when it was already identical).
    pub replaced: bool,
}

/// Checks `source`, compares it with `target` and, when it is a valid schema, writes it
/// over `target` (through a temporary file and a rename). Nothing is written on error.
pub fn update(source: &str, target: &Path) -> Result<Update> {
    let text = input::read_source(source)?;
    let new = kaltura_schema::parse(&text, source)
        .with_context(|| format!("{source} is not a usable API schema; nothing was replaced"))?;
    let old_text = std::fs::read_to_string(target)
        .with_context(|| format!("cannot read the vendored schema {}", target.display()))?;
    let old = kaltura_schema::parse(&old_text, &target.display().to_string())?;
    let diff = kaltura_schema::diff(&old, &new);
    let summary = summarize(&kaltura_schema::render_text(&diff));
    let replaced = old_text != text;
    if replaced {
        crate::output::write_file(target, &text)?;
    }
    Ok(Update {
        old_version: old.api_version,
        new_version: new.api_version,
        summary,
        replaced,
    })
}

/// The comparison's heading and counts, then its breaking changes (lines marked `!`),
/// then how many other changes there are.
fn summarize(full: &str) -> String {
    let mut head = String::new();
    let mut breaking = Vec::new();
    let mut others = 0usize;
    let mut in_head = true;
    for line in full.lines() {
        if in_head {
            if line.starts_with("Lines starting with") {
                in_head = false;
            } else {
                head.push_str(line);
                head.push('\n');
            }
            continue;
        }
        // Entries are "! kind item detail" (breaking) or "  kind item detail".
        if line.starts_with("! ") {
            breaking.push(line.to_string());
        } else if line.starts_with("  ") && !line.trim().is_empty() {
            others += 1;
        }
    }
    let mut out = head.trim_end().to_string();
    out.push('\n');
    if !breaking.is_empty() {
        out.push_str("\nBreaking changes:\n");
        for b in &breaking {
            out.push_str(b);
            out.push('\n');
        }
    }
    if others > 0 {
        out.push_str(&format!(
            "\n{others} other change(s); `cargo xtask schema-diff OLD NEW` lists them all.\n"
        ));
    }
    out
}

fn parse_args(args: &[String]) -> Result<Option<(String, bool)>, String> {
    let mut schema = None;
    let mut codegen = true;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--schema" => {
                schema = Some(it.next().cloned().ok_or("--schema needs a value")?);
            }
            "--no-codegen" => codegen = false,
            "-h" | "--help" => return Ok(None),
            flag if flag.starts_with("--") => return Err(format!("unknown argument `{flag}`")),
            value if schema.is_none() => schema = Some(value.to_string()),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    match schema {
        Some(s) => Ok(Some((s, codegen))),
        None => Err("say where the new schema comes from: --schema PATH_OR_URL".into()),
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let (source, codegen) = match parse_args(args) {
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
    let target: PathBuf = input::vendored_schema();
    let update = match update(&source, &target) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", update.summary);
    if !update.replaced {
        println!(
            "\n{} already holds this schema (API {}); nothing to do.",
            target.display(),
            update.new_version
        );
    }
    let code = if codegen {
        crate::codegen::run(&[])
    } else {
        ExitCode::SUCCESS
    };
    println!(
        "\nAPI {} -> {}: {} {}",
        update.old_version,
        update.new_version,
        target.display(),
        if update.replaced {
            "replaced"
        } else {
            "unchanged"
        }
    );
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let a = |l: &[&str]| parse_args(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(a(&["--schema", "x.xml"]), Ok(Some(("x.xml".into(), true))));
        assert_eq!(
            a(&["x.xml", "--no-codegen"]),
            Ok(Some(("x.xml".into(), false)))
        );
        assert_eq!(a(&["--help"]), Ok(None));
        assert!(a(&[]).is_err());
        assert!(a(&["a", "b"]).is_err());
    }

    #[test]
    fn summary_puts_breaking_changes_first() {
        let full = "API schema diff: 1 -> 2: 3 changes, 1 breaking\n\n  table\n\n\
                    Lines starting with ! are breaking changes.\n\nServices (3)\n  added      media.newAction\n\
                    ! removed    media.gone\n  changed    media.list\n";
        let s = summarize(full);
        assert!(s.starts_with("API schema diff: 1 -> 2"), "{s}");
        let breaking = s
            .find("Breaking changes:\n! removed    media.gone")
            .expect(&s);
        let others = s.find("2 other change(s)").expect(&s);
        assert!(breaking < others, "{s}");
    }
}
