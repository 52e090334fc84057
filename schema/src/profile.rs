//! Profiles limit generation to a surface of the API.
//!
//! A profile is a list of rules, one per line, in the syntax of the vendor's public
//! profile: `exclude service.action`, `include service.action`, `ignore TypeName`,
//! `additional TypeName`; `#` starts a comment. Service ids and action names match
//! case-insensitively and `*` matches any run of characters. With no `include` rule every
//! action is a candidate; `exclude` then removes actions. Types are kept by
//! reachability from the kept actions (and `additional` types): parameter and result
//! types, base classes, subclasses, and property types, until nothing new is added.
//! `ignore` types are never added by reachability (an ancestor of a kept class is kept
//! all the same, since the class cannot exist without it). Enums of the core and of
//! every plugin with something kept are kept whether referenced or not. Services left without
//! actions, and plugins left without items, are dropped.
//!
//! A profile without rules ([`Profile::all`]) keeps the whole schema as it is, types
//! that nothing refers to included (the `…OrderBy` enums, for one).

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum RuleKind {
    Include,
    Exclude,
    Ignore,
    Additional,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub kind: RuleKind,
    /// Lowercased pattern.
    pub pattern: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub source: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.source, self.line, self.message)
    }
}

impl std::error::Error for ProfileError {}

/// What a profile keeps of a model, as sets over the model's ids.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// (service index, action index) pairs.
    pub actions: BTreeSet<(usize, usize)>,
    pub classes: BTreeSet<ClassId>,
    pub enums: BTreeSet<EnumId>,
}

impl Profile {
    /// Keeps everything: every service, action, class and enum, referred to or not.
    pub fn all() -> Self {
        Profile::default()
    }

    /// No rules: the profile keeps the whole schema.
    pub fn keeps_everything(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn parse(text: &str, source: &str) -> Result<Self, ProfileError> {
        let mut rules = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some(verb), Some(pattern), None) = (words.next(), words.next(), words.next())
            else {
                return Err(ProfileError {
                    source: source.into(),
                    line: i + 1,
                    message: format!("expected `<rule> <pattern>`, found {line:?}"),
                });
            };
            let kind = match verb {
                "include" => RuleKind::Include,
                "exclude" => RuleKind::Exclude,
                "ignore" => RuleKind::Ignore,
                "additional" => RuleKind::Additional,
                other => {
                    return Err(ProfileError {
                        source: source.into(),
                        line: i + 1,
                        message: format!(
                        "unknown rule `{other}` (expected include, exclude, ignore or additional)"
                    ),
                    })
                }
            };
            let is_action = matches!(kind, RuleKind::Include | RuleKind::Exclude);
            if is_action && !pattern.contains('.') {
                return Err(ProfileError {
                    source: source.into(),
                    line: i + 1,
                    message: format!("`{pattern}` is not a service.action pattern"),
                });
            }
            rules.push(Rule {
                kind,
                pattern: pattern.to_lowercase(),
            });
        }
        Ok(Profile { rules })
    }

    /// Adds the rules of another profile after this one's.
    pub fn extend(&mut self, other: Profile) {
        self.rules.extend(other.rules);
    }

    fn matching(&self, kind: RuleKind, subject: &str) -> bool {
        self.rules
            .iter()
            .any(|r| r.kind == kind && glob(&r.pattern, subject))
    }

    pub fn keeps_action(&self, service_id: &str, action: &str) -> bool {
        let subject = format!("{}.{}", service_id, action).to_lowercase();
        let has_include = self.rules.iter().any(|r| r.kind == RuleKind::Include);
        (!has_include || self.matching(RuleKind::Include, &subject))
            && !self.matching(RuleKind::Exclude, &subject)
    }

    /// The actions and types this profile keeps of `model`.
    pub fn select(&self, model: &Model) -> Selection {
        let mut sel = Selection::default();
        if self.keeps_everything() {
            for (si, s) in model.services.iter().enumerate() {
                sel.actions.extend((0..s.actions.len()).map(|ai| (si, ai)));
            }
            sel.classes.extend(model.class_ids());
            sel.enums.extend(model.enum_ids());
            return sel;
        }
        for (si, s) in model.services.iter().enumerate() {
            for (ai, a) in s.actions.iter().enumerate() {
                if self.keeps_action(&s.id, &a.name) {
                    sel.actions.insert((si, ai));
                }
            }
        }
        let ignored = |name: &str| self.matching(RuleKind::Ignore, &name.to_lowercase());
        let mut todo: Vec<ClassId> = Vec::new();
        let visit = |ty: &TypeRef, sel: &mut Selection, todo: &mut Vec<ClassId>| {
            walk(ty, &mut |t| match t {
                TypeRef::Enum(e) => {
                    sel.enums.insert(*e);
                }
                TypeRef::Object(c) if !ignored(&model.class(*c).name) && sel.classes.insert(*c) => {
                    todo.push(*c);
                }
                _ => {}
            })
        };
        for &(si, ai) in &sel.actions.clone() {
            let a = &model.services[si].actions[ai];
            for ty in a.params.iter().map(|p| &p.ty).chain(a.result.iter()) {
                visit(ty, &mut sel, &mut todo);
            }
        }
        for c in model
            .configurations
            .client
            .iter()
            .chain(&model.configurations.request)
        {
            visit(&c.ty, &mut sel, &mut todo);
        }
        for id in model.class_ids() {
            let name = model.class(id).name.to_lowercase();
            if self.matching(RuleKind::Additional, &name) {
                visit(&TypeRef::Object(id), &mut sel, &mut todo);
            }
        }
        // Every object may carry the implicit root's properties.
        if let Some(root) = model.implicit_root() {
            visit(&TypeRef::Object(root), &mut sel, &mut todo);
        }
        while let Some(c) = todo.pop() {
            for a in model.ancestors(c) {
                if sel.classes.insert(a) {
                    todo.push(a);
                }
            }
            for d in model.descendants(c) {
                visit(&TypeRef::Object(d), &mut sel, &mut todo);
            }
            for p in &model.class(c).properties {
                visit(&p.ty, &mut sel, &mut todo);
            }
        }
        // Enums cost little and many are used by value only (the `…OrderBy` enums name
        // what a string `orderBy` accepts), so every enum of the core and of a plugin
        // with something kept is kept too.
        let kept_plugins: std::collections::BTreeSet<&str> = sel
            .actions
            .iter()
            .filter_map(|&(si, _)| model.services[si].plugin.as_deref())
            .chain(
                sel.classes
                    .iter()
                    .filter_map(|c| model.class(*c).plugin.as_deref()),
            )
            .collect();
        for id in model.enum_ids() {
            let keep = match model.enum_(id).plugin.as_deref() {
                None => true,
                Some(p) => kept_plugins.contains(p),
            };
            if keep {
                sel.enums.insert(id);
            }
        }
        sel
    }

    /// A new model holding only what this profile keeps, with ids renumbered.
    /// Properties whose type was left out (an `ignore`d class) are dropped.
    pub fn apply(&self, model: &Model) -> Model {
        if self.keeps_everything() {
            return model.clone();
        }
        let sel = self.select(model);
        let class_map: BTreeMap<ClassId, ClassId> = sel
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, ClassId(i as u32)))
            .collect();
        let enum_map: BTreeMap<EnumId, EnumId> = sel
            .enums
            .iter()
            .enumerate()
            .map(|(i, e)| (*e, EnumId(i as u32)))
            .collect();
        let remap = |ty: &TypeRef| remap(ty, &class_map, &enum_map);
        let enums: Vec<Enum> = sel.enums.iter().map(|e| model.enum_(*e).clone()).collect();
        let classes: Vec<Class> = sel
            .classes
            .iter()
            .map(|c| {
                let old = model.class(*c);
                let mut class = old.clone();
                class.base = old.base.and_then(|b| class_map.get(&b).copied());
                class.children = old
                    .children
                    .iter()
                    .filter_map(|ch| class_map.get(ch).copied())
                    .collect();
                class.properties = old
                    .properties
                    .iter()
                    .filter_map(|p| {
                        let ty = remap(&p.ty)?;
                        Some(Property { ty, ..p.clone() })
                    })
                    .collect();
                class
            })
            .collect();
        let mut services = Vec::new();
        for (si, s) in model.services.iter().enumerate() {
            let actions: Vec<Action> = s
                .actions
                .iter()
                .enumerate()
                .filter(|(ai, _)| sel.actions.contains(&(si, *ai)))
                .filter_map(|(_, a)| {
                    let params = a
                        .params
                        .iter()
                        .map(|p| {
                            Some(Param {
                                ty: remap(&p.ty)?,
                                ..p.clone()
                            })
                        })
                        .collect::<Option<Vec<_>>>()?;
                    let result = match &a.result {
                        Some(r) => Some(remap(r)?),
                        None => None,
                    };
                    Some(Action {
                        params,
                        result,
                        ..a.clone()
                    })
                })
                .collect();
            if !actions.is_empty() {
                services.push(Service {
                    actions,
                    ..s.clone()
                });
            }
        }
        let used_plugins: BTreeSet<&str> = services
            .iter()
            .filter_map(|s| s.plugin.as_deref())
            .chain(classes.iter().filter_map(|c| c.plugin.as_deref()))
            .chain(enums.iter().filter_map(|e| e.plugin.as_deref()))
            .collect();
        let service_names: BTreeSet<String> =
            services.iter().map(|s| s.name.to_lowercase()).collect();
        let plugins = model
            .plugins
            .iter()
            .filter(|p| used_plugins.contains(p.name.as_str()))
            .map(|p| Plugin {
                services: p
                    .services
                    .iter()
                    .filter(|s| service_names.contains(&s.to_lowercase()))
                    .cloned()
                    .collect(),
                ..p.clone()
            })
            .collect();
        let cfg = |list: &[ConfigParam]| {
            list.iter()
                .filter_map(|c| {
                    Some(ConfigParam {
                        ty: remap(&c.ty)?,
                        ..c.clone()
                    })
                })
                .collect()
        };
        Model {
            api_version: model.api_version.clone(),
            generated_date: model.generated_date.clone(),
            enum_index: enums
                .iter()
                .enumerate()
                .map(|(i, e)| (e.name.clone(), EnumId(i as u32)))
                .collect(),
            class_index: classes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.name.clone(), ClassId(i as u32)))
                .collect(),
            enums,
            classes,
            services,
            plugins,
            errors: model.errors.clone(),
            configurations: Configurations {
                client: cfg(&model.configurations.client),
                request: cfg(&model.configurations.request),
            },
        }
    }
}

fn walk(ty: &TypeRef, f: &mut impl FnMut(&TypeRef)) {
    f(ty);
    if let TypeRef::Array(t) | TypeRef::Map(t) = ty {
        walk(t, f);
    }
}

fn remap(
    ty: &TypeRef,
    classes: &BTreeMap<ClassId, ClassId>,
    enums: &BTreeMap<EnumId, EnumId>,
) -> Option<TypeRef> {
    Some(match ty {
        TypeRef::Object(c) => TypeRef::Object(*classes.get(c)?),
        TypeRef::Enum(e) => TypeRef::Enum(*enums.get(e)?),
        TypeRef::Array(t) => TypeRef::Array(Box::new(remap(t, classes, enums)?)),
        TypeRef::Map(t) => TypeRef::Map(Box::new(remap(t, classes, enums)?)),
        other => other.clone(),
    })
}

/// Case-sensitive glob with `*` only; callers lowercase both sides.
fn glob(pattern: &str, subject: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == subject;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !subject.starts_with(first) || subject.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &subject[first.len()..subject.len() - last.len()];
    if !subject.ends_with(last) {
        return false;
    }
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_stars_anywhere() {
        assert!(glob("batch.*", "batch.getexclusivejobs"));
        assert!(!glob("batch.*", "batchcontrol.list"));
        assert!(glob("media.list*", "media.listflags"));
        assert!(glob("*.list", "media.list"));
        assert!(glob("m*a.*st", "media.list"));
        assert!(!glob("media.add", "media.addcontent"));
    }
}
