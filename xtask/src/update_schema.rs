//! `cargo xtask update-schema --schema PATH_OR_URL`: replaces the vendored API
//! description, shows what changed, and regenerates the client.

use crate::{cli, input};
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
    let text = crate::schema_load::read(source, crate::schema_load::DEFAULT_MAX_SCHEMA_SIZE)?;
    let parsed =
        kaltura_schema::parse_with_warnings(&text, source, &kaltura_schema::Options::default())
            .with_context(|| {
                format!("{source} is not a usable API schema; nothing was replaced")
            })?;
    crate::schema_load::print_warnings(source, &parsed.warnings, false);
    let new = parsed.model;
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

/// The arguments: the new schema (by `--schema` or as the only positional argument) and
/// whether to regenerate.
struct Args {
    schema: Option<String>,
    codegen: bool,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            schema: None,
            codegen: true,
        }
    }
}

impl cli::Args for Args {
    type Output = (String, bool);
    const HELP: &'static str = HELP;

    fn flag(&mut self, flag: &str, value: cli::Value<'_, '_>) -> Result<bool, String> {
        match flag {
            "--schema" => self.schema = Some(value.get()?),
            "--no-codegen" => self.codegen = false,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn positional(&mut self, arg: &str) -> Result<(), String> {
        if self.schema.is_some() {
            return Err(format!("unexpected argument `{arg}`"));
        }
        self.schema = Some(arg.to_string());
        Ok(())
    }

    fn finish(self) -> Result<(String, bool), String> {
        match self.schema {
            Some(s) => Ok((s, self.codegen)),
            None => Err("say where the new schema comes from: --schema PATH_OR_URL".into()),
        }
    }
}

pub fn run(args: &[String]) -> ExitCode {
    cli::run::<Args>(args, |(source, codegen)| execute(&source, codegen))
}

fn execute(source: &str, codegen: bool) -> Result<ExitCode> {
    let target: PathBuf = input::vendored_schema();
    let update = update(source, &target)?;
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
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let a =
            |l: &[&str]| cli::parse::<Args>(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(a(&["--schema", "x.xml"]), Ok(Some(("x.xml".into(), true))));
        assert_eq!(
            a(&["x.xml", "--no-codegen"]),
            Ok(Some(("x.xml".into(), false)))
        );
        assert_eq!(a(&["--help"]), Ok(None));
        assert!(a(&[]).is_err());
        assert!(a(&["a", "b"]).is_err());
    }

    /// A local server answering each of `answers` (status line, body) once.
    fn serve(answers: Vec<(&'static str, &'static str)>) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
        let url = format!(
            "http://{}/api_v3/api_schema.php",
            listener.local_addr().unwrap()
        );
        std::thread::spawn(move || {
            for (status, body) in answers {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: text/html\r\n\
                     Content-Length: {}\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        url
    }

    #[test]
    fn html_and_error_pages_are_refused_and_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("KalturaClient.xml");
        let old = "<xml apiVersion=\"1.0\"><enums/><classes/><services/></xml>\n";
        std::fs::write(&target, old).unwrap();
        let url = serve(vec![
            ("200 OK", "<!DOCTYPE html><html><body>Log in</body></html>"),
            ("502 Bad Gateway", "<html><body>Bad gateway</body></html>"),
        ]);
        let e = update(&url, &target).unwrap_err();
        let text = format!("{e:#}");
        assert!(text.contains("nothing was replaced"), "{text}");
        assert!(text.contains("HTML page"), "{text}");
        let e = format!("{:#}", update(&url, &target).unwrap_err());
        assert!(e.contains("502"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), old);
    }

    #[test]
    fn a_valid_schema_replaces_the_file_and_names_both_versions() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("KalturaClient.xml");
        std::fs::write(
            &target,
            "<xml apiVersion=\"1.0\"><enums/><classes/><services/></xml>\n",
        )
        .unwrap();
        let new = dir.path().join("new.xml");
        let text = "<xml apiVersion=\"2.0\"><enums><enum name=\"KalturaE\" enumType=\"int\">\
                    <const name=\"A\" value=\"1\"/></enum></enums><classes/><services/></xml>\n";
        std::fs::write(&new, text).unwrap();
        let u = update(new.to_str().unwrap(), &target).unwrap();
        assert_eq!(
            (u.old_version.as_str(), u.new_version.as_str()),
            ("1.0", "2.0")
        );
        assert!(u.replaced);
        assert!(u.summary.contains("1.0 -> 2.0"), "{}", u.summary);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
        // The same file again changes nothing.
        assert!(!update(new.to_str().unwrap(), &target).unwrap().replaced);
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
