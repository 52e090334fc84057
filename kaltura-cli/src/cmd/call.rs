//! `kaltura call`: any action of the API by name, checked against the API description
//! before it is sent (or sent as written with --unchecked), printed as --output says;
//! `--all` pages through a list, `--curl` prints the request instead of sending it.

use crate::args::{Partner, Sending};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::{output, params, raw_params, secrets, session_cache, sessions, urls, wire};
use clap::Args;
use kaltura_runtime::{Client, Secret};
use serde_json::{Map, Value};
use std::io::IsTerminal;
use std::path::PathBuf;

const CALL_HELP: &str = "\
Parameters are NAME=VALUE. Properties of objects use colons, to any depth:
  filter:nameLike=intro            a property of the `filter` parameter
  filter:objectType=KalturaX       the object's class (a subclass of the declared one)
  entries:0:objectType=...         items of an array, numbered from 0
  entry:description=__null         clears a property
  fileData=@video.mp4              sends a file
Names, types, classes and enum values (constant name or value) are checked against the
API description before anything is sent; `kaltura api SERVICE ACTION` lists them.

Output: JSON by default when stdout is not a terminal, a table on a terminal; choose
with --output json|table|yaml|ids|raw and the table's columns with --fields. Tables
name enum values (READY, VIDEO). --all pages through a list action and prints every
object. Actions that serve a file write it to --out FILE or to a redirected stdout.

Examples:
  kaltura call media list filter:objectType=KalturaMediaEntryFilter filter:nameLike=intro pager:pageSize=5
  kaltura call media list filter:mediaTypeEqual=VIDEO --output table --fields id,name,duration
  kaltura call media list --all --output ids | xargs -n1 echo
  kaltura call media update entryId=0_abc mediaEntry:tags=a,b mediaEntry:description=__null
  kaltura call media get entryId=0_abc | jq .name
  kaltura call thumbAsset serve thumbAssetId=0_xyz --out thumb.jpg
  echo '{\"entryId\": \"0_abc\"}' | kaltura call media get -      # parameters from stdin
  kaltura call session start partnerId=1234567 - < secret.txt      # secret=... from a file
  kaltura call media list filter:nameLike=intro --curl             # the request as curl
  kaltura call newService newAction a=1 --unchecked

Secrets are not taken from the command line, where other users see them: a parameter
named like one (secret, password, ks, token, privateKey, ...) goes on stdin (`-`), and
the KS sent with the call comes from KALTURA_KS, --ks-file FILE or the profile's
session. Error messages name parameters, never repeat their values.";

#[derive(Args, Debug)]
#[command(after_help = CALL_HELP)]
pub struct CallArgs {
    /// The service (name or wire id), e.g. media, uploadToken
    service: String,
    /// The action, e.g. list, get, add
    action: String,
    /// The parameters, NAME=VALUE; `-` reads more from stdin, where secrets go
    #[arg(value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Page through a list action (pager:pageIndex 1, 2, ...) and print every object
    #[arg(long)]
    all: bool,
    /// Print an equivalent curl command instead of sending (secrets blanked)
    #[arg(long)]
    curl: bool,
    /// With --curl: print the KS and secrets as they are
    #[arg(long, requires = "curl")]
    show_secrets: bool,
    /// Send the service, action and parameters as written, without checking them
    /// against the API description (for actions newer than this build); values go
    /// as strings
    #[arg(long)]
    unchecked: bool,
    /// Where to write a served file (thumbAsset.serve, ...)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    sending: Sending,
}

pub async fn run(ctx: &Context, a: CallArgs) -> Result<()> {
    let Sending {
        ks: ks_args,
        partner: Partner { partner_id },
        server,
    } = &a.sending;
    let partner_id = *partner_id;
    // Before anything is read: a secret already on the command line is refused
    // without being repeated.
    secrets::refuse_on_command_line(&a.params, &a.service, &a.action)?;
    if ks_args.reads_stdin() && a.params.iter().any(|p| p == "-") {
        return Err(CliError::usage(
            "stdin holds either the parameters (`-`) or the KS (--ks -), not both; give \
             the KS in KALTURA_KS or --ks-file FILE",
        ));
    }
    let given_ks = ks_args.read()?;
    let args = raw_params::with_stdin(&a.params)?;
    let (service, action, params, files, file_params, serves_file, has_pager) = if a.unchecked {
        let (params, files) = raw_params::build(&args)?;
        let file_params = files
            .iter()
            .map(|(name, path)| (name.clone(), kaltura_runtime::FileParam::path(path)))
            .collect();
        let (service, action) = (a.service.clone(), a.action.clone());
        (service, action, params, files, file_params, false, true)
    } else {
        let call = params::build(kaltura_metadata::api(), &a.service, &a.action, &args)?;
        let serves = call.serves_file();
        let pager = call.action.params.iter().any(|p| p.name == "pager");
        let file_params = call.file_params();
        let (service, action) = (call.service.id.clone(), call.action.name.clone());
        (
            service,
            action,
            call.params,
            call.files,
            file_params,
            serves,
            pager,
        )
    };
    let stdout_is_terminal = std::io::stdout().is_terminal();
    if serves_file && a.out.is_none() && stdout_is_terminal && !a.curl {
        return Err(CliError::usage(format!(
            "{service}.{action} serves a file; write it with --out FILE or redirect stdout"
        )));
    }
    if a.all && !has_pager {
        return Err(CliError::usage(format!(
            "--all pages with pager:pageIndex, and {service}.{action} has no pager parameter"
        )));
    }
    let url = ctx.service_url(Some(&server.place));
    if a.curl {
        // Nothing is sent, so a cached KS is shown as it is, never renewed; and only
        // one made for this server, since the command is meant to be run.
        let ks = given_ks.or_else(|| sessions::cached_for(ctx, &url));
        let shown_url = if a.show_secrets {
            url
        } else {
            urls::shown(&url)
        };
        let request = wire::request(
            &shown_url,
            &service,
            &action,
            &params,
            ks.as_ref().map(Secret::expose),
            partner_id,
            files,
        );
        return output::emit_line(&wire::curl(&request, a.show_secrets));
    }
    if secrets::holds_secret(&Value::Object(params.clone())) {
        ctx.guard_http(&url, "secrets among the parameters")?;
    }
    let explicit_ks = given_ks.is_some();
    let ks = match given_ks {
        Some(k) => Some(k),
        None => sessions::profile_session(ctx, server).await?,
    };
    let client = ctx.client(server, ks.as_ref(), partner_id)?;
    // A profile's session the server no longer takes (ended elsewhere, or the clock
    // is off) is renewed once and the call repeated, when nothing but parameters is
    // sent and the profile knows how.
    let retry = (!explicit_ks && ks.is_some() && file_params.is_empty() && !a.all)
        .then(|| params.clone())
        .filter(|_| ctx.settings().is_some_and(|p| p.auth.is_some()));
    if serves_file {
        let file = client.call_served(&service, &action, params).await?;
        return match &a.out {
            Some(path) => std::fs::write(path, &file.bytes)
                .map_err(|e| CliError::Local(format!("cannot write {}: {e}", path.display()))),
            None => output::emit(&file.bytes),
        };
    }
    let result = if a.all {
        every_page(&client, &service, &action, params).await?
    } else {
        let mut result = client
            .call_json(&service, &action, params, file_params)
            .await;
        if let (Some(params), Err(kaltura_runtime::Error::Api(e))) = (retry, &result) {
            if matches!(e.code.as_str(), "EXPIRED_KS" | "INVALID_KS" | "KS_EXPIRED") {
                if let Some(active) = ctx.active() {
                    session_cache::remove(&active.name)?;
                }
                let ks = sessions::profile_session(ctx, server).await?;
                let client = ctx.client(server, ks.as_ref(), partner_id)?;
                result = client
                    .call_json(&service, &action, params, Vec::new())
                    .await;
            }
        }
        result?
    };
    ctx.emit_value(&result, ctx.output_mode_for_terminal())
}

/// Pages through a list action and answers as one list response with every object,
/// each once: past the server's 10,000-match limit, the runtime narrows the filter by
/// the properties its class has (`createdAt…`, `id…` ranges), and a list it cannot
/// narrow fails rather than printing short.
async fn every_page(
    client: &Client,
    service: &str,
    action: &str,
    params: Map<String, Value>,
) -> Result<Value> {
    use futures_util::TryStreamExt;
    let api = kaltura_metadata::api();
    let declared = api.service(service).and_then(|s| s.action(action));
    let class = params
        .get("filter")
        .and_then(|f| f.get("objectType"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            declared
                .and_then(|a| a.param("filter"))
                .map(|p| p.ty.name())
        });
    let properties: Vec<&str> = class
        .map(|c| api.properties(&c).iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    let size = params
        .get("pager")
        .and_then(|p| p.get("pageSize"))
        .and_then(Value::as_i64)
        .filter(|s| *s > 0)
        .unwrap_or(kaltura_runtime::pagination::MAX_PAGE_SIZE);
    let objects: Vec<Value> = kaltura_runtime::pagination::paginate_json(
        client,
        service,
        action,
        params,
        size,
        &properties,
    )
    .try_collect()
    .await?;
    let mut all = Map::new();
    if let Some(result) = declared.and_then(|a| a.result.as_ref()) {
        all.insert("objectType".into(), Value::from(result.name()));
    }
    all.insert("totalCount".into(), Value::from(objects.len()));
    all.insert("objects".into(), Value::Array(objects));
    Ok(Value::Object(all))
}
