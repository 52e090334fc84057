//! The command line's `name=value` / `a:b:c=value` parameter parser, checked against
//! the API description: `[service] [action] arg 0xFF arg 0xFF ...`.
//!
//! Beyond "no panic": an accepted call has only parameters of its action, every
//! required one, and parameters that are JSON the runtime can send.

use crate::input::Input;
use kaltura_cli::params;

pub fn params(data: &[u8]) {
    let api = kaltura_metadata::api();
    let mut input = Input::new(data);
    let service = &api.services[input.below(api.services.len())];
    if service.actions.is_empty() {
        return;
    }
    let action = &service.actions[input.below(service.actions.len())];
    let mut args = Vec::new();
    while !input.is_empty() {
        args.push(input.text());
    }
    match params::build(api, &service.id, &action.name, &args) {
        Ok(call) => {
            for (name, value) in &call.params {
                let param = name.strip_suffix(params::NULL).unwrap_or(name);
                assert!(
                    action.param(param).is_some(),
                    "`{name}` is not a parameter of {}.{}",
                    service.name,
                    action.name
                );
                serde_json::to_vec(value).expect("parameters serialize");
            }
            for p in action.params.iter().filter(|p| !p.optional) {
                let given = call.params.contains_key(&p.name)
                    || call
                        .params
                        .contains_key(&format!("{}{}", p.name, params::NULL))
                    || call.files.iter().any(|(n, _)| *n == p.name);
                assert!(given, "required `{}` is missing", p.name);
            }
            let _ = (call.file_params().len(), call.serves_file());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}
