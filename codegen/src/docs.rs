//! Schema descriptions as `#[doc]` attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Lines of a description made safe for rustdoc: leading whitespace removed (an
/// indented line would become a code block, and so a doctest), code fences defused.
fn clean(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.trim().replace("```", "'''"))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

/// `#[doc]` attributes: the description, a blank line, then the metadata (whose lines
/// the generator writes, so they are kept as they are).
pub fn doc(description: &str, meta: &str) -> TokenStream {
    let mut lines = clean(description);
    if !meta.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(meta.lines().map(str::to_string));
    }
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote!(#(#[doc = #lines])*)
}

pub fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote!(#[deprecated(note = "deprecated in the Kaltura API")])
    } else {
        quote!()
    }
}
