//! A description of the generated API as data: services, actions, parameters, classes
//! and enums with their wire names. Tools (the `kaltura` command line, schema checks)
//! use it to check names and types before sending anything.
//!
//! The generator writes it as `metadata.json` in the `kaltura-metadata` crate (data diffs well and costs
//! nothing to compile); it is read once, on first use.

use serde::{Deserialize, Serialize};

/// A value's type as the schema declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "of", rename_all = "camelCase")]
pub enum TypeMeta {
    Int,
    BigInt,
    Float,
    Bool,
    String,
    File,
    /// An enum, by Kaltura name.
    Enum(String),
    /// A class, by Kaltura name.
    Object(String),
    /// `KalturaObjectBase`: any object.
    AnyObject,
    Array(Box<TypeMeta>),
    Map(Box<TypeMeta>),
}

impl TypeMeta {
    /// The schema's name for the type (`int`, `KalturaMediaEntry`, `array<...>`).
    pub fn name(&self) -> String {
        match self {
            TypeMeta::Int => "int".into(),
            TypeMeta::BigInt => "bigint".into(),
            TypeMeta::Float => "float".into(),
            TypeMeta::Bool => "bool".into(),
            TypeMeta::String => "string".into(),
            TypeMeta::File => "file".into(),
            TypeMeta::Enum(n) | TypeMeta::Object(n) => n.clone(),
            TypeMeta::AnyObject => "KalturaObjectBase".into(),
            TypeMeta::Array(t) => format!("array<{}>", t.name()),
            TypeMeta::Map(t) => format!("map<{}>", t.name()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParamMeta {
    pub name: String,
    pub ty: TypeMeta,
    pub optional: bool,
    /// The server's default, as the schema writes it.
    pub default: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActionMeta {
    pub name: String,
    pub params: Vec<ParamMeta>,
    /// `None` for actions that return nothing.
    pub result: Option<TypeMeta>,
    pub multirequest: bool,
    pub deprecated: bool,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceMeta {
    /// Wire id (`uploadtoken`, `metadata_metadata`).
    pub id: String,
    /// camelCase name (`uploadToken`).
    pub name: String,
    pub plugin: Option<String>,
    pub actions: Vec<ActionMeta>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PropertyMeta {
    pub name: String,
    pub ty: TypeMeta,
    pub read_only: bool,
    pub insert_only: bool,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassMeta {
    pub name: String,
    pub base: Option<String>,
    pub is_abstract: bool,
    pub plugin: Option<String>,
    /// Own properties only; see [`Api::properties`] for inherited ones too.
    pub properties: Vec<PropertyMeta>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumMeta {
    pub name: String,
    /// `true` for int enums.
    pub is_int: bool,
    pub plugin: Option<String>,
    /// (constant name, wire value)
    pub values: Vec<(String, String)>,
}

/// The whole generated API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Api {
    pub api_version: String,
    pub services: Vec<ServiceMeta>,
    pub classes: Vec<ClassMeta>,
    pub enums: Vec<EnumMeta>,
}

impl Api {
    /// Reads the generator's `metadata.json` (the `kaltura-metadata` crate holds the
    /// one the client was generated with).
    pub fn from_json(json: &str) -> Result<Api, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// A service by wire id or name, ignoring case.
    pub fn service(&self, name: &str) -> Option<&ServiceMeta> {
        self.services
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(name) || s.name.eq_ignore_ascii_case(name))
    }

    pub fn class(&self, name: &str) -> Option<&ClassMeta> {
        self.classes.iter().find(|c| c.name == name)
    }

    pub fn enum_(&self, name: &str) -> Option<&EnumMeta> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// Every property of a class, inherited ones first.
    pub fn properties(&self, class: &str) -> Vec<&PropertyMeta> {
        let mut chain = Vec::new();
        let mut cur = self.class(class);
        while let Some(c) = cur {
            chain.push(c);
            cur = c.base.as_deref().and_then(|b| self.class(b));
            if chain.len() > self.classes.len() {
                break;
            }
        }
        chain
            .iter()
            .rev()
            .flat_map(|c| c.properties.iter())
            .collect()
    }

    /// Whether `class` is `ancestor` or derives from it.
    pub fn is_a(&self, class: &str, ancestor: &str) -> bool {
        let mut cur = self.class(class);
        let mut steps = 0;
        while let Some(c) = cur {
            if c.name == ancestor {
                return true;
            }
            cur = c.base.as_deref().and_then(|b| self.class(b));
            steps += 1;
            if steps > self.classes.len() {
                break;
            }
        }
        false
    }
}

impl ServiceMeta {
    /// An action by name, ignoring case.
    pub fn action(&self, name: &str) -> Option<&ActionMeta> {
        self.actions
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

impl ActionMeta {
    pub fn param(&self, name: &str) -> Option<&ParamMeta> {
        self.params.iter().find(|p| p.name == name)
    }
}
