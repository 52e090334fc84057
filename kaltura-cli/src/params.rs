//! `name=value` arguments to the JSON parameters of one action, checked against the
//! generated API description before anything is sent.
//!
//! Syntax: `name=value` for a parameter; `name:prop=value` for a property of an object
//! parameter, to any depth; `name:objectType=KalturaX` to pick a subclass;
//! `name:0:prop=value` for array items (numbered from 0 without gaps);
//! `name:KEY:prop=value` for map entries; `=__null` to clear a value; `=@path` for a
//! file parameter.
//!
//! Errors name parameters and properties, never the values given: a value may be a
//! secret (read from stdin so as to keep it off the command line), and an error
//! message is easily pasted into a ticket.

use crate::error::{CliError, Result};
use crate::suggest::did_you_mean;
use kaltura_runtime::meta::{ActionMeta, Api, ServiceMeta, TypeMeta};
use kaltura_runtime::FileParam;
use serde_json::{Map, Number, Value};
use std::path::PathBuf;

/// The value that clears a property or parameter (`"<name>__null": ""` on the wire).
pub const NULL: &str = "__null";

/// A call ready to send.
#[derive(Debug)]
pub struct Call {
    pub service: &'static ServiceMeta,
    pub action: &'static ActionMeta,
    pub params: Map<String, Value>,
    /// File parameters: name and path.
    pub files: Vec<(String, PathBuf)>,
}

impl Call {
    pub fn file_params(&self) -> Vec<(String, FileParam)> {
        self.files
            .iter()
            .map(|(name, path)| (name.clone(), FileParam::path(path)))
            .collect()
    }

    pub fn serves_file(&self) -> bool {
        matches!(self.action.result, Some(TypeMeta::File))
    }
}

/// The assignments, as a tree of names.
#[derive(Debug)]
enum Node {
    /// `name` is the whole name as given (`filter:nameLike`), for messages.
    Leaf {
        value: String,
        name: String,
    },
    Branch(Vec<(String, Node)>),
}

impl Node {
    fn child_mut(&mut self, name: &str) -> Option<&mut Node> {
        match self {
            Node::Branch(children) => children.iter_mut().find(|(n, _)| n == name).map(|(_, c)| c),
            Node::Leaf { .. } => None,
        }
    }

    /// The name of the argument that set this node (the first one under it).
    fn first_arg(&self) -> &str {
        match self {
            Node::Leaf { name, .. } => name,
            Node::Branch(children) => children.first().map_or("", |(_, c)| c.first_arg()),
        }
    }
}

/// Looks up a service by wire id or name.
pub fn find_service(api: &'static Api, name: &str) -> Result<&'static ServiceMeta> {
    api.service(name).ok_or_else(|| {
        let names = api
            .services
            .iter()
            .flat_map(|s| [s.name.as_str(), s.id.as_str()]);
        CliError::usage(format!(
            "unknown service `{name}`{}; `kaltura api` lists the services",
            did_you_mean(name, names)
        ))
    })
}

/// Looks up an action of a service.
pub fn find_action(service: &'static ServiceMeta, name: &str) -> Result<&'static ActionMeta> {
    service.action(name).ok_or_else(|| {
        CliError::usage(format!(
            "the service `{}` has no action `{name}`{}; `kaltura api {}` lists its actions",
            service.name,
            did_you_mean(name, service.actions.iter().map(|a| a.name.as_str())),
            service.name
        ))
    })
}

/// Checks the arguments of `service.action` and builds its parameters.
pub fn build(api: &'static Api, service: &str, action: &str, args: &[String]) -> Result<Call> {
    let service = find_service(api, service)?;
    let action = find_action(service, action)?;
    let tree = parse_args(args)?;
    let Node::Branch(top) = tree else {
        return Err(CliError::usage(
            "internal: the arguments did not form a tree",
        ));
    };
    let checker = Checker { api };
    let mut params = Map::new();
    let mut files = Vec::new();
    for (name, node) in top {
        let Some(param) = action.param(&name) else {
            return Err(CliError::usage(format!(
                "`{}`: {}.{} has no parameter `{name}`{}; `kaltura api {} {}` lists its parameters",
                node.first_arg(),
                service.name,
                action.name,
                did_you_mean(&name, action.params.iter().map(|p| p.name.as_str())),
                service.name,
                action.name
            )));
        };
        if let Node::Leaf { value, .. } = &node {
            if value == NULL {
                params.insert(format!("{name}{NULL}"), Value::String(String::new()));
                continue;
            }
        }
        if param.ty == TypeMeta::File {
            let Node::Leaf { value, name: arg } = &node else {
                return Err(CliError::usage(format!(
                    "`{}`: `{name}` is a file; give it as {name}=@PATH",
                    node.first_arg()
                )));
            };
            files.push((name.clone(), file_path(arg, value)?));
            continue;
        }
        let value = checker.convert(&node, &param.ty, &name)?;
        params.insert(name, value);
    }
    let missing: Vec<String> = action
        .params
        .iter()
        .filter(|p| !p.optional)
        .filter(|p| {
            !params.contains_key(&p.name)
                && !params.contains_key(&format!("{}{NULL}", p.name))
                && !files.iter().any(|(n, _)| *n == p.name)
        })
        .map(|p| format!("{} ({})", p.name, p.ty.name()))
        .collect();
    if !missing.is_empty() {
        return Err(CliError::usage(format!(
            "{}.{} needs {} {}; `kaltura api {} {}` describes its parameters",
            service.name,
            action.name,
            if missing.len() == 1 {
                "the parameter"
            } else {
                "the parameters"
            },
            missing.join(", "),
            service.name,
            action.name
        )));
    }
    Ok(Call {
        service,
        action,
        params,
        files,
    })
}

/// The path of a file parameter; errors show the path (which file is wanted), the
/// one value that is no secret.
fn file_path(arg: &str, value: &str) -> Result<PathBuf> {
    let Some(path) = value.strip_prefix('@') else {
        return Err(CliError::usage(format!(
            "`{arg}`: a file parameter takes @PATH (e.g. fileData=@video.mp4)"
        )));
    };
    let path = PathBuf::from(path);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Ok(path),
        Ok(_) => Err(CliError::usage(format!(
            "`{arg}`: {} is not a regular file",
            path.display()
        ))),
        Err(e) => Err(CliError::usage(format!(
            "`{arg}`: cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Splits `a:b:c=value` arguments into a tree, refusing repeats and conflicts.
fn parse_args(args: &[String]) -> Result<Node> {
    let mut root = Node::Branch(Vec::new());
    for (i, arg) in args.iter().enumerate() {
        let Some((name, value)) = arg.split_once('=') else {
            // Not repeated: it may be a secret given without its name.
            return Err(CliError::usage(format!(
                "parameter {} is not NAME=VALUE (nested values: filter:nameLike=intro)",
                i + 1
            )));
        };
        let segments: Vec<&str> = name.split(':').collect();
        if segments.iter().any(|s| s.trim().is_empty()) {
            return Err(CliError::usage(format!(
                "`{name}`: the name has an empty part; write names like \
                 filter:nameLike or entries:0:objectType"
            )));
        }
        insert(&mut root, &segments, value, name)?;
    }
    Ok(root)
}

fn insert(root: &mut Node, segments: &[&str], value: &str, arg: &str) -> Result<()> {
    let mut node = root;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let path = segments[..=i].join(":");
        if node.child_mut(seg).is_none() {
            let Node::Branch(children) = node else {
                return Err(CliError::usage("internal: a value has children"));
            };
            let new = if last {
                Node::Leaf {
                    value: value.to_string(),
                    name: arg.to_string(),
                }
            } else {
                Node::Branch(Vec::new())
            };
            children.push((seg.to_string(), new));
            if last {
                return Ok(());
            }
        } else if last {
            return Err(match node.child_mut(seg) {
                Some(Node::Branch(_)) => CliError::usage(format!(
                    "`{path}` is set as a whole, but other arguments already set parts of it"
                )),
                _ => CliError::usage(format!("`{path}` is given more than once")),
            });
        }
        let Some(child) = node.child_mut(seg) else {
            return Err(CliError::usage("internal: a child vanished"));
        };
        if let Node::Leaf { .. } = child {
            return Err(CliError::usage(format!(
                "`{arg}` sets a part of `{path}`, which another argument already sets as a whole"
            )));
        }
        node = child;
    }
    Ok(())
}

struct Checker {
    api: &'static Api,
}

impl Checker {
    fn convert(&self, node: &Node, ty: &TypeMeta, path: &str) -> Result<Value> {
        match ty {
            TypeMeta::Object(class) => self.object(node, Some(class), path),
            TypeMeta::AnyObject => self.object(node, None, path),
            TypeMeta::Array(inner) => self.array(node, inner, path),
            TypeMeta::Map(inner) => self.map(node, inner, path),
            TypeMeta::File => Err(CliError::usage(format!(
                "`{}`: files can only be action parameters",
                node.first_arg()
            ))),
            scalar => match node {
                Node::Leaf { value, .. } => self.scalar(value, scalar, path),
                Node::Branch(_) => Err(CliError::usage(format!(
                    "`{}`: `{path}` is a {}, not an object; set it with {path}=VALUE",
                    node.first_arg(),
                    scalar.name()
                ))),
            },
        }
    }

    fn scalar(&self, value: &str, ty: &TypeMeta, path: &str) -> Result<Value> {
        let wrong = |expected: &str| {
            CliError::usage(format!(
                "`{path}` takes {expected}, and the value given is not one"
            ))
        };
        match ty {
            TypeMeta::Int | TypeMeta::BigInt => value
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| wrong(&format!("an {} (a whole number)", ty.name()))),
            TypeMeta::Float => value
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| wrong("a float (a number)")),
            TypeMeta::Bool => match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(Value::Bool(true)),
                "false" | "0" | "no" => Ok(Value::Bool(false)),
                _ => Err(wrong("a bool (true or false)")),
            },
            TypeMeta::String => Ok(Value::String(value.to_string())),
            TypeMeta::Enum(name) => self.enum_value(value, name, path),
            other => Err(CliError::usage(format!(
                "`{path}` is a {}; it cannot be given as text",
                other.name()
            ))),
        }
    }

    fn enum_value(&self, value: &str, name: &str, path: &str) -> Result<Value> {
        let Some(e) = self.api.enum_(name) else {
            // Not described: sent as given.
            return Ok(Value::String(value.to_string()));
        };
        let found = e.values.iter().find(|(_, v)| v == value).or_else(|| {
            e.values
                .iter()
                .find(|(constant, _)| constant.eq_ignore_ascii_case(value))
        });
        let Some((_, wire)) = found else {
            let mut listed: Vec<String> = e
                .values
                .iter()
                .take(12)
                .map(|(c, v)| format!("{c} ({v})"))
                .collect();
            if e.values.len() > 12 {
                listed.push(format!(
                    "... ({} in all; `kaltura api --types {name}`)",
                    e.values.len()
                ));
            }
            return Err(CliError::usage(format!(
                "`{path}` takes a value of {name}, and the value given is not one{}; \
                 its values are: {}",
                did_you_mean(value, e.values.iter().map(|(c, _)| c.as_str())),
                listed.join(", ")
            )));
        };
        if e.is_int {
            if let Ok(n) = wire.parse::<i64>() {
                return Ok(Value::from(n));
            }
        }
        Ok(Value::String(wire.clone()))
    }

    fn object(&self, node: &Node, declared: Option<&str>, path: &str) -> Result<Value> {
        let declared_name = declared.unwrap_or("KalturaObjectBase");
        let Node::Branch(children) = node else {
            return Err(CliError::usage(format!(
                "`{}`: `{path}` is an object ({declared_name}); set its properties with \
                 {path}:NAME=VALUE (and its class with {path}:objectType=...)",
                node.first_arg()
            )));
        };
        let given_type = children.iter().find(|(n, _)| n == "objectType");
        let object_type = match given_type {
            Some((_, Node::Leaf { value, .. })) => self.class_for(value, declared, path)?,
            Some((_, other)) => {
                return Err(CliError::usage(format!(
                    "`{}`: `{path}:objectType` takes a class name",
                    other.first_arg()
                )))
            }
            None => match declared {
                Some(d) => d.to_string(),
                None => {
                    return Err(CliError::usage(format!(
                    "`{}`: `{path}` can be any object; say which with {path}:objectType=KalturaX",
                    node.first_arg()
                )))
                }
            },
        };
        let class = self
            .api
            .class(&object_type)
            .ok_or_else(|| CliError::usage(format!("the class {object_type} is not described")))?;
        if class.is_abstract {
            let concrete = self.concrete_subclasses(&object_type);
            return Err(CliError::usage(format!(
                "`{path}`: {object_type} is abstract; choose a class with \
                 {path}:objectType=... ({})",
                if concrete.is_empty() {
                    "none is described".to_string()
                } else {
                    format!("e.g. {}", concrete.join(", "))
                }
            )));
        }
        let properties = self.api.properties(&object_type);
        let mut out = Map::new();
        out.insert("objectType".into(), Value::String(object_type.clone()));
        for (name, child) in children {
            if name == "objectType" {
                continue;
            }
            let sub = format!("{path}:{name}");
            let Some(prop) = properties.iter().find(|p| p.name == *name) else {
                return Err(CliError::usage(format!(
                    "`{}`: {object_type} has no property `{name}`{}; \
                     `kaltura api --types {object_type}` lists its properties",
                    child.first_arg(),
                    did_you_mean(name, properties.iter().map(|p| p.name.as_str()))
                )));
            };
            if prop.read_only {
                return Err(CliError::usage(format!(
                    "`{}`: `{sub}` is read-only; the server sets it",
                    child.first_arg()
                )));
            }
            if let Node::Leaf { value, .. } = child {
                if value == NULL {
                    out.insert(format!("{name}{NULL}"), Value::String(String::new()));
                    continue;
                }
            }
            out.insert(name.clone(), self.convert(child, &prop.ty, &sub)?);
        }
        Ok(Value::Object(out))
    }

    /// The class a user named for `path:objectType`, checked against the declared one.
    fn class_for(&self, name: &str, declared: Option<&str>, path: &str) -> Result<String> {
        let Some(class) = self.api.class(name) else {
            let candidates: Vec<&str> = self
                .api
                .classes
                .iter()
                .filter(|c| declared.is_none_or(|d| self.api.is_a(&c.name, d)))
                .map(|c| c.name.as_str())
                .collect();
            return Err(CliError::usage(format!(
                "`{path}:objectType` names no class this build knows{}",
                did_you_mean(name, candidates)
            )));
        };
        if let Some(d) = declared {
            if !self.api.is_a(&class.name, d) {
                let some = self.concrete_subclasses(d);
                return Err(CliError::usage(format!(
                    "`{path}:objectType` names a class that is not a kind of {d}, the type \
                     of `{path}`{}",
                    if some.is_empty() {
                        String::new()
                    } else {
                        format!("; classes that fit: {}", some.join(", "))
                    }
                )));
            }
        }
        Ok(class.name.clone())
    }

    /// Up to eight concrete classes deriving from `class` (itself included).
    fn concrete_subclasses(&self, class: &str) -> Vec<String> {
        let all: Vec<String> = self
            .api
            .classes
            .iter()
            .filter(|c| !c.is_abstract && self.api.is_a(&c.name, class))
            .map(|c| c.name.clone())
            .collect();
        let mut shown: Vec<String> = all.iter().take(8).cloned().collect();
        if all.len() > 8 {
            shown.push(format!("and {} more", all.len() - 8));
        }
        shown
    }

    fn array(&self, node: &Node, inner: &TypeMeta, path: &str) -> Result<Value> {
        let Node::Branch(children) = node else {
            return Err(CliError::usage(format!(
                "`{}`: `{path}` is a list of {}; give its items as {path}:0..., {path}:1...",
                node.first_arg(),
                inner.name()
            )));
        };
        let mut items: Vec<(usize, &Node)> = Vec::with_capacity(children.len());
        for (key, child) in children {
            let index = key.parse::<usize>().map_err(|_| {
                CliError::usage(format!(
                    "`{}`: `{path}` is a list; its items are numbered ({path}:0, {path}:1, ...), \
                     not named `{key}`",
                    child.first_arg()
                ))
            })?;
            items.push((index, child));
        }
        items.sort_by_key(|(i, _)| *i);
        let mut out = Vec::with_capacity(items.len());
        for (expected, (index, child)) in items.into_iter().enumerate() {
            if index != expected {
                return Err(CliError::usage(format!(
                    "`{}`: `{path}:{index}` is given but `{path}:{expected}` is not; number \
                     the items from 0 without gaps",
                    child.first_arg()
                )));
            }
            out.push(self.convert(child, inner, &format!("{path}:{index}"))?);
        }
        Ok(Value::Array(out))
    }

    fn map(&self, node: &Node, inner: &TypeMeta, path: &str) -> Result<Value> {
        let Node::Branch(children) = node else {
            return Err(CliError::usage(format!(
                "`{}`: `{path}` is a map of {}; give its entries as {path}:KEY...",
                node.first_arg(),
                inner.name()
            )));
        };
        let mut out = Map::new();
        for (key, child) in children {
            out.insert(
                key.clone(),
                self.convert(child, inner, &format!("{path}:{key}"))?,
            );
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn ok(service: &str, action: &str, list: &[&str]) -> Value {
        match build(kaltura_metadata::api(), service, action, &args(list)) {
            Ok(call) => Value::Object(call.params),
            Err(e) => panic!("{e}"),
        }
    }

    fn err(service: &str, action: &str, list: &[&str]) -> String {
        match build(kaltura_metadata::api(), service, action, &args(list)) {
            Ok(call) => panic!("accepted: {:?}", call.params),
            Err(e) => {
                assert_eq!(e.exit_code(), crate::error::code::USAGE);
                e.to_string()
            }
        }
    }

    #[test]
    fn nested_values_are_native_json() {
        let v = ok(
            "media",
            "list",
            &[
                "filter:objectType=KalturaMediaEntryFilter",
                "filter:nameLike=intro",
                "filter:mediaTypeEqual=VIDEO",
                "pager:pageSize=5",
            ],
        );
        assert_eq!(
            v,
            json!({
                "filter": {"objectType": "KalturaMediaEntryFilter", "nameLike": "intro", "mediaTypeEqual": 1},
                "pager": {"objectType": "KalturaFilterPager", "pageSize": 5},
            })
        );
        // Constant names ignore case; wire values work too.
        let v = ok("media", "list", &["filter:mediaTypeEqual=video"]);
        assert_eq!(v["filter"]["mediaTypeEqual"], 1);
        let v = ok("media", "list", &["filter:mediaTypeEqual=2"]);
        assert_eq!(v["filter"]["mediaTypeEqual"], 2);
    }

    #[test]
    fn clearing_and_strings() {
        let v = ok(
            "media",
            "update",
            &[
                "entryId=0_abc",
                "mediaEntry:description=__null",
                "mediaEntry:tags=a,b",
            ],
        );
        assert_eq!(
            v,
            json!({"entryId": "0_abc", "mediaEntry": {"objectType": "KalturaMediaEntry", "description__null": "", "tags": "a,b"}})
        );
        let v = ok("media", "list", &["filter=__null"]);
        assert_eq!(v, json!({"filter__null": ""}));
    }

    #[test]
    fn arrays() {
        let v = ok(
            "report",
            "execute",
            &[
                "id=5",
                "params:0:key=a",
                "params:0:value=1",
                "params:1:key=b",
            ],
        );
        assert_eq!(
            v["params"],
            json!([
                {"objectType": "KalturaKeyValue", "key": "a", "value": "1"},
                {"objectType": "KalturaKeyValue", "key": "b"},
            ])
        );
        let e = err("report", "execute", &["id=5", "params:1:key=b"]);
        assert!(e.contains("params:0"), "{e}");
        let e = err("report", "execute", &["id=5", "params:x:key=b"]);
        assert!(e.contains("numbered"), "{e}");
        let e = err("report", "execute", &["id=5", "params=abc"]);
        assert!(e.contains("list of KalturaKeyValue"), "{e}");
    }

    #[test]
    fn names_are_checked_with_suggestions() {
        let e = build(kaltura_metadata::api(), "medai", "list", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `media`"), "{e}");
        let e = build(kaltura_metadata::api(), "media", "lst", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `list`"), "{e}");
        let e = err("media", "list", &["fitler:nameLike=x"]);
        assert!(e.contains("did you mean `filter`"), "{e}");
        let e = err("media", "list", &["filter:nameLik=x"]);
        assert!(e.contains("did you mean `nameLike`"), "{e}");
        // Service ids and names both work, in any case.
        ok("UploadToken", "list", &[]);
        ok("uploadtoken", "LIST", &[]);
    }

    #[test]
    fn types_are_checked() {
        let e = err("media", "list", &["pager:pageSize=abc"]);
        assert!(e.contains("pager:pageSize") && e.contains("int"), "{e}");
        let e = err("media", "list", &["filter:mediaTypeEqual=VIDOE"]);
        assert!(
            e.contains("KalturaMediaType") && e.contains("did you mean `VIDEO`"),
            "{e}"
        );
        let e = err("media", "get", &["entryId=x", "version=1.5"]);
        assert!(e.contains("version"), "{e}");
        let e = err("media", "list", &["pager=5"]);
        assert!(e.contains("is an object"), "{e}");
        let e = err("media", "get", &["entryId:x=1"]);
        assert!(e.contains("not an object"), "{e}");
        let e = err(
            "uploadToken",
            "upload",
            &["uploadTokenId=1", "fileData=@/nonexistent/file"],
        );
        assert!(e.contains("/nonexistent/file"), "{e}");
        let e = err(
            "uploadToken",
            "upload",
            &["uploadTokenId=1", "resume=maybe"],
        );
        assert!(e.contains("bool"), "{e}");
        let e = err(
            "uploadToken",
            "upload",
            &["uploadTokenId=1", "fileData=nofile"],
        );
        assert!(e.contains("@PATH"), "{e}");
    }

    #[test]
    fn classes_are_checked() {
        let e = err("media", "list", &["filter:objectType=KalturaUserFilter"]);
        assert!(e.contains("not a kind of KalturaMediaEntryFilter"), "{e}");
        let e = err(
            "media",
            "list",
            &["filter:objectType=KalturaMediaEntryFiltr"],
        );
        assert!(e.contains("did you mean `KalturaMediaEntryFilter`"), "{e}");
        let e = err("media", "add", &["entry:id=1"]);
        assert!(e.contains("read-only"), "{e}");
        let v = ok(
            "media",
            "list",
            &[
                "filter:objectType=KalturaMediaEntryFilterForPlaylist",
                "filter:nameLike=x",
            ],
        );
        assert_eq!(
            v["filter"]["objectType"],
            "KalturaMediaEntryFilterForPlaylist"
        );
        let e = err("media", "list", &["filter:nameLike=x", "filter=__null"]);
        assert!(e.contains("as a whole"), "{e}");
    }

    #[test]
    fn the_documented_examples_are_accepted() {
        ok(
            "media",
            "addContent",
            &[
                "entryId=0_abc",
                "resource:objectType=KalturaUploadedFileTokenResource",
                "resource:token=1_tok",
            ],
        );
        ok("media", "list", &["filter:mediaTypeEqual=VIDEO"]);
        ok("thumbAsset", "serve", &["thumbAssetId=0_xyz"]);
        ok("media", "get", &["entryId=0_abc"]);
    }

    /// Values may be secrets read from stdin: a message names the parameter only.
    #[test]
    fn errors_never_repeat_a_value() {
        const V: &str = "hunter2hunter2";
        for list in [
            &["pager:pageSize=hunter2hunter2"][..],
            &["filter:mediaTypeEqual=hunter2hunter2"],
            &["filter:objectType=hunter2hunter2"],
            &[
                "filter:objectType=KalturaUserFilter",
                "filter:nameLike=hunter2hunter2",
            ],
            &["hunter2hunter2"],
            &["entryId=0_a", "hunter2hunter2"],
            &["pager=hunter2hunter2"],
            &["filter=hunter2hunter2", "filter:nameLike=x"],
            &["filter:nameLike=x", "filter=hunter2hunter2"],
            &[
                "filter:nameLike=hunter2hunter2",
                "filter:nameLike=hunter2hunter2",
            ],
            &["fitler:nameLike=hunter2hunter2"],
            &["filter:nameLik=hunter2hunter2"],
        ] {
            let e = err("media", "list", list);
            assert!(!e.contains(V), "{list:?}: {e}");
        }
        let e = err("media", "get", &["entryId=x", "version=hunter2hunter2"]);
        assert!(!e.contains(V) && e.contains("`version`"), "{e}");
        let e = err(
            "uploadToken",
            "upload",
            &["uploadTokenId=1", "resume=hunter2hunter2"],
        );
        assert!(!e.contains(V) && e.contains("`resume`"), "{e}");
    }

    #[test]
    fn required_and_repeated() {
        let e = err("media", "get", &[]);
        assert!(e.contains("entryId (string)"), "{e}");
        let e = err("media", "get", &["entryId=a", "entryId=b"]);
        assert!(e.contains("more than once"), "{e}");
        let e = err("media", "list", &["filter=__null", "filter:nameLike=x"]);
        assert!(e.contains("already sets"), "{e}");
        let e = err("media", "list", &["justaword"]);
        assert!(e.contains("NAME=VALUE"), "{e}");
        let e = err("media", "list", &["filter::x=1"]);
        assert!(e.contains("empty part"), "{e}");
    }
}
