//! The checked model. Types refer to each other by id ([`ClassId`], [`EnumId`]), so
//! cycles and inheritance are plain data.

use std::collections::BTreeMap;

/// Index of a class in [`Model::classes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct ClassId(pub u32);

/// Index of an enum in [`Model::enums`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct EnumId(pub u32);

/// Where an item was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Loc {
    pub line: usize,
    pub column: usize,
}

/// Attributes this crate does not interpret, kept so nothing in the file is lost.
pub type Extra = BTreeMap<String, String>;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Model {
    pub api_version: String,
    pub generated_date: Option<String>,
    pub enums: Vec<Enum>,
    pub classes: Vec<Class>,
    pub services: Vec<Service>,
    pub plugins: Vec<Plugin>,
    pub errors: Vec<ApiError>,
    pub configurations: Configurations,
    #[serde(skip)]
    pub(crate) enum_index: BTreeMap<String, EnumId>,
    #[serde(skip)]
    pub(crate) class_index: BTreeMap<String, ClassId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum EnumKind {
    Int,
    String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Enum {
    pub name: String,
    pub kind: EnumKind,
    pub plugin: Option<String>,
    pub deprecated: bool,
    pub consts: Vec<EnumConst>,
    pub extra: Extra,
    pub loc: Loc,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EnumConst {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Class {
    pub name: String,
    pub base: Option<ClassId>,
    pub is_abstract: bool,
    pub plugin: Option<String>,
    pub deprecated: bool,
    pub description: String,
    pub properties: Vec<Property>,
    /// Direct subclasses, in declaration order.
    pub children: Vec<ClassId>,
    pub extra: Extra,
    pub loc: Loc,
}

/// A property or parameter type, with every name resolved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum TypeRef {
    Int,
    BigInt,
    Float,
    Bool,
    String,
    /// Uploaded file content (parameters) or served bytes (results).
    File,
    /// An int or string property constrained to an enum (`enumType`).
    Enum(EnumId),
    Object(ClassId),
    /// `KalturaObjectBase`: the implicit root every object derives from.
    AnyObject,
    Array(Box<TypeRef>),
    /// A JSON object keyed by string.
    Map(Box<TypeRef>),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Property {
    pub name: String,
    pub ty: TypeRef,
    pub read_only: bool,
    pub insert_only: bool,
    pub write_only: bool,
    pub nullable: bool,
    pub is_time: bool,
    pub multi_lingual: bool,
    pub deprecated: bool,
    pub description: String,
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub min_value: Option<String>,
    pub max_value: Option<String>,
    pub requires_permissions: Option<String>,
    pub extra: Extra,
    pub loc: Loc,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Service {
    /// The wire id: lowercase, `plugin_service` for plugin services.
    pub id: String,
    /// The camelCase name (`uploadToken`).
    pub name: String,
    pub plugin: Option<String>,
    pub deprecated: bool,
    pub description: String,
    pub actions: Vec<Action>,
    pub extra: Extra,
    pub loc: Loc,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Action {
    pub name: String,
    pub description: String,
    pub deprecated: bool,
    pub beta: bool,
    /// `false` when the server refuses this action inside a multirequest.
    pub enable_in_multi_request: bool,
    /// `always`, `optional` or `none`; absent in old schemas.
    pub session_required: Option<String>,
    pub action_alias: Option<String>,
    pub params: Vec<Param>,
    /// `None` for actions that return nothing.
    pub result: Option<TypeRef>,
    pub throws: Vec<String>,
    pub extra: Extra,
    pub loc: Loc,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Param {
    pub name: String,
    pub ty: TypeRef,
    pub optional: bool,
    /// The schema's default as written (`null`, `-1`, `false`, ...).
    pub default: Option<String>,
    pub description: String,
    pub extra: Extra,
    pub loc: Loc,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Plugin {
    pub name: String,
    /// Service names (camelCase) the plugin declares.
    pub services: Vec<String>,
    /// Plugins this one depends on, as declared.
    pub dependencies: Vec<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiError {
    pub name: String,
    pub code: String,
    pub message: String,
    pub parameters: Vec<String>,
    pub description: String,
    pub loc: Loc,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Configurations {
    /// Client-level settings (`clientTag`, `apiVersion`).
    pub client: Vec<ConfigParam>,
    /// Request-level settings (`partnerId`, `ks`, `language`, `responseProfile`, ...).
    pub request: Vec<ConfigParam>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConfigParam {
    pub name: String,
    pub ty: TypeRef,
    pub alias: Option<String>,
    pub description: String,
    /// Reset after every call.
    pub volatile: bool,
}

impl Model {
    pub fn class(&self, id: ClassId) -> &Class {
        &self.classes[id.0 as usize]
    }

    pub fn enum_(&self, id: EnumId) -> &Enum {
        &self.enums[id.0 as usize]
    }

    pub fn class_id(&self, name: &str) -> Option<ClassId> {
        self.class_index.get(name).copied()
    }

    pub fn enum_id(&self, name: &str) -> Option<EnumId> {
        self.enum_index.get(name).copied()
    }

    pub fn class_ids(&self) -> impl Iterator<Item = ClassId> {
        (0..self.classes.len() as u32).map(ClassId)
    }

    pub fn enum_ids(&self) -> impl Iterator<Item = EnumId> {
        (0..self.enums.len() as u32).map(EnumId)
    }

    /// Base classes from the nearest to the root.
    pub fn ancestors(&self, id: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut cur = self.class(id).base;
        while let Some(b) = cur {
            out.push(b);
            cur = self.class(b).base;
        }
        out
    }

    /// Every subclass, depth first, in declaration order.
    pub fn descendants(&self, id: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut todo: Vec<ClassId> = self.class(id).children.iter().rev().copied().collect();
        while let Some(c) = todo.pop() {
            out.push(c);
            todo.extend(self.class(c).children.iter().rev().copied());
        }
        out
    }

    /// `KalturaObject`, where the schema declares it: the server's root of every API
    /// object. No class names it as a base, yet its properties (`relatedObjects`, filled
    /// by response profiles) can come with any object.
    pub fn implicit_root(&self) -> Option<ClassId> {
        let id = self.class_id("KalturaObject")?;
        let class = self.class(id);
        (class.base.is_none() && class.children.is_empty()).then_some(id)
    }

    /// The classes whose properties `id` has, from the root to `id` itself: its
    /// ancestors, preceded by the implicit root (see [`Model::implicit_root`]).
    pub fn property_chain(&self, id: ClassId) -> Vec<ClassId> {
        let mut chain = self.ancestors(id);
        chain.reverse();
        if let Some(root) = self.implicit_root() {
            if chain.first().copied().unwrap_or(id) != root {
                chain.insert(0, root);
            }
        }
        chain.push(id);
        chain
    }

    /// Every property of the class, inherited ones first (root's first).
    pub fn all_properties(&self, id: ClassId) -> Vec<&Property> {
        self.property_chain(id)
            .into_iter()
            .flat_map(|c| self.class(c).properties.iter())
            .collect()
    }

    pub fn action_count(&self) -> usize {
        self.services.iter().map(|s| s.actions.len()).sum()
    }

    /// The name a type has in the schema (`int`, `KalturaMediaEntry`, `array`, ...).
    pub fn type_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Int => "int".into(),
            TypeRef::BigInt => "bigint".into(),
            TypeRef::Float => "float".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::String => "string".into(),
            TypeRef::File => "file".into(),
            TypeRef::Enum(e) => self.enum_(*e).name.clone(),
            TypeRef::Object(c) => self.class(*c).name.clone(),
            TypeRef::AnyObject => "KalturaObjectBase".into(),
            TypeRef::Array(t) => format!("array<{}>", self.type_name(t)),
            TypeRef::Map(t) => format!("map<{}>", self.type_name(t)),
        }
    }

    /// Plugins each plugin needs: declared `dependency` elements plus every plugin whose
    /// classes or enums its own items refer to, closed transitively. Keys are all plugins.
    pub fn plugin_dependencies(&self) -> BTreeMap<String, Vec<String>> {
        let mut deps: BTreeMap<String, std::collections::BTreeSet<String>> = self
            .plugins
            .iter()
            .map(|p| (p.name.clone(), p.dependencies.iter().cloned().collect()))
            .collect();
        let mut note = |from: &Option<String>, to: Option<&String>| {
            if let (Some(from), Some(to)) = (from, to) {
                if from != to {
                    deps.entry(from.clone()).or_default().insert(to.clone());
                }
            }
        };
        for c in &self.classes {
            if let Some(b) = c.base {
                note(&c.plugin, self.class(b).plugin.as_ref());
            }
            for p in &c.properties {
                for t in self.type_plugins(&p.ty) {
                    note(&c.plugin, t);
                }
            }
        }
        for s in &self.services {
            for a in &s.actions {
                let types = a.params.iter().map(|p| &p.ty).chain(a.result.iter());
                for ty in types {
                    for t in self.type_plugins(ty) {
                        note(&s.plugin, t);
                    }
                }
            }
        }
        // Transitive closure, so a feature list is complete on its own.
        let keys: Vec<String> = deps.keys().cloned().collect();
        let mut closed = BTreeMap::new();
        for k in &keys {
            let mut seen = std::collections::BTreeSet::new();
            let mut todo = vec![k.clone()];
            while let Some(p) = todo.pop() {
                for d in deps.get(&p).into_iter().flatten() {
                    if d != k && seen.insert(d.clone()) {
                        todo.push(d.clone());
                    }
                }
            }
            closed.insert(k.clone(), seen.into_iter().collect());
        }
        closed
    }

    fn type_plugins(&self, ty: &TypeRef) -> Vec<Option<&String>> {
        match ty {
            TypeRef::Enum(e) => vec![self.enum_(*e).plugin.as_ref()],
            TypeRef::Object(c) => vec![self.class(*c).plugin.as_ref()],
            TypeRef::Array(t) | TypeRef::Map(t) => self.type_plugins(t),
            _ => vec![],
        }
    }
}
