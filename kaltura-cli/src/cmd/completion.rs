//! Shell completion: the static scripts from clap_complete, plus what only the API
//! description knows (services, actions, parameter names, properties of the right
//! class, enum values), answered by the hidden `kaltura __complete WORDS...`.

use crate::error::{CliError, Result};
use crate::{output, profile};
use clap::{Args, ValueEnum};
use clap_complete::Shell;
use kaltura_runtime::meta::{ActionMeta, Api, TypeMeta};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

const COMPLETION_HELP: &str = "\
Install:
  bash:        kaltura completion bash > ~/.local/share/bash-completion/completions/kaltura
  zsh:         kaltura completion zsh > \"${fpath[1]}/_kaltura\"
  fish:        kaltura completion fish > ~/.config/fish/completions/kaltura.fish
  PowerShell:  kaltura completion powershell >> $PROFILE

bash and fish also complete services, actions, parameter names (with the properties
of `filter:` and other objects) and enum values from the API description.";

#[derive(Args, Debug)]
#[command(after_help = COMPLETION_HELP)]
pub struct CompletionArgs {
    /// The shell
    #[arg(value_enum)]
    shell: ShellArg,
}

#[derive(Args, Debug)]
pub struct CompleteArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    words: Vec<String>,
}

/// Prints the completion script; `command` is the whole command line's definition,
/// which only `main` holds.
pub fn run(a: CompletionArgs, command: clap::Command) -> Result<()> {
    output::emit(&script(a.shell, command))
}

/// Flags of `call` and `api` that take a value, so the value is not taken for a
/// positional word.
const VALUE_FLAGS: &[&str] = &[
    "--output",
    "-o",
    "--columns",
    "--fields",
    "--out",
    "--ks",
    "--ks-file",
    "--partner-id",
    "--service-url",
    "--region",
    "--timeout",
    "--profile",
    "--types",
];

const BASH_DYNAMIC: &str = r#"
# Services, actions, parameters and enum values from the API description.
_kaltura_dynamic() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -ra words <<< "$line"
    [[ "$line" == *[[:space:]] ]] && words+=("")
    local cur="${words[${#words[@]}-1]}" w sub=""
    for w in "${words[@]:1:${#words[@]}-2}"; do
        case "$w" in call|api) sub=$w; break ;; esac
    done
    [[ "${words[${#words[@]}-2]}" == --profile ]] && sub=profile
    if [[ -n "$sub" && "$cur" != -* ]]; then
        local IFS=$'\n'
        local -a cands
        cands=($(command kaltura __complete -- "${words[@]:1}" 2>/dev/null))
        # Bash splits words at = and :, so it completes only the part after the last.
        local head="${cur%"${cur##*[=:]}"}"
        COMPREPLY=("${cands[@]#"$head"}")
        if [[ ${#COMPREPLY[@]} -eq 1 && "${COMPREPLY[0]}" == *[=:] ]]; then
            compopt -o nospace 2>/dev/null
        fi
        return 0
    fi
    _kaltura "$@"
}
complete -F _kaltura_dynamic -o bashdefault -o default kaltura
"#;

const FISH_DYNAMIC: &str = "
# Services, actions, parameters and enum values from the API description.
complete -c kaltura -n '__fish_seen_subcommand_from call api' -f -a '(kaltura __complete -- (commandline -opc)[2..-1] (commandline -ct))'
";

pub fn script(shell: ShellArg, mut command: clap::Command) -> Vec<u8> {
    let shell_kind = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell_kind, &mut command, "kaltura", &mut out);
    match shell {
        ShellArg::Bash => out.extend_from_slice(BASH_DYNAMIC.as_bytes()),
        ShellArg::Fish => out.extend_from_slice(FISH_DYNAMIC.as_bytes()),
        _ => {}
    }
    out
}

/// The candidates for the last of `words` (the command line after `kaltura`, the
/// word being completed last, possibly empty).
pub fn candidates(api: &Api, words: &[String]) -> Vec<String> {
    let Some((current, before)) = words.split_last() else {
        return Vec::new();
    };
    if before.last().is_some_and(|w| w == "--profile") {
        return profile::load()
            .map(|c| c.profiles.into_keys().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.starts_with(current.as_str()))
            .collect();
    }
    let Some(at) = before.iter().position(|w| w == "call" || w == "api") else {
        return Vec::new();
    };
    let is_call = before[at] == "call";
    let mut positional: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in &before[at + 1..] {
        if skip {
            skip = false;
        } else if w.starts_with('-') {
            skip = VALUE_FLAGS.contains(&w.as_str()) && !w.contains('=');
        } else {
            positional.push(w);
        }
    }
    if skip || current.starts_with('-') {
        return Vec::new();
    }
    let starts = |c: &String| c.starts_with(current.as_str());
    match positional.len() {
        0 => api
            .services
            .iter()
            .map(|s| s.name.clone())
            .filter(starts)
            .collect(),
        1 => api
            .service(positional[0])
            .map(|s| {
                s.actions
                    .iter()
                    .map(|a| a.name.clone())
                    .filter(starts)
                    .collect()
            })
            .unwrap_or_default(),
        _ if is_call => {
            let Some(action) = api
                .service(positional[0])
                .and_then(|s| s.actions.iter().find(|a| a.name == positional[1]))
            else {
                return Vec::new();
            };
            let given: Vec<&str> = positional[2..].to_vec();
            parameter(api, action, current, &given)
                .into_iter()
                .filter(starts)
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The class an object at `path` is: its `objectType=` if given, else the declared.
fn class_at(given: &[&str], path: &str, declared: &str) -> String {
    let key = format!("{path}:objectType=");
    given
        .iter()
        .find_map(|w| w.strip_prefix(key.as_str()))
        .filter(|c| !c.is_empty())
        .unwrap_or(declared)
        .to_string()
}

/// The type at `segments` (a parameter, then properties, items and keys).
fn type_at(api: &Api, action: &ActionMeta, segments: &[&str], given: &[&str]) -> Option<TypeMeta> {
    let (first, rest) = segments.split_first()?;
    let mut ty = action.params.iter().find(|p| p.name == *first)?.ty.clone();
    let mut path = first.to_string();
    for seg in rest {
        ty = match ty {
            TypeMeta::Object(c) => {
                let class = class_at(given, &path, &c);
                api.properties(&class)
                    .into_iter()
                    .find(|p| p.name == *seg)?
                    .ty
                    .clone()
            }
            TypeMeta::AnyObject => {
                let class = class_at(given, &path, "");
                api.properties(&class)
                    .into_iter()
                    .find(|p| p.name == *seg)?
                    .ty
                    .clone()
            }
            TypeMeta::Array(inner) | TypeMeta::Map(inner) => *inner,
            _ => return None,
        };
        path = format!("{path}:{seg}");
    }
    Some(ty)
}

fn suffix(ty: &TypeMeta) -> &'static str {
    match ty {
        TypeMeta::Object(_) | TypeMeta::AnyObject | TypeMeta::Array(_) | TypeMeta::Map(_) => ":",
        _ => "=",
    }
}

fn parameter(api: &Api, action: &ActionMeta, current: &str, given: &[&str]) -> Vec<String> {
    if let Some((name, _)) = current.split_once('=') {
        let segments: Vec<&str> = name.split(':').collect();
        if segments.last() == Some(&"objectType") {
            let declared = match type_at(api, action, &segments[..segments.len() - 1], given) {
                Some(TypeMeta::Object(c)) => Some(c),
                Some(TypeMeta::AnyObject) => None,
                _ => return Vec::new(),
            };
            return api
                .classes
                .iter()
                .filter(|c| !c.is_abstract)
                .filter(|c| declared.as_deref().is_none_or(|d| api.is_a(&c.name, d)))
                .map(|c| format!("{name}={}", c.name))
                .collect();
        }
        return match type_at(api, action, &segments, given) {
            Some(TypeMeta::Enum(e)) => api
                .enum_(&e)
                .map(|e| {
                    e.values
                        .iter()
                        .map(|(constant, _)| format!("{name}={constant}"))
                        .collect()
                })
                .unwrap_or_default(),
            Some(TypeMeta::Bool) => vec![format!("{name}=true"), format!("{name}=false")],
            _ => Vec::new(),
        };
    }
    let mut segments: Vec<&str> = current.split(':').collect();
    segments.pop();
    if segments.is_empty() {
        return action
            .params
            .iter()
            .map(|p| format!("{}{}", p.name, suffix(&p.ty)))
            .collect();
    }
    let path = segments.join(":");
    match type_at(api, action, &segments, given) {
        Some(TypeMeta::Object(c)) => {
            let class = class_at(given, &path, &c);
            let mut out = vec![format!("{path}:objectType=")];
            out.extend(
                api.properties(&class)
                    .into_iter()
                    .filter(|p| !p.read_only)
                    .map(|p| format!("{path}:{}{}", p.name, suffix(&p.ty))),
            );
            out
        }
        Some(TypeMeta::AnyObject) => vec![format!("{path}:objectType=")],
        Some(TypeMeta::Array(_)) => (0..3).map(|i| format!("{path}:{i}:")).collect(),
        _ => Vec::new(),
    }
}

/// Prints the candidates for `kaltura __complete WORDS...`.
pub fn run_complete(a: CompleteArgs) -> Result<()> {
    let words = a.words;
    let mut text = String::new();
    for c in candidates(kaltura_metadata::api(), &words) {
        text.push_str(&c);
        text.push('\n');
    }
    output::emit(text.as_bytes()).map_err(|e| CliError::Local(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(line: &[&str]) -> Vec<String> {
        let words: Vec<String> = line.iter().map(|s| s.to_string()).collect();
        candidates(kaltura_metadata::api(), &words)
    }

    #[test]
    fn services_actions_parameters_properties_and_enums() {
        assert!(complete(&["call", "med"]).contains(&"media".to_string()));
        assert!(complete(&["--profile", "p", "api", "upload"]).contains(&"uploadToken".to_string()));
        assert!(complete(&["call", "media", "li"]).contains(&"list".to_string()));
        let params = complete(&["call", "media", "list", ""]);
        assert!(params.contains(&"filter:".to_string()), "{params:?}");
        assert!(params.contains(&"pager:".to_string()), "{params:?}");
        let props = complete(&["call", "media", "list", "filter:mediaType"]);
        assert!(
            props.contains(&"filter:mediaTypeEqual=".to_string()),
            "{props:?}"
        );
        let values = complete(&["call", "media", "list", "filter:mediaTypeEqual="]);
        assert!(
            values.contains(&"filter:mediaTypeEqual=VIDEO".to_string()),
            "{values:?}"
        );
        let classes = complete(&[
            "call",
            "media",
            "list",
            "filter:objectType=KalturaMediaEntryF",
        ]);
        assert!(classes.contains(&"filter:objectType=KalturaMediaEntryFilter".to_string()));
        // Flags and their values are not positional words.
        let after_flag = complete(&["call", "--output", "json", "media", "li"]);
        assert!(after_flag.contains(&"list".to_string()), "{after_flag:?}");
        assert!(complete(&["call", "--output", ""]).is_empty());
    }
}
