//! The API description indexed by name, built once: the description's own lookups walk
//! its lists, which a list of 100,000 entries cannot afford per entry.

use kaltura_runtime::meta::{Api, ClassMeta, EnumMeta, PropertyMeta};
use std::collections::HashMap;
use std::sync::OnceLock;

struct Index {
    classes: HashMap<&'static str, &'static ClassMeta>,
    enums: HashMap<&'static str, &'static EnumMeta>,
    properties: HashMap<&'static str, Vec<&'static PropertyMeta>>,
}

fn api() -> &'static Api {
    kaltura_metadata::api()
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let api = api();
        let classes: HashMap<&str, &ClassMeta> =
            api.classes.iter().map(|c| (c.name.as_str(), c)).collect();
        let enums = api.enums.iter().map(|e| (e.name.as_str(), e)).collect();
        let properties = api
            .classes
            .iter()
            .map(|c| {
                let mut chain = vec![c];
                let mut cur = c.base.as_deref().and_then(|b| classes.get(b));
                while let Some(p) = cur {
                    if chain.len() > classes.len() {
                        break;
                    }
                    chain.push(p);
                    cur = p.base.as_deref().and_then(|b| classes.get(b));
                }
                let props = chain
                    .iter()
                    .rev()
                    .flat_map(|c| c.properties.iter())
                    .collect();
                (c.name.as_str(), props)
            })
            .collect();
        Index {
            classes,
            enums,
            properties,
        }
    })
}

/// A class by its exact name.
pub fn class(name: &str) -> Option<&'static ClassMeta> {
    index().classes.get(name).copied()
}

/// An enum by its exact name.
pub fn enum_(name: &str) -> Option<&'static EnumMeta> {
    index().enums.get(name).copied()
}

/// Every property of a class, inherited ones first (none for an unknown class).
pub fn properties(class: &str) -> &'static [&'static PropertyMeta] {
    index().properties.get(class).map_or(&[], |v| v.as_slice())
}

/// Whether `class` is `ancestor` or derives from it.
pub fn is_a(class: &str, ancestor: &str) -> bool {
    let mut cur = self::class(class);
    let mut steps = 0;
    while let Some(c) = cur {
        if c.name == ancestor {
            return true;
        }
        steps += 1;
        if steps > 64 {
            return false;
        }
        cur = c.base.as_deref().and_then(self::class);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_the_description() {
        let api = api();
        for name in ["KalturaMediaEntry", "KalturaUploadToken", "KalturaCategory"] {
            assert_eq!(properties(name).len(), api.properties(name).len());
            assert_eq!(
                is_a(name, "KalturaBaseEntry"),
                api.is_a(name, "KalturaBaseEntry")
            );
        }
        assert!(is_a("KalturaMediaEntry", "KalturaBaseEntry"));
        assert!(!is_a("KalturaBaseEntry", "KalturaMediaEntry"));
        assert!(class("NoSuchClass").is_none() && properties("NoSuchClass").is_empty());
        assert!(enum_("KalturaEntryStatus").is_some());
    }
}
