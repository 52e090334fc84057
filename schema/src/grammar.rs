//! What a schema may contain: which element may stand inside which, and the attributes
//! of each. The reader keeps only the elements named here (an unknown one is skipped
//! with everything inside it, and reported once), and reports attributes that are
//! neither read nor known from the vendor's schemas.

/// The role of an element, from its name and its parent's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Root,
    Enums,
    Enum,
    Const,
    Classes,
    Class,
    Property,
    Services,
    Service,
    Action,
    Param,
    Result,
    Throws,
    Plugins,
    Plugin,
    PluginService,
    Dependency,
    Errors,
    Error,
    ErrorParameter,
    Configurations,
    /// `<client>` or `<request>` inside `<configurations>`.
    ConfigGroup,
    /// Any element inside a configuration group: its name is the setting's.
    ConfigParam,
}

/// Attributes the reader interprets; for items with `extra`, every other attribute
/// lands there.
pub(crate) const ENUM_ATTRS: &[&str] = &["name", "enumType", "plugin", "deprecated"];
pub(crate) const CLASS_ATTRS: &[&str] = &[
    "name",
    "base",
    "abstract",
    "plugin",
    "deprecated",
    "description",
];
pub(crate) const PROPERTY_ATTRS: &[&str] = &[
    "name",
    "type",
    "enumType",
    "arrayType",
    "readOnly",
    "insertOnly",
    "writeOnly",
    "nullable",
    "isTime",
    "multiLingual",
    "deprecated",
    "description",
    "minLength",
    "maxLength",
    "minValue",
    "maxValue",
    "requiresPermissions",
];
pub(crate) const SERVICE_ATTRS: &[&str] = &["id", "name", "plugin", "deprecated", "description"];
pub(crate) const ACTION_ATTRS: &[&str] = &[
    "name",
    "description",
    "deprecated",
    "beta",
    "enableInMultiRequest",
    "sessionRequired",
    "actionAlias",
];
pub(crate) const PARAM_ATTRS: &[&str] = &[
    "name",
    "type",
    "enumType",
    "arrayType",
    "optional",
    "default",
    "description",
];
const ROOT_ATTRS: &[&str] = &["apiVersion", "generatedDate"];
const CONST_ATTRS: &[&str] = &["name", "value"];
const TYPED_ATTRS: &[&str] = &["type", "enumType", "arrayType"];
const NAME_ATTR: &[&str] = &["name"];
const DEPENDENCY_ATTRS: &[&str] = &["pluginName"];
const ERROR_ATTRS: &[&str] = &["name", "code", "message", "description"];
const CONFIG_PARAM_ATTRS: &[&str] = &[
    "type",
    "enumType",
    "arrayType",
    "alias",
    "description",
    "volatile",
];

/// Attributes the vendor's servers write that the generator has no use for: kept in
/// `extra` without a warning. Found in the schemas under `api/` and in the vendor's
/// schema writer.
const ROOT_KNOWN: &[&str] = &["revision"];
const CLASS_KNOWN: &[&str] = &["requiresPermissions"];
const PROPERTY_KNOWN: &[&str] = &["valuesEnumType", "valuesMinValue", "utf8truncate"];
const ACTION_KNOWN: &[&str] = &[
    "plugin",
    "supportedRequestFormats",
    "supportedResponseFormats",
];
const TIME_KNOWN: &[&str] = &["isTime"];
const CONFIG_GROUP_KNOWN: &[&str] = &["type"];

impl Kind {
    /// The role of a child element called `name`; `None` for an element this reader
    /// does not know there.
    pub fn child(self, name: &str) -> Option<Kind> {
        use Kind::*;
        Some(match (self, name) {
            (Root, "enums") => Enums,
            (Root, "classes") => Classes,
            (Root, "services") => Services,
            (Root, "plugins") => Plugins,
            (Root, "errors") => Errors,
            (Root, "configurations") => Configurations,
            (Enums, "enum") => Enum,
            (Enum, "const") => Const,
            (Classes, "class") => Class,
            (Class, "property") => Property,
            (Services, "service") => Service,
            (Service, "action") => Action,
            (Action, "param") => Param,
            (Action, "result") => Result,
            (Action, "throws") => Throws,
            (Plugins, "plugin") => Plugin,
            (Plugin, "pluginService") => PluginService,
            (Plugin, "dependency") => Dependency,
            (Errors, "error") => Error,
            (Error, "parameter") => ErrorParameter,
            (Configurations, "client" | "request") => ConfigGroup,
            (ConfigGroup, _) => ConfigParam,
            _ => return None,
        })
    }

    /// Attributes of this element that are read, and those known but unused.
    fn attributes(self) -> (&'static [&'static str], &'static [&'static str]) {
        use Kind::*;
        match self {
            Root => (ROOT_ATTRS, ROOT_KNOWN),
            Enums | Classes | Services | Plugins | Errors | Configurations => (&[], &[]),
            Enum => (ENUM_ATTRS, &[]),
            Const => (CONST_ATTRS, &[]),
            Class => (CLASS_ATTRS, CLASS_KNOWN),
            Property => (PROPERTY_ATTRS, PROPERTY_KNOWN),
            Service => (SERVICE_ATTRS, &[]),
            Action => (ACTION_ATTRS, ACTION_KNOWN),
            Param => (PARAM_ATTRS, TIME_KNOWN),
            Result => (TYPED_ATTRS, TIME_KNOWN),
            Throws | Plugin | PluginService | ErrorParameter => (NAME_ATTR, &[]),
            Dependency => (DEPENDENCY_ATTRS, &[]),
            Error => (ERROR_ATTRS, &[]),
            ConfigGroup => (&[], CONFIG_GROUP_KNOWN),
            ConfigParam => (CONFIG_PARAM_ATTRS, &[]),
        }
    }

    /// Whether `attribute` is read or known on this element; others are warned about.
    pub fn knows(self, attribute: &str) -> bool {
        let (read, known) = self.attributes();
        read.contains(&attribute) || known.contains(&attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn every_read_attribute_is_known() {
        let kinds = [
            Kind::Root,
            Kind::Enum,
            Kind::Class,
            Kind::Property,
            Kind::Service,
            Kind::Action,
            Kind::Param,
            Kind::Error,
        ];
        for kind in kinds {
            assert!(kind.knows(kind.attributes().0[0]), "{kind:?}");
        }
        assert!(Kind::Property.knows("valuesEnumType"));
        assert!(!Kind::Property.knows("colour"));
        assert_eq!(Kind::ConfigGroup.child("anything"), Some(Kind::ConfigParam));
        assert_eq!(Kind::ConfigParam.child("anything"), None);
        assert_eq!(Kind::Root.child("class"), None);
    }
}
