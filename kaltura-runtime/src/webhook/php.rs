//! The PHP-serialised form of a notification (`serialize()` of the
//! `KalturaHttpNotification`), turned into the JSON the API would have written.
//!
//! Only what the server writes for API objects is read: `N;`, `b:`, `i:`, `d:`,
//! `s:`, `a:` and `O:`. References (`r:`, `R:`), custom serialisation (`C:`), enums
//! (`E:`), floats that JSON cannot hold (`INF`, `NAN`) and anything after the value
//! are refused. An object becomes its properties followed by `objectType` (its class,
//! as the JSON serialiser writes it); non-public properties (names starting with a
//! NUL byte) are left out, as the API never shows them. An array becomes a list when
//! its keys are 0, 1, 2, … in order, else an object.

use super::tree::{Tree, MAX_DEPTH};

pub(super) fn read(data: &[u8]) -> Result<Tree, String> {
    let mut r = Reader { s: data, at: 0 };
    let value = r.value(0)?;
    if r.at != r.s.len() {
        return Err(format!(
            "{} bytes follow the serialised value; a signed body ends there",
            r.s.len() - r.at
        ));
    }
    Ok(value)
}

struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

/// An array key: PHP's are integers or strings.
enum Key {
    Int(i64),
    Str(String),
}

impl Reader<'_> {
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.at))
    }

    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.s.get(self.at) == Some(&b) {
            self.at += 1;
            Ok(())
        } else {
            self.fail(&format!("expected '{}'", b as char))
        }
    }

    /// The text up to (not including) `end`, which is consumed.
    fn until(&mut self, end: u8) -> Result<&str, String> {
        let start = self.at;
        let len = self.s[start..]
            .iter()
            .position(|&b| b == end)
            .ok_or_else(|| format!("expected '{}' after byte {start}", end as char))?;
        self.at = start + len + 1;
        std::str::from_utf8(&self.s[start..start + len])
            .map_err(|_| format!("a number that is not text at byte {start}"))
    }

    fn int(&mut self, end: u8) -> Result<i64, String> {
        let text = self.until(end)?;
        text.parse()
            .map_err(|_| format!("{text:?} is not an integer PHP writes"))
    }

    fn count(&mut self) -> Result<usize, String> {
        let n = self.int(b':')?;
        // Each member takes at least four bytes (`N;N;`), so a count beyond what is
        // left is a lie, refused before anything is reserved for it.
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= (self.s.len() - self.at) / 2)
            .ok_or_else(|| format!("a count of {n} that the rest of the body cannot hold"))
    }

    /// `s:N:"…";` after the `s:`: exactly N bytes between the quotes.
    fn string_body(&mut self) -> Result<String, String> {
        let len = self.int(b':')?;
        self.expect(b'"')?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&n| n <= self.s.len() - self.at)
            .ok_or_else(|| format!("a string longer than the body at byte {}", self.at))?;
        let bytes = &self.s[self.at..self.at + len];
        let text = std::str::from_utf8(bytes)
            .map_err(|_| format!("a string that is not UTF-8 at byte {}", self.at))?
            .to_string();
        self.at += len;
        self.expect(b'"')?;
        self.expect(b';')?;
        Ok(text)
    }

    fn key(&mut self) -> Result<Key, String> {
        let kind = self.s.get(self.at).copied();
        self.at += 1;
        self.expect(b':')?;
        match kind {
            Some(b'i') => self.int(b';').map(Key::Int),
            Some(b's') => self.string_body().map(Key::Str),
            _ => {
                self.at -= 2;
                self.fail("an array key that is neither an integer nor a string")
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Tree, String> {
        if depth > MAX_DEPTH {
            return Err(format!("values nested more than {MAX_DEPTH} levels deep"));
        }
        let kind = match self.s.get(self.at) {
            Some(&b) => b,
            None => return self.fail("the body ends where a value should be"),
        };
        if kind == b'N' {
            self.at += 1;
            self.expect(b';')?;
            return Ok(Tree::Null);
        }
        self.at += 1;
        self.expect(b':')?;
        match kind {
            b'b' => match self.int(b';')? {
                0 => Ok(Tree::Bool(false)),
                1 => Ok(Tree::Bool(true)),
                _ => self.fail("a boolean other than 0 or 1"),
            },
            b'i' => self.int(b';').map(Tree::Int),
            b'd' => {
                let text = self.until(b';')?;
                match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => Ok(Tree::Float(f)),
                    _ => Err(format!("the float {text:?}, which JSON cannot hold")),
                }
            }
            b's' => self.string_body().map(Tree::Str),
            b'a' => {
                let n = self.count()?;
                self.expect(b'{')?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.key()?;
                    entries.push((key, self.value(depth + 1)?));
                }
                self.expect(b'}')?;
                let is_list = entries
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| matches!(k, Key::Int(j) if *j == i as i64));
                if is_list {
                    Ok(Tree::Array(entries.into_iter().map(|(_, v)| v).collect()))
                } else {
                    let mut members: Vec<(String, Tree)> = Vec::with_capacity(n);
                    for (k, v) in entries {
                        let k = match k {
                            Key::Int(i) => i.to_string(),
                            Key::Str(s) => s,
                        };
                        if members.iter().any(|(m, _)| *m == k) {
                            return Err("an array with a key twice".into());
                        }
                        members.push((k, v));
                    }
                    Ok(Tree::Object(members))
                }
            }
            b'O' => {
                let class_len = self.int(b':')?;
                self.expect(b'"')?;
                let class = self.until(b'"')?.to_string();
                if usize::try_from(class_len).ok() != Some(class.len()) {
                    return self.fail("a class name of another length than announced");
                }
                self.expect(b':')?;
                let n = self.count()?;
                self.expect(b'{')?;
                let mut members: Vec<(String, Tree)> = Vec::with_capacity(n + 1);
                for _ in 0..n {
                    let name = match self.key()? {
                        Key::Str(s) => s,
                        Key::Int(i) => i.to_string(),
                    };
                    let value = self.value(depth + 1)?;
                    if name.starts_with('\0') {
                        continue;
                    }
                    if name == "objectType" || members.iter().any(|(m, _)| *m == name) {
                        return Err(format!("an object with the property {name:?} twice"));
                    }
                    members.push((name, value));
                }
                self.expect(b'}')?;
                if class != "stdClass" {
                    members.push(("objectType".into(), Tree::Str(class)));
                }
                Ok(Tree::Object(members))
            }
            _ => {
                self.at -= 2;
                self.fail("a kind of value the server does not write (a reference, custom serialisation or enum)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(php: &str) -> String {
        read(php.as_bytes())
            .map(|t| t.to_json())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn values_the_server_writes() {
        assert_eq!(
            json(
                r#"O:3:"Foo":6:{s:1:"a";N;s:1:"b";b:1;s:1:"c";i:-3;s:1:"d";d:0.5;s:1:"e";a:2:{i:0;s:2:"xy";i:1;a:0:{}}s:1:"f";a:1:{s:1:"k";s:3:"é!";}}"#
            ),
            r#"{"a":null,"b":true,"c":-3,"d":0.5,"e":["xy",[]],"f":{"k":"é!"},"objectType":"Foo"}"#
        );
    }

    #[test]
    fn refuses_what_the_server_never_writes() {
        for (php, says) in [
            ("i:1;i:2;", "follow"),
            ("r:1;", "does not write"),
            ("C:3:\"Foo\":0:{}", "does not write"),
            ("d:INF;", "cannot hold"),
            ("d:NAN;", "cannot hold"),
            ("s:10:\"abc\";", "longer"),
            ("a:99999999:{}", "count"),
            ("O:4:\"Foo\":0:{}", "length"),
            ("b:2;", "boolean"),
            ("i:1", "expected"),
        ] {
            let got = json(php);
            assert!(
                got.starts_with("error") && got.contains(says),
                "{php}: {got}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!(
            "{}N;{}",
            "a:1:{i:0;".repeat(MAX_DEPTH + 5),
            "}".repeat(MAX_DEPTH + 5)
        );
        assert!(json(&deep).contains("nested"));
    }
}
