//! Hostile and unusual shapes of input: the reader's time and memory stay linear in the
//! size of the text, and each case ends with a clear error or a model.
//!
//! Memory is measured by a counting allocator: the peak of heap bytes allocated while
//! the parse runs, over what was allocated before it. Every test of this file takes
//! the same lock, so one measurement never sees another test's allocations.

use kaltura_schema::{parse, parse_with_warnings, ErrorKind, Options, WarningKind};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are
// only arithmetic on the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = CURRENT.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `f`, returning its value, the heap it needed at most (bytes over what was
/// allocated before) and the time it took.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, Duration) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let value = f();
    let took = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    // Shown with `--nocapture`.
    eprintln!(
        "parse: {took:.2?}, heap peak {:.1} MB",
        peak as f64 / MB as f64
    );
    (value, peak, took)
}

const MB: usize = 1 << 20;

/// `<xml><enums>` and then `depth` nested `<a>`, closed again.
fn deep(depth: usize) -> String {
    let mut text = String::with_capacity(depth * 7 + 64);
    text.push_str("<?xml version=\"1.0\"?>\n<xml apiVersion=\"1.0\">\n<enums>");
    for _ in 0..depth {
        text.push_str("<a>");
    }
    for _ in 0..depth {
        text.push_str("</a>");
    }
    text.push_str("</enums>\n</xml>\n");
    text
}

/// A valid schema of `classes` classes, each with ten properties, with enums and a
/// service using them; `newline` separates the elements.
fn declarations(classes: usize, newline: &str) -> String {
    let mut t = String::new();
    write!(
        t,
        "<?xml version=\"1.0\"?>{newline}<xml apiVersion=\"1.0\">{newline}<enums>"
    )
    .unwrap();
    for e in 0..classes / 10 + 1 {
        write!(
            t,
            "{newline}<enum name=\"KalturaEnum{e}\" enumType=\"int\">"
        )
        .unwrap();
        for c in 0..5 {
            write!(t, "<const name=\"VALUE_{c}\" value=\"{c}\"/>").unwrap();
        }
        t.push_str("</enum>");
    }
    write!(t, "{newline}</enums>{newline}<classes>").unwrap();
    for c in 0..classes {
        let base = if c > 0 {
            format!(" base=\"KalturaClass{}\"", c / 2)
        } else {
            String::new()
        };
        write!(
            t,
            "{newline}<class name=\"KalturaClass{c}\"{base} description=\"Class number {c}\">"
        )
        .unwrap();
        for p in 0..10 {
            write!(
                t,
                "{newline}<property name=\"field{c}x{p}\" type=\"int\" enumType=\"KalturaEnum{}\" \
                 readOnly=\"0\" insertOnly=\"0\" description=\"Property {p} of class {c}\"/>",
                c / 10
            )
            .unwrap();
        }
        write!(t, "{newline}</class>").unwrap();
    }
    write!(
        t,
        "{newline}</classes>{newline}<services>{newline}<service id=\"thing\" name=\"thing\" description=\"Things\">"
    )
    .unwrap();
    for c in (0..classes).step_by(100) {
        write!(
            t,
            "{newline}<action name=\"get{c}\" description=\"Gets\"><param name=\"id\" type=\"int\" \
             optional=\"0\" description=\"Id\"/><result type=\"KalturaClass{c}\"/></action>"
        )
        .unwrap();
    }
    write!(
        t,
        "{newline}</service>{newline}</services>{newline}</xml>{newline}"
    )
    .unwrap();
    t
}

/// The file: 200,000 levels inside `<enums>` (1.4 MB) once took 24 GB. The
/// default limit stops it at once, naming where and why.
#[test]
fn a_200000_deep_file_is_a_clear_error_at_once() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = deep(200_000);
    let (result, peak, took) = measure(|| parse(&text, "deep.xml"));
    let e = result.unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep(64));
    // The 65th level: xml, enums, 62 <a>, and the one too many.
    let expected_path = format!("xml/enums{}", "/a".repeat(63));
    assert_eq!((e.line, e.column), (3, 8 + 62 * 3));
    assert_eq!(e.path, expected_path);
    assert_eq!(
        e.to_string(),
        format!(
            "deep.xml:3:194: in {expected_path}: elements nested more than 64 levels deep \
             (a Kaltura schema has 5): not a schema"
        )
    );
    assert!(peak < MB, "{peak} bytes");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

/// With the limit lifted, the same file is read to its end: an unknown element is
/// skipped with everything inside, so what is kept does not grow with the depth, and
/// nothing recurses.
#[test]
fn a_200000_deep_file_without_a_limit_is_read_in_linear_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = deep(200_000);
    let options = Options::default().max_depth(usize::MAX);
    let (result, peak, took) = measure(|| parse_with_warnings(&text, "deep.xml", &options));
    let parsed = result.unwrap();
    assert_eq!(parsed.model.enums.len(), 0);
    let groups: Vec<String> = parsed
        .warnings
        .groups()
        .iter()
        .map(|g| g.to_string())
        .collect();
    assert_eq!(
        groups,
        ["1 warning: unknown element (at deep.xml:3:8 in xml/enums/a)"]
    );
    // The XML reader's stack of open names and ours: a few dozen bytes a level
    // (the old reader kept every path: 24 GB).
    assert!(peak < 24 * MB, "{peak} bytes");
    assert!(took < Duration::from_secs(10), "{took:?}");
    // Deep and truncated: the error names the innermost open element.
    let cut = &text[..text.find("</a>").unwrap()];
    let options = Options::default().max_depth(usize::MAX);
    let (result, peak, _) = measure(|| parse_with_warnings(cut, "cut.xml", &options));
    let e = result.unwrap_err();
    assert!(
        e.to_string()
            .ends_with("malformed XML: the file ends before <a> is closed (truncated download?)"),
        "{}",
        &e.to_string()[e.to_string().len().saturating_sub(200)..]
    );
    assert_eq!((e.line, e.column), (3, 8 + 199_999 * 3));
    assert!(peak < 24 * MB, "{peak} bytes");
}

/// 100 MB: 10 MB of declarations and 90 MB of elements the reader does not know.
/// Known elements cost a small multiple of their text; unknown ones nothing.
#[test]
fn a_100_mb_file_is_read_in_bounded_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = declarations(5_000, "\n");
    let declared = text.len();
    let end = text.rfind("</xml>").unwrap();
    let mut padding = String::with_capacity(100 * MB - declared + 64);
    padding.push_str("<padding>\n");
    while declared + padding.len() < 100 * MB {
        padding.push_str("<p n=\"0123456789\"/><q><r/></q>\n");
    }
    padding.push_str("</padding>\n");
    text.insert_str(end, &padding);
    drop(padding);
    assert!(text.len() >= 100 * MB);
    let (result, peak, took) =
        measure(|| parse_with_warnings(&text, "big.xml", &Options::default()));
    let parsed = result.unwrap();
    assert_eq!(parsed.model.classes.len(), 5_000);
    let last = kaltura_schema::ClassId(4_999);
    let chain = parsed.model.ancestors(last).len() + 1;
    assert_eq!(parsed.model.all_properties(last).len(), 10 * chain);
    assert_eq!(parsed.warnings.len(), 1);
    assert!(matches!(
        parsed.warnings.iter().next().unwrap().kind,
        WarningKind::UnknownElement(ref name) if name == "padding"
    ));
    // Measured at about 7 times the declarations' text; never more than 12 times, and
    // nothing for the 90 MB of padding.
    assert!(
        peak < 12 * declared,
        "{} MB for {} MB of declarations",
        peak / MB,
        declared / MB
    );
    // Seconds even unoptimised; the quadratic column count took minutes here.
    assert!(took < Duration::from_secs(60), "{took:?}");
}

/// A schema on one line (2 MB): columns are right, and counting them is linear.
#[test]
fn a_single_line_schema_has_right_columns() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = declarations(1_000, " ");
    assert!(!text.contains('\n'));
    let (result, _, took) =
        measure(|| parse_with_warnings(&text, "one-line.xml", &Options::default()));
    let parsed = result.unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings.groups());
    for class in [&parsed.model.classes[0], &parsed.model.classes[999]] {
        let at = text
            .find(&format!("<class name=\"{}\"", class.name))
            .unwrap();
        assert_eq!(
            (class.loc.line, class.loc.column),
            (1, at + 1),
            "{}",
            class.name
        );
        let p = class.properties.last().unwrap();
        let at = text
            .find(&format!("<property name=\"{}\"", p.name))
            .unwrap();
        assert_eq!((p.loc.line, p.loc.column), (1, at + 1), "{}", p.name);
    }
    assert!(took < Duration::from_secs(10), "{took:?}");
    // An error at the far end of the line is placed as exactly.
    let broken = text.replace(
        "<result type=\"KalturaClass900\"/>",
        "<result type=\"KalturaNope\"/>",
    );
    let e = parse(&broken, "one-line.xml").unwrap_err();
    let at = broken.find("<result type=\"KalturaNope\"").unwrap();
    assert_eq!((e.line, e.column), (1, at + 1));
    assert_eq!(e.path, "xml/services/service[thing]/action[get900]/result");
}

/// 100 MB of blank lines before the root: line numbers come from one forward count,
/// not from a table of every line start.
#[test]
fn a_hundred_million_lines() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = "\n".repeat(100 * MB);
    text.push_str("<xml apiVersion=\"1.0\" colour=\"red\"/>\n");
    let (result, peak, took) =
        measure(|| parse_with_warnings(&text, "blank.xml", &Options::default()));
    let parsed = result.unwrap();
    let w = parsed.warnings.iter().next().unwrap();
    assert_eq!((w.line, w.column), (100 * MB + 1, 1));
    assert!(peak < MB, "{peak} bytes");
    assert!(took < Duration::from_secs(30), "{took:?}");
}

/// Many attributes on one element: repeated names are found with a set, not by
/// comparing each name with all before it.
#[test]
fn an_element_with_200000_attributes() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = String::from("<xml apiVersion=\"1.0\"");
    for i in 0..200_000 {
        write!(text, " a{i}=\"\"").unwrap();
    }
    text.push_str("/>");
    let (result, _, took) =
        measure(|| parse_with_warnings(&text, "attrs.xml", &Options::default()));
    let parsed = result.unwrap();
    assert_eq!(parsed.warnings.len(), 200_000);
    assert_eq!(
        parsed.warnings.iter().count(),
        kaltura_schema::KEPT_PER_GROUP
    );
    assert_eq!(
        parsed.warnings.groups()[0].to_string(),
        "200000 warnings: unknown attribute (first at attrs.xml:1:1 in xml)"
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
    // The last one repeated: found, and pointed at.
    text.truncate(text.len() - 2);
    text.push_str(" a199999=\"x\"/>");
    let e = parse(&text, "attrs.xml").unwrap_err();
    assert!(
        e.to_string()
            .ends_with("malformed XML: attribute given twice"),
        "{e}"
    );
    assert_eq!(e.column, text.rfind(" a199999").unwrap() + 2);
}
