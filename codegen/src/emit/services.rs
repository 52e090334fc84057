//! One file per service: a handle returned by `client.<service>()`, and one request
//! value per action (docs/decisions.md, F8).

use crate::docs::{deprecated, doc, with_features};
use crate::names;
use crate::plan::Plan;
use kaltura_schema::{Action, Param, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn emit(plan: &Plan<'_>, index: usize) -> TokenStream {
    let model = plan.model;
    let service = &model.services[index];
    let sp = &plan.services[index];
    let handle = format_ident!("{}", sp.struct_name);
    let owner = service.plugin.as_ref();
    let mut meta = format!(
        "Kaltura service `{}` (wire id `{}`)",
        service.name, service.id
    );
    if let Some(p) = owner {
        meta.push_str(&format!(", plugin `{p}`"));
    }
    meta.push('.');
    let meta = with_features(&meta, &plan.item_features(owner, &BTreeSet::new()));
    let handle_doc = doc(&service.description, &meta);
    let dep = deprecated(service.deprecated);

    // A service the schema declares without actions still gets its handle.
    let unused = if service.actions.is_empty() {
        quote!(#[allow(dead_code)])
    } else {
        quote!()
    };
    let mut methods = Vec::new();
    let mut requests = Vec::new();
    for (ai, action) in service.actions.iter().enumerate() {
        let ap = &sp.actions[ai];
        let mut needs = BTreeSet::new();
        for ty in action
            .params
            .iter()
            .map(|p| &p.ty)
            .chain(action.result.iter())
        {
            plan.plugins_of(ty, &mut needs);
        }
        let cfg = plan.cfg(owner, &needs);
        let features = plan.item_features(owner, &needs);
        let request = format_ident!("{}", ap.request);
        let action_method = names::ident(&ap.method);
        let required: Vec<(&Param, proc_macro2::Ident)> = action
            .params
            .iter()
            .zip(&ap.params)
            .filter(|(p, _)| !p.optional)
            .map(|(p, pp)| (p, names::ident(&pp.ident)))
            .collect();
        let args: Vec<TokenStream> = required
            .iter()
            .map(|(p, ident)| {
                let ty = param_type(plan, p);
                quote!(#ident: impl Into<#ty>)
            })
            .collect();
        let arg_names: Vec<_> = required.iter().map(|(_, i)| i).collect();
        let action_doc = doc(
            &action.description,
            &with_features(&action_meta(plan, service, action, ap), &features),
        );
        let adep = deprecated(action.deprecated || service.deprecated);
        methods.push(quote! {
            #action_doc
            #adep
            #cfg
            pub fn #action_method(&self, #(#args),*) -> #request {
                let mut request = #request::new(#(#arg_names),*);
                rt::Request::options_mut(&mut request).client = Some(self.client.clone());
                request
            }
        });
        requests.push(emit_request(plan, service, action, ap, &cfg, &features));
    }

    quote! {
        #handle_doc
        #dep
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            #unused
            client: &'a rt::Client,
        }
        impl<'a> #handle<'a> {
            /// The service's actions, sent through `client`.
            pub fn new(client: &'a rt::Client) -> Self {
                #handle { client }
            }
        }
        impl #handle<'_> {
            #(#methods)*
        }
        #(#requests)*
    }
}

fn action_meta(
    plan: &Plan<'_>,
    service: &kaltura_schema::Service,
    action: &Action,
    ap: &crate::plan::ActionPlan,
) -> String {
    let result = match &action.result {
        None => "nothing".to_string(),
        Some(t) => format!("`{}`", plan.model.type_name(t)),
    };
    let mut meta = format!("Action `{}.{}`; returns {result}.", service.id, action.name);
    let base = |c: kaltura_schema::ClassId, of: &str| match plan.example_field(c) {
        Some(f) => format!("`{of}.base().{f}`"),
        None => format!("`{of}.base()`"),
    };
    if let Some(TypeRef::Object(c)) = &action.result {
        if let Some(any) = plan.any_ident(*c) {
            meta.push_str(&format!(
                " The result is a [`{any}`]: a `{}` or any subclass. Read the properties \
                 they share with `.base()` ({}); `match` a variant for a subclass's own.",
                plan.model.class(*c).name,
                base(*c, "result"),
            ));
        }
    }
    if let Some(page) = &ap.pagination {
        if let TypeRef::Object(c) = &page.item {
            if let Some(any) = plan.any_ident(*c) {
                meta.push_str(&format!(
                    " Each item of `{}` is a [`{any}`]: {}.",
                    page.objects,
                    base(*c, "item"),
                ));
            }
        }
    }
    if !action.enable_in_multi_request {
        meta.push_str(" Not allowed in a multirequest.");
    }
    if action.beta {
        meta.push_str(" Beta.");
    }
    meta
}

/// The type a parameter is held as. Object parameters are held unboxed; numbers and
/// booleans as `rt::Arg`, which also takes a reference to an earlier result of a
/// multirequest (strings take one as they are, objects in their properties).
fn param_type(plan: &Plan<'_>, p: &Param) -> TokenStream {
    let ty = plan.rust_type(&p.ty, &p.name, false);
    match p.ty {
        TypeRef::Int | TypeRef::BigInt | TypeRef::Float | TypeRef::Bool => quote!(rt::Arg<#ty>),
        _ => ty,
    }
}

fn emit_request(
    plan: &Plan<'_>,
    service: &kaltura_schema::Service,
    action: &Action,
    ap: &crate::plan::ActionPlan,
    cfg: &TokenStream,
    features: &[String],
) -> TokenStream {
    let request = format_ident!("{}", ap.request);
    let paginated = super::pagination::emit(plan, ap.pagination.as_ref(), &request, cfg);
    let service_id = service.id.to_lowercase();
    let action_name = &action.name;
    let multi = action.enable_in_multi_request;
    let serves_file = ap.serves_file;
    let output = match &action.result {
        None => quote!(()),
        Some(TypeRef::File) => quote!(rt::ServedFile),
        Some(t) => plan.rust_type(t, "", false),
    };
    let has_files = !ap.file_params.is_empty();

    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut puts = Vec::new();
    let mut takes = Vec::new();
    let mut new_args = Vec::new();
    for (i, (p, pp)) in action.params.iter().zip(&ap.params).enumerate() {
        let ident = names::ident(&pp.ident);
        let wire = &p.name;
        let ty = param_type(plan, p);
        let is_file = ap.file_params.contains(&i);
        let mut meta = format!("Parameter `{wire}`");
        if p.optional {
            match p.default.as_deref() {
                Some(d) if d != "null" => meta.push_str(&format!(
                    "; optional, the server's default is `{d}` (sent only when set)"
                )),
                _ => meta.push_str("; optional"),
            }
        }
        meta.push('.');
        let pdoc = doc(&p.description, &meta);
        if is_file {
            // Held in an Option so that sending can move the file out.
            fields.push(quote!(#ident: Option<rt::FileParam>,));
            takes.push(quote! {
                if let Some(file) = self.#ident.take() {
                    files.push((#wire, file));
                }
            });
        } else if p.optional {
            fields.push(quote!(#ident: Option<#ty>,));
            puts.push(quote!(params.put_opt(#wire, &self.#ident);));
        } else {
            fields.push(quote!(#ident: #ty,));
            puts.push(quote!(params.put(#wire, &self.#ident);));
        }
        if p.optional {
            inits.push(quote!(#ident: None,));
            setters.push(quote! {
                #pdoc
                pub fn #ident(mut self, value: impl Into<#ty>) -> Self {
                    self.#ident = Some(value.into());
                    self
                }
            });
        } else {
            new_args.push((ident.clone(), ty.clone()));
            if is_file {
                inits.push(quote!(#ident: Some(#ident.into()),));
            } else {
                inits.push(quote!(#ident: #ident.into(),));
            }
        }
    }
    let new_params = new_args.iter().map(|(i, t)| quote!(#i: impl Into<#t>));
    let required_docs: Vec<String> = action
        .params
        .iter()
        .filter(|p| !p.optional)
        .map(|p| match p.description.lines().next().map(str::trim) {
            Some(first) if !first.is_empty() => format!("- `{}`: {first}", p.name),
            _ => format!("- `{}`", p.name),
        })
        .collect();
    let new_doc = if action.params.is_empty() {
        doc("", "A request (the action takes no parameters).")
    } else if required_docs.is_empty() {
        doc("", "A request; every parameter is optional.")
    } else {
        doc(
            "",
            &format!(
                "A request with its required parameters:\n{}",
                required_docs.join("\n")
            ),
        )
    };
    let derive = if has_files {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone)])
    };
    let take_files = if has_files {
        quote! {
            fn take_files(&mut self) -> Vec<(&'static str, rt::FileParam)> {
                let mut files = Vec::new();
                #(#takes)*
                files
            }
        }
    } else {
        quote!()
    };
    let params_arg = if puts.is_empty() {
        quote!(let params = rt::Params::new();)
    } else {
        quote!(let mut params = rt::Params::new();)
    };
    let req_doc = doc(
        &action.description,
        &with_features(
            &format!(
                "Request value of `{}.{}`: {}",
                service.id,
                action.name,
                match (serves_file, multi) {
                    (true, _) =>
                        "send it with `.await` (when made from a client) or \
                              `client.send(request)` for the file's bytes, or make a URL \
                              with `client.serve_url(request)`.",
                    (false, true) =>
                        "send it with `.await` (when made from a client), \
                                  `client.send(request)`, or add it to a multirequest.",
                    (false, false) =>
                        "send it with `.await` (when made from a client) or \
                                   `client.send(request)`; the server refuses it in a \
                                   multirequest.",
                }
            ),
            features,
        ),
    );
    let adep = deprecated(action.deprecated || service.deprecated);
    let wire_names: Vec<&str> = action.params.iter().map(|p| p.name.as_str()).collect();
    // Object parameters name their class's properties, so that `MultiRequest::bind`
    // can check a path into them.
    let object_params: Vec<(&str, TokenStream, proc_macro2::Ident)> = action
        .params
        .iter()
        .filter_map(|p| match &p.ty {
            TypeRef::Object(c) => Some((
                p.name.as_str(),
                plan.type_cfg(service.plugin.as_ref(), &p.ty),
                plan.class_ident(*c),
            )),
            _ => None,
        })
        .collect();
    let param_properties = if object_params.is_empty() {
        quote!()
    } else {
        let arms = object_params.iter().map(|(name, cfg, class)| {
            quote!(#cfg #name => Some(<#class as rt::KalturaObject>::PROPERTIES),)
        });
        quote! {
            fn param_properties(name: &str) -> Option<&'static [&'static str]> {
                match name {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    };
    quote! {
        #req_doc
        #cfg
        #derive
        pub struct #request {
            #(#fields)*
            options: rt::CallOptions,
        }
        #cfg
        impl #request {
            #new_doc
            #adep
            pub fn new(#(#new_params),*) -> Self {
                Self { #(#inits)* options: rt::CallOptions::default() }
            }
            #(#setters)*
        }
        #cfg
        impl rt::Request for #request {
            type Output = #output;
            const SERVICE: &'static str = #service_id;
            const ACTION: &'static str = #action_name;
            const MULTIREQUEST: bool = #multi;
            const SERVES_FILE: bool = #serves_file;
            const PARAMS: &'static [&'static str] = &[#(#wire_names),*];
            #param_properties
            fn params(&self) -> rt::Params {
                #params_arg
                #(#puts)*
                params
            }
            #take_files
            fn options(&self) -> &rt::CallOptions {
                &self.options
            }
            fn options_mut(&mut self) -> &mut rt::CallOptions {
                &mut self.options
            }
        }
        #cfg
        rt::__kaltura_request!(#request);
        #paginated
    }
}
