//! Parameters without the API description (`--unchecked`, for actions newer than this
//! build) and parameters from stdin (`-`).

use crate::error::{CliError, Result};
use serde_json::{Map, Value};
use std::io::Read;
use std::path::PathBuf;

/// File parameters: name and path.
pub type Files = Vec<(String, PathBuf)>;

/// `a:b=value` arguments as nested objects of strings, sent as written: the server
/// converts the types. `@PATH` on a top-level name is a file. Errors name the
/// parameter, never its value (which may be a secret from stdin).
pub fn build(args: &[String]) -> Result<(Map<String, Value>, Files)> {
    let mut params = Map::new();
    let mut files = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let Some((name, value)) = arg.split_once('=') else {
            return Err(CliError::usage(format!(
                "parameter {} is not NAME=VALUE",
                i + 1
            )));
        };
        let segments: Vec<&str> = name.split(':').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(CliError::usage(format!(
                "`{name}`: the name has an empty part"
            )));
        }
        if segments.len() == 1 {
            if let Some(path) = value.strip_prefix('@') {
                files.push((name.to_string(), PathBuf::from(path)));
                continue;
            }
        }
        let (last, parents) = segments.split_last().expect("one segment at least");
        let mut map = &mut params;
        for seg in parents {
            let entry = map
                .entry(seg.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            map = entry.as_object_mut().ok_or_else(|| {
                CliError::usage(format!(
                    "`{name}`: {seg} is given both a value and properties"
                ))
            })?;
        }
        let (key, v) = if value == crate::params::NULL {
            (
                format!("{last}{}", crate::params::NULL),
                Value::String(String::new()),
            )
        } else {
            (last.to_string(), Value::String(value.to_string()))
        };
        if map.insert(key, v).is_some() {
            return Err(CliError::usage(format!("`{name}` is given twice")));
        }
    }
    Ok((params, files))
}

/// Replaces a `-` argument by parameters read from stdin: a JSON object (nested
/// objects and arrays become `a:b` and `a:0` names) or NAME=VALUE lines (blank lines
/// and lines starting with # are skipped).
pub fn with_stdin(args: &[String]) -> Result<Vec<String>> {
    if args.iter().filter(|a| *a == "-").count() > 1 {
        return Err(CliError::usage(
            "`-` (parameters from stdin) may be given once",
        ));
    }
    if !args.iter().any(|a| a == "-") {
        return Ok(args.to_vec());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::usage(format!("cannot read parameters from stdin: {e}")))?;
    let from_stdin = parse(&text)?;
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.extend(from_stdin.iter().cloned());
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

fn parse(text: &str) -> Result<Vec<String>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // The position only: serde_json's message could quote what it found.
        let value: Value = serde_json::from_str(trimmed).map_err(|e| {
            CliError::usage(format!(
                "the parameters on stdin are not a JSON object (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let mut out = Vec::new();
        flatten("", &value, &mut out);
        return Ok(out);
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}:{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&join(&i.to_string()), v, out);
            }
        }
        Value::Null => out.push(format!("{prefix}={}", crate::params::NULL)),
        Value::String(s) => out.push(format!("{prefix}={s}")),
        other => out.push(format!("{prefix}={other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stdin_forms() {
        let json_form = parse(
            r#"{"entryId": "0_a", "entry": {"tags": ["x", "y"], "description": null, "views": 3}}"#,
        )
        .unwrap();
        assert_eq!(
            json_form,
            [
                "entryId=0_a",
                "entry:tags:0=x",
                "entry:tags:1=y",
                "entry:description=__null",
                "entry:views=3"
            ]
        );
        let lines = parse("# a comment\nentryId=0_a\n\n  filter:nameLike=x y \n").unwrap();
        assert_eq!(lines, ["entryId=0_a", "filter:nameLike=x y"]);
    }

    #[test]
    fn unchecked_parameters() {
        let args: Vec<String> = ["a=1", "f:x=2", "f:y=__null", "fileData=@v.mp4"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (params, files) = build(&args).unwrap();
        assert_eq!(
            Value::Object(params),
            json!({"a": "1", "f": {"x": "2", "y__null": ""}})
        );
        assert_eq!(files, [("fileData".to_string(), PathBuf::from("v.mp4"))]);
        assert!(build(&["a=1".into(), "a:b=2".into()]).is_err());
        assert!(build(&["a=1".into(), "a=2".into()]).is_err());
    }

    #[test]
    fn errors_never_repeat_a_value() {
        for list in [
            &["hunter2hunter2"][..],
            &["a=hunter2hunter2", "a:b=hunter2hunter2"],
            &["a=hunter2hunter2", "a=hunter2hunter2"],
        ] {
            let args: Vec<String> = list.iter().map(|s| s.to_string()).collect();
            let e = build(&args).unwrap_err().to_string();
            assert!(!e.contains("hunter2"), "{e}");
        }
        let e = parse("{\"secret\": \"hunter2hunter2\" \"x\"}")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("hunter2") && e.contains("line 1"), "{e}");
    }
}
