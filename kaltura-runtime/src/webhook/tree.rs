//! The value the XML and PHP readers build: JSON's shape with the members kept in the
//! order they came, so the JSON written from it reads like the server's own (with
//! `objectType` where the serialiser put it).

use std::fmt::Write;

/// Members nested deeper than this are refused, as the codec bounds JSON answers.
pub(super) const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Tree {
    /// The JSON text of the value.
    pub(super) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Tree::Null => out.push_str("null"),
            Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Tree::Int(i) => {
                let _ = write!(out, "{i}");
            }
            // Only finite floats are built (the PHP reader refuses INF and NAN).
            Tree::Float(f) => out.push_str(
                &serde_json::Number::from_f64(*f).map_or_else(|| "null".into(), |n| n.to_string()),
            ),
            Tree::Str(s) => string(s, out),
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Tree::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn string(s: &str, out: &mut String) {
    // Writing a string into JSON cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_json_in_member_order() {
        let t = Tree::Object(vec![
            ("b".into(), Tree::Array(vec![Tree::Int(1), Tree::Null])),
            ("a".into(), Tree::Str("x\"y".into())),
            ("c".into(), Tree::Float(0.5)),
            ("d".into(), Tree::Bool(true)),
        ]);
        assert_eq!(t.to_json(), r#"{"b":[1,null],"a":"x\"y","c":0.5,"d":true}"#);
    }
}
