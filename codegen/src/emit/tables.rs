//! The table macros (`__kaltura_class!`, `__kaltura_any!`), printed from their parts.
//!
//! prettyplease lays out a macro's tokens like prose, which would run a class's
//! properties together on a few long lines. These invocations are the one kind of item
//! the generator prints itself, always in the same shape (one entry a line), each one
//! whole from its parts: no formatted text is edited afterwards.

use proc_macro2::TokenStream;

/// A part of a generated file: ordinary items for prettyplease, or a table macro.
pub enum Piece {
    Items(TokenStream),
    Table(Table),
}

/// One invocation: `path!(head { entries } { entries } ...);`.
pub struct Table {
    /// The macro's path, from [`crate::runtime_names`].
    pub path: &'static str,
    /// What comes before the first group, one line each (`A = "A"`).
    pub head: Vec<String>,
    /// The groups between braces, one entry a line.
    pub groups: Vec<Vec<Entry>>,
}

pub struct Entry {
    /// The entry's `#[cfg]`, tokens, maybe empty.
    pub cfg: TokenStream,
    /// The entry without its comma (`id: "id" read_only`).
    pub text: String,
    /// The `#[cfg]` goes on a line of its own rather than before the entry.
    pub cfg_above: bool,
}

impl Table {
    /// The invocation as source text: the head lines indented once, the entries twice.
    pub fn print(&self) -> String {
        let mut out = format!("{}!(\n    {}", self.path, self.head.join("\n    "));
        for group in &self.groups {
            out.push_str(" {\n");
            for entry in group {
                out.push_str("        ");
                if !entry.cfg.is_empty() {
                    out.push_str(&attribute_text(&entry.cfg));
                    out.push_str(if entry.cfg_above { "\n        " } else { " " });
                }
                out.push_str(&entry.text);
                out.push_str(",\n");
            }
            out.push_str("    }");
        }
        out.push_str("\n);\n");
        out
    }
}

/// An attribute as a person writes it (`#[cfg(feature = "x")]`), from its tokens.
fn attribute_text(tokens: &TokenStream) -> String {
    let mut text = tokens.to_string();
    for (from, to) in [
        ("# [", "#["),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" ]", "]"),
        (" ,", ","),
    ] {
        text = text.replace(from, to);
    }
    text
}
