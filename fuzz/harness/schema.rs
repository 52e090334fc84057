//! The schema reader on input nobody wrote by hand: any bytes as `KalturaClient.xml`
//! (`bytes`), and valid schemas with structural edits applied (`mutate`), which get
//! past the XML layer to the checks on names, types, inheritance and plugins.
//!
//! Beyond "no panic": strict mode refuses exactly the schemas that have a warning, and
//! every error and warning can be printed (their positions are computed from the text).

use crate::input::Input;
use kaltura_schema::{parse_with_warnings, Options, Parsed, SchemaError};

/// Any bytes as a schema file (invalid UTF-8 replaced, as a lossy reader would).
pub fn bytes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check(&text);
}

/// Reads `text` leniently and strictly, and checks that the two agree.
fn check(text: &str) -> Option<Parsed> {
    let lenient = parse_with_warnings(text, "fuzz.xml", &Options::default());
    let strict = parse_with_warnings(text, "fuzz.xml", &Options::default().strict(true));
    match (&lenient, &strict) {
        (Ok(parsed), Ok(_)) => assert!(
            parsed.warnings.is_empty(),
            "strict mode accepted a schema with warnings"
        ),
        (Ok(parsed), Err(e)) => {
            assert!(
                !parsed.warnings.is_empty(),
                "strict mode refused a schema without warnings: {e}"
            );
            show(e);
        }
        (Err(a), Err(b)) => {
            show(a);
            show(b);
        }
        (Err(e), Ok(_)) => panic!("strict mode accepted a schema the lenient read refuses: {e}"),
    }
    let parsed = lenient.ok()?;
    for w in parsed.warnings.iter() {
        let _ = w.to_string();
    }
    for g in parsed.warnings.groups() {
        let _ = g.to_string();
    }
    Some(parsed)
}

fn show(e: &SchemaError) {
    let _ = e.to_string();
    let _ = format!("{e:?}");
}

/// Valid schemas to start from: the generator's fixtures (one construct each) and the
/// reader's tolerance fixtures (one imperfection each).
const BASES: &[&str] = &[
    include_str!("../../tests/fixtures/schema/enums.xml"),
    include_str!("../../tests/fixtures/schema/inheritance.xml"),
    include_str!("../../tests/fixtures/schema/collections.xml"),
    include_str!("../../tests/fixtures/schema/files.xml"),
    include_str!("../../tests/fixtures/schema/defaults.xml"),
    include_str!("../../tests/fixtures/schema/plugins.xml"),
    include_str!("../../tests/fixtures/schema/deprecated.xml"),
    include_str!("../../tests/fixtures/schema/collisions.xml"),
    include_str!("../../schema/tests/fixtures/unknown_elements.xml"),
    include_str!("../../schema/tests/fixtures/unknown_attributes.xml"),
    include_str!("../../schema/tests/fixtures/throws_undeclared.xml"),
    include_str!("../../schema/tests/fixtures/duplicate_errors.xml"),
    include_str!("../../schema/tests/fixtures/plugins_without_names.xml"),
    include_str!("../../schema/tests/fixtures/empty_enums.xml"),
];

/// An element of a schema, as far as the edits need it.
#[derive(Clone, Debug)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<El>,
}

fn tree(text: &str) -> El {
    use quick_xml::events::{BytesStart, Event};
    fn element(start: &BytesStart<'_>) -> El {
        El {
            name: start.name().as_ref().to_owned(),
            attrs: start
                .attributes()
                .flatten()
                .map(|a| {
                    let value = quick_xml::escape::unescape(&a.value)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    (a.key.as_ref().to_owned(), value)
                })
                .collect(),
            children: Vec::new(),
        }
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![El {
        name: String::new(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    loop {
        match reader.read_event() {
            Ok(Event::Start(s)) => stack.push(element(&s)),
            Ok(Event::Empty(s)) => {
                let el = element(&s);
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Ok(Event::End(_)) if stack.len() > 1 => {
                let done = stack.pop().expect("checked length");
                if let Some(top) = stack.last_mut() {
                    top.children.push(done);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let mut root = stack.swap_remove(0);
    root.children.pop().unwrap_or(root)
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

fn write(el: &El, depth: usize, out: &mut String) {
    out.push_str(&"  ".repeat(depth.min(8)));
    out.push('<');
    out.push_str(&el.name);
    for (k, v) in &el.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        escape(v, out);
        out.push('"');
    }
    if el.children.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    for c in &el.children {
        write(c, depth + 1, out);
    }
    out.push_str(&"  ".repeat(depth.min(8)));
    out.push_str("</");
    out.push_str(&el.name);
    out.push_str(">\n");
}

/// Paths (child indexes from the root) of every element, root first.
fn paths(el: &El, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(at.clone());
    for (i, c) in el.children.iter().enumerate() {
        at.push(i);
        paths(c, at, out);
        at.pop();
    }
}

fn get_mut<'a>(root: &'a mut El, path: &[usize]) -> Option<&'a mut El> {
    let mut el = root;
    for &i in path {
        el = el.children.get_mut(i)?;
    }
    Some(el)
}

fn names(el: &El, out: &mut Vec<String>) {
    for (k, v) in &el.attrs {
        if k == "name" || k == "id" {
            out.push(v.clone());
        }
    }
    for c in &el.children {
        names(c, out);
    }
}

const ELEMENTS: &[&str] = &[
    "xml",
    "enums",
    "enum",
    "const",
    "classes",
    "class",
    "property",
    "services",
    "service",
    "action",
    "param",
    "result",
    "throws",
    "errors",
    "error",
    "plugins",
    "plugin",
    "pluginService",
    "dependency",
    "configurations",
    "unknownThing",
    "x",
];

const ATTRIBUTES: &[&str] = &[
    "name",
    "id",
    "type",
    "base",
    "enumType",
    "arrayType",
    "value",
    "optional",
    "readOnly",
    "insertOnly",
    "abstract",
    "default",
    "plugin",
    "description",
    "apiVersion",
    "deprecated",
    "isTime",
    "code",
    "minLength",
    "maxLength",
    "minValue",
    "maxValue",
    "enableInMultiRequest",
    "sessionRequired",
    "pluginName",
    "generatedDate",
    "serviceId",
    "version",
    "bogus",
];

const VALUES: &[&str] = &[
    "",
    " ",
    "int",
    "string",
    "bool",
    "float",
    "bigint",
    "array",
    "map",
    "file",
    "KalturaObjectBase",
    "KalturaObject",
    "0",
    "1",
    "2",
    "-1",
    "true",
    "false",
    "yes",
    " 7 ",
    "99999999999999999999",
    "-9223372036854775808",
    "1.5",
    "é",
    "Ünïcödé",
    "a b",
    "a.b",
    "a:b",
    "a,b",
    "_3GP",
    "3D",
    "UNKNOWN",
    "Unknown",
    "type",
    "self",
    "r#type",
    "&<>\"'",
    "KalturaBaseEntry",
    "KalturaMediaEntry",
    "always",
    "none",
    "media",
    "upload",
    "list",
];

/// Applies up to 12 edits, chosen by the input, to one of the base schemas and reads the
/// result. When both read, the schema diff between them is computed and rendered too.
pub fn mutate(data: &[u8]) {
    let mut input = Input::new(data);
    let base_text = BASES[input.below(BASES.len())];
    let mut root = tree(base_text);
    let mut pool: Vec<String> = Vec::new();
    names(&root, &mut pool);
    let edits = input.below(13);
    for _ in 0..edits {
        if input.is_empty() {
            break;
        }
        let mut all = Vec::new();
        paths(&root, &mut Vec::new(), &mut all);
        let target = all[input.below(all.len())].clone();
        let pick_value = |input: &mut Input<'_>, pool: &[String]| -> String {
            match input.below(4) {
                0 if !pool.is_empty() => pool[input.below(pool.len())].clone(),
                1 => input.text(),
                _ => VALUES[input.below(VALUES.len())].to_string(),
            }
        };
        match input.below(10) {
            // Set an attribute (maybe a new one) to a value from the pools.
            0 => {
                let value = pick_value(&mut input, &pool);
                let Some(el) = get_mut(&mut root, &target) else {
                    continue;
                };
                let key = if !el.attrs.is_empty() && input.bool() {
                    el.attrs[input.below(el.attrs.len())].0.clone()
                } else {
                    ATTRIBUTES[input.below(ATTRIBUTES.len())].to_string()
                };
                match el.attrs.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = value,
                    None => el.attrs.push((key, value)),
                }
            }
            // Remove an attribute.
            1 => {
                let Some(el) = get_mut(&mut root, &target) else {
                    continue;
                };
                if !el.attrs.is_empty() {
                    let i = input.below(el.attrs.len());
                    el.attrs.remove(i);
                }
            }
            // Delete, duplicate or move an element (never the root).
            2..=4 if !target.is_empty() => {
                let (parent_path, index) = target.split_at(target.len() - 1);
                let Some(parent) = get_mut(&mut root, parent_path) else {
                    continue;
                };
                let Some(el) = parent.children.get(index[0]).cloned() else {
                    continue;
                };
                let op = input.below(3);
                if op == 1 {
                    parent.children.insert(index[0], el);
                    continue;
                }
                parent.children.remove(index[0]);
                if op == 2 {
                    let mut rest = Vec::new();
                    paths(&root, &mut Vec::new(), &mut rest);
                    let to = rest[input.below(rest.len())].clone();
                    if let Some(new_parent) = get_mut(&mut root, &to) {
                        let at = input.below(new_parent.children.len() + 1);
                        new_parent.children.insert(at, el);
                    }
                }
            }
            // Rename an element.
            5 => {
                let Some(el) = get_mut(&mut root, &target) else {
                    continue;
                };
                el.name = ELEMENTS[input.below(ELEMENTS.len())].to_string();
            }
            // Add a child element with a few attributes.
            6 => {
                let mut child = El {
                    name: ELEMENTS[input.below(ELEMENTS.len())].to_string(),
                    attrs: Vec::new(),
                    children: Vec::new(),
                };
                for _ in 0..input.below(4) {
                    let key = ATTRIBUTES[input.below(ATTRIBUTES.len())].to_string();
                    let value = pick_value(&mut input, &pool);
                    if !child.attrs.iter().any(|(k, _)| *k == key) {
                        child.attrs.push((key, value));
                    }
                }
                let Some(el) = get_mut(&mut root, &target) else {
                    continue;
                };
                let at = input.below(el.children.len() + 1);
                el.children.insert(at, child);
            }
            // Swap two children.
            7 => {
                let Some(el) = get_mut(&mut root, &target) else {
                    continue;
                };
                let n = el.children.len();
                if n > 1 {
                    let (a, b) = (input.below(n), input.below(n));
                    el.children.swap(a, b);
                }
            }
            // Wrap an element in unknown ones, possibly past the depth limit.
            8 if !target.is_empty() => {
                let depth = 1 + input.below(70);
                let (parent_path, index) = target.split_at(target.len() - 1);
                let Some(parent) = get_mut(&mut root, parent_path) else {
                    continue;
                };
                if let Some(slot) = parent.children.get_mut(index[0]) {
                    let mut el = slot.clone();
                    for _ in 0..depth {
                        el = El {
                            name: "wrap".into(),
                            attrs: Vec::new(),
                            children: vec![el],
                        };
                    }
                    *slot = el;
                }
            }
            // Change the case of an attribute value (collisions that ignore case).
            _ => {
                let Some(el) = get_mut(&mut root, &target) else {
                    continue;
                };
                if !el.attrs.is_empty() {
                    let i = input.below(el.attrs.len());
                    let v = &mut el.attrs[i].1;
                    *v = match input.below(3) {
                        0 => v.to_uppercase(),
                        1 => v.to_lowercase(),
                        _ => format!("{v}{}", input.byte() as char),
                    };
                }
            }
        }
    }
    let mut text = String::from("<?xml version=\"1.0\"?>\n");
    write(&root, 0, &mut text);
    let Some(new) = check(&text) else { return };
    if let Ok(old) = kaltura_schema::parse(base_text, "base.xml") {
        let d = kaltura_schema::diff(&old, &new.model);
        let _ = kaltura_schema::render_text(&d);
        let _ = kaltura_schema::render_markdown(&d);
        // What one direction adds, the other removes.
        let (there, back) = (
            d.counts(None),
            kaltura_schema::diff(&new.model, &old).counts(None),
        );
        assert_eq!(
            (there.added, there.removed),
            (back.removed, back.added),
            "a diff and its reverse disagree"
        );
    }
}
