//! Loading a schema for a command: read with a size limit (a URL may serve anything),
//! parse, and print what was tolerated, grouped by kind, on stderr (`--strict` refuses
//! it instead). See `docs/decisions.md` (R12).

use anyhow::{bail, Context, Result};
use std::io::Read;

/// Default `--max-schema-size`: the OVP schema is 2 MB.
pub const DEFAULT_MAX_SCHEMA_SIZE: u64 = 64 << 20;

/// The flags that `codegen` and `schema-diff` share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// `--strict`: refuse a schema that has warnings.
    pub strict: bool,
    /// `--max-schema-size BYTES`: the most a URL may send.
    pub max_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            strict: false,
            max_size: DEFAULT_MAX_SCHEMA_SIZE,
        }
    }
}

impl LoadOptions {
    /// Takes `--strict` or `--max-schema-size` (its value from `value`); false for
    /// other arguments.
    pub fn flag(
        &mut self,
        arg: &str,
        value: impl FnOnce() -> Result<String, String>,
    ) -> Result<bool, String> {
        match arg {
            "--strict" => self.strict = true,
            "--max-schema-size" => self.max_size = parse_size(&value()?)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// `64MiB`, `64M`, `500k`, `1G` or plain bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "--max-schema-size: `{text}` is not a size (e.g. 64MiB)"
            ))
        }
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("--max-schema-size: `{text}` is not a size (e.g. 64MiB)"))
}

/// The text of a file, or of a URL's body when it is no larger than `max_size`.
pub fn read(source: &str, max_size: u64) -> Result<String> {
    if !(source.starts_with("http://") || source.starts_with("https://")) {
        return std::fs::read_to_string(source).with_context(|| format!("cannot read {source}"));
    }
    if crate::relaunch::is_https(source) && !cfg!(feature = "https") {
        bail!(
            "cannot download the schema from {source}: this xtask was built without its \
             `https` feature (`cargo xtask` adds it for an https:// schema; by hand: \
             cargo run -p xtask --features https -- ...)"
        );
    }
    let too_big = || {
        format!(
            "the schema at {source} is larger than {} (--max-schema-size raises the limit)",
            human(max_size)
        )
    };
    let response = ureq::get(source)
        .config()
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .build()
        .call()
        .with_context(|| format!("cannot download the schema from {source}"))?;
    let declared = response
        .headers()
        .get("Content-Length")
        .and_then(|n| n.to_str().ok())
        .and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_size) {
        bail!(too_big());
    }
    let mut body = Vec::new();
    // An unlimited reader cut one byte past the limit, so that a larger body is told
    // apart from one of exactly the limit.
    response
        .into_body()
        .into_reader()
        .take(max_size.saturating_add(1))
        .read_to_end(&mut body)
        .with_context(|| format!("cannot read the schema body from {source}"))?;
    if body.len() as u64 > max_size {
        bail!(too_big());
    }
    String::from_utf8(body).with_context(|| format!("the schema at {source} is not UTF-8"))
}

fn human(bytes: u64) -> String {
    // A whole number of MiB.
    if bytes >= 1 << 20 && bytes.trailing_zeros() >= 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads and parses a schema, printing its warnings on stderr; with `--strict` a
/// schema with warnings is an error (after they are printed).
pub fn load(source: &str, options: &LoadOptions) -> Result<kaltura_schema::Model> {
    let text = read(source, options.max_size)?;
    let parsed =
        kaltura_schema::parse_with_warnings(&text, source, &kaltura_schema::Options::default())?;
    print_warnings(source, &parsed.warnings, options.strict);
    if options.strict && !parsed.warnings.is_empty() {
        bail!(
            "{source}: --strict refuses a schema with warnings ({} listed above)",
            parsed.warnings.len()
        );
    }
    Ok(parsed.model)
}

/// `warning: SOURCE: N schema warnings ...` and one line per kind.
pub fn print_warnings(source: &str, warnings: &kaltura_schema::Warnings, strict: bool) {
    if warnings.is_empty() {
        return;
    }
    let (n, s) = match warnings.len() {
        1 => (1, ""),
        n => (n, "s"),
    };
    if strict {
        eprintln!("warning: {source}: {n} schema warning{s}, which --strict refuses:");
    } else {
        eprintln!(
            "warning: {source}: {n} schema warning{s}, tolerated (they do not change the \
             generated code; --strict refuses them):"
        );
    }
    for group in warnings.groups() {
        eprintln!("  {group}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("1234"), Ok(1234));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn flags() {
        let mut o = LoadOptions::default();
        assert_eq!(o.flag("--strict", || unreachable!()), Ok(true));
        assert_eq!(o.flag("--max-schema-size", || Ok("2M".into())), Ok(true));
        assert_eq!(o.flag("--check", || unreachable!()), Ok(false));
        assert_eq!(
            o,
            LoadOptions {
                strict: true,
                max_size: 2 << 20
            }
        );
    }

    #[test]
    fn tolerated_and_strict() {
        let dir = std::env::temp_dir().join(format!("schema-load-{}", std::process::id()));
        let file = dir.join("nameless-throws.xml");
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            std::fs::write(
                &file,
                "<xml apiVersion=\"1\"><services><service id=\"s\" name=\"s\">\
                 <action name=\"a\"><throws/></action></service></services></xml>",
            )
        });
        assert!(written.is_ok(), "{written:?}");
        let path = file.display().to_string();
        let model = load(&path, &LoadOptions::default());
        assert!(model.is_ok(), "{model:?}");
        let strict = LoadOptions {
            strict: true,
            ..LoadOptions::default()
        };
        let e = load(&path, &strict)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("--strict refuses a schema with warnings (1 listed above)"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A local server answering `requests` times with `body`, with or without a
    /// Content-Length; it stops by itself.
    fn serve(body: &'static str, requests: usize) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        std::thread::spawn(move || {
            for i in 0..requests {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let length = if i % 2 == 0 {
                    format!("Content-Length: {}\r\n", body.len())
                } else {
                    String::new()
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nConnection: close\r\n{length}\r\n{body}"
                );
            }
        });
        url
    }

    #[test]
    fn urls_are_read_up_to_the_limit() {
        let body = "<xml apiVersion=\"1\"><!-- a padded schema of about a hundred bytes --></xml>";
        // With a Content-Length, then without one (the body read until the limit).
        let url = serve(body, 4);
        for _ in 0..2 {
            let e = read(&format!("{url}/api_schema.php"), 50)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert_eq!(
                e,
                format!(
                    "the schema at {url}/api_schema.php is larger than 50 bytes \
                     (--max-schema-size raises the limit)"
                )
            );
        }
        for _ in 0..2 {
            let text = read(&format!("{url}/api_schema.php"), 1 << 20);
            assert_eq!(text.ok().as_deref(), Some(body));
        }
    }
}
