//! "Did you mean" suggestions by edit distance.

/// Levenshtein distance over characters, ignoring ASCII case.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates close to `word`, closest first, at most three. Close means within
/// a third of the word's length (at least 2 edits), or starting with the word when it
/// is at least three characters long.
pub fn similar<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    let lower = word.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = distance(word, c);
            let prefix = lower.len() >= 3 && c.to_ascii_lowercase().starts_with(&lower);
            (d <= limit || prefix).then_some((d, c))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// ` (did you mean `a` or `b`?)`, or nothing when no candidate is close.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let close = similar(word, candidates);
    match close.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean `{one}`?)"),
        many => {
            let quoted: Vec<String> = many.iter().map(|c| format!("`{c}`")).collect();
            let (last, rest) = quoted
                .split_last()
                .map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!(" (did you mean {} or {last}?)", rest.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("media", "media"), 0);
        assert_eq!(distance("medai", "media"), 2);
        assert_eq!(distance("Media", "media"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("pagesize", "pageSize"), 0);
        assert_eq!(distance("nameLik", "nameLike"), 1);
    }

    #[test]
    fn suggestions() {
        let names = ["media", "mixing", "metadata", "baseEntry"];
        assert_eq!(similar("medai", names), vec!["media"]);
        assert_eq!(did_you_mean("medai", names), " (did you mean `media`?)");
        assert_eq!(did_you_mean("zzzzzz", names), "");
        assert_eq!(similar("meta", names), vec!["media", "metadata"]);
        let two = did_you_mean("mdia", ["media", "mdias"]);
        assert_eq!(two, " (did you mean `mdias` or `media`?)");
    }
}
