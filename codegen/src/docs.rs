//! Schema descriptions as `#[doc]` attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Lines of a description made safe for rustdoc: leading whitespace removed (an
/// indented line would become a code block, and so a doctest), and the text kept plain:
/// code fences defused, brackets and angle brackets escaped (`[28,29]` is no link,
/// `<entryId>` no HTML tag), bare URLs made links.
fn clean(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(|l| plain(l.trim())).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

fn plain(line: &str) -> String {
    let escaped = line
        .replace("```", "'''")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    autolink(&escaped)
}

/// Wraps `http(s)://...` words in `<...>`, leaving trailing punctuation outside.
fn autolink(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let at_word_start = rest[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '(');
        let len = rest[start..]
            .find(char::is_whitespace)
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + len];
        let url = word.trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
        out.push_str(&rest[..start]);
        if at_word_start && url.len() > "https://".len() {
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&word[url.len()..]);
        } else {
            out.push_str(word);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
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

/// The sentence that says which cargo features enable an item ("Available with the
/// `elastic_search` feature."), empty for an item of the default build.
pub fn feature_note(features: &[String]) -> String {
    let named: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
    match named.as_slice() {
        [] => String::new(),
        [one] => format!("Available with the {one} feature."),
        [init @ .., last] => format!(
            "Available with the {} and {last} features.",
            init.join(", ")
        ),
    }
}

/// `meta`, then the feature note after a space when there is one.
pub fn with_features(meta: &str, features: &[String]) -> String {
    let note = feature_note(features);
    match (meta.is_empty(), note.is_empty()) {
        (_, true) => meta.to_string(),
        (true, false) => note,
        (false, false) => format!("{meta} {note}"),
    }
}

pub fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote!(#[deprecated(note = "deprecated in the Kaltura API")])
    } else {
        quote!()
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn descriptions_stay_plain_text() {
        assert_eq!(
            clean("  keys are 1-[28,29,30,31]\n\t and <entryId> values"),
            ["keys are 1-\\[28,29,30,31\\]", "and &lt;entryId&gt; values"]
        );
        assert_eq!(
            clean("see https://www.php.net/manual/en/function.date.php."),
            ["see <https://www.php.net/manual/en/function.date.php>."]
        );
        assert_eq!(
            clean("(http://a.example/x) and xhttp://b and ```code```"),
            ["(<http://a.example/x>) and xhttp://b and '''code'''"]
        );
        assert_eq!(clean("\n\n  one\n\n  two  \n\n"), ["one", "", "two"]);
        // Nothing to do, nothing done; never a panic on odd text.
        assert_eq!(clean("http:// https://"), ["http:// https://"]);
        assert_eq!(clean("é https://é.example/ü"), ["é <https://é.example/ü>"]);
    }
}
