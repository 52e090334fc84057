//! Application tokens: `kaltura session start --app-token ID` for the application
//! that holds one, and `kaltura app-token add|list|delete` for the admin who sets one
//! up. The token value comes from the environment, a file or a prompt, never from the
//! command line, and is printed once: by `add`, when it is made.

use crate::args::Sending;
use crate::choices::HashArg;
use crate::context::Context;
use crate::error::Result;
use crate::output::{self, emit, emit_line};
use crate::sessions::{self, APP_TOKEN_ENV};
use crate::{params, units};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value;

const APP_TOKEN_HELP: &str = "\
An application token lets an application start its own sessions without the admin
secret; it can be deleted at any time. These commands need an admin KS (KALTURA_KS,
--ks-file FILE, --ks - for stdin, or the profile's session). The token's value is
printed once, by `add`: keep it in a secret store. The application then starts
sessions with
  KALTURA_APP_TOKEN=... kaltura session start --app-token ID --hash-type sha256

Examples:
  kaltura app-token add --description 'ingest bot' --session-type user --session-user bot \\
    --session-privileges 'setrole:123' --session-duration 12h
  kaltura app-token list
  kaltura app-token delete 0_abc123";

#[derive(Subcommand, Debug)]
#[command(after_help = APP_TOKEN_HELP)]
pub enum AppTokenCommand {
    /// Make an application token (appToken.add) and print it: the one time it is shown
    Add(AddArgs),
    /// List the partner's application tokens (appToken.list), without their values
    List(ListArgs),
    /// Delete an application token (appToken.delete); no session starts from it again
    Delete(DeleteArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SessionKind {
    /// Sessions of type USER (0)
    User,
    /// Sessions of type ADMIN (2)
    Admin,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The hash the application proves the token with
    #[arg(long, value_enum, value_name = "HASH", default_value_t = HashArg::Sha256)]
    hash_type: HashArg,
    /// What the token is for, shown by `list`
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// The type of every session started with it (default: as the application asks,
    /// USER unless it asks otherwise)
    #[arg(long, value_enum)]
    session_type: Option<SessionKind>,
    /// The user of every session started with it
    #[arg(long, value_name = "ID")]
    session_user: Option<String>,
    /// Privileges of every session started with it, e.g. 'setrole:123,sview:*'
    #[arg(long, value_name = "P")]
    session_privileges: Option<String>,
    /// Longest session: seconds, or with a unit (90m, 12h, 7d); the server's default is a day
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    session_duration: Option<i64>,
    /// When the token itself stops working: seconds from now, or with a unit (30d)
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    expires_in: Option<i64>,
    /// Print the new token as JSON
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    admin: Sending,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print the list as JSON (token values left out)
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    admin: Sending,
}

#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// The token's id
    #[arg(value_name = "ID")]
    id: String,
    #[command(flatten)]
    admin: Sending,
}

pub async fn run(ctx: &Context, command: AppTokenCommand) -> Result<()> {
    match command {
        AppTokenCommand::Add(a) => add(ctx, a).await,
        AppTokenCommand::List(a) => list(ctx, a).await,
        AppTokenCommand::Delete(a) => delete(ctx, a).await,
    }
}

/// Sends `appToken.<action>` with `NAME=VALUE` arguments, checked against the API
/// description as `kaltura call` checks them.
async fn call(ctx: &Context, admin: &Sending, action: &str, args: &[String]) -> Result<Value> {
    let call = params::build(kaltura_metadata::api(), "appToken", action, args)?;
    let client = sessions::sending_client(ctx, admin).await?;
    Ok(client
        .call_json(&call.service.id, &call.action.name, call.params, Vec::new())
        .await?)
}

async fn add(ctx: &Context, a: AddArgs) -> Result<()> {
    let mut args = vec![
        "appToken:objectType=KalturaAppToken".to_string(),
        format!("appToken:hashType={}", a.hash_type.hash()),
    ];
    let mut put = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            args.push(format!("appToken:{name}={v}"));
        }
    };
    put("description", a.description);
    put(
        "sessionType",
        a.session_type.map(|k| {
            match k {
                SessionKind::User => "USER",
                SessionKind::Admin => "ADMIN",
            }
            .to_string()
        }),
    );
    put("sessionUserId", a.session_user);
    put("sessionPrivileges", a.session_privileges);
    put("sessionDuration", a.session_duration.map(|d| d.to_string()));
    put(
        "expiry",
        a.expires_in.map(|s| (units::now() + s).to_string()),
    );
    let token = call(ctx, &a.admin, "add", &args).await?;
    if a.json || ctx.output_mode(output::Mode::Table) != output::Mode::Table {
        return ctx.emit_value(&token, output::Mode::Json);
    }
    let field = |name: &str| match token.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut rows = vec![
        vec!["id".to_string(), field("id")],
        vec!["token".to_string(), field("token")],
        vec!["hashType".to_string(), field("hashType")],
    ];
    for name in [
        "sessionType",
        "sessionUserId",
        "sessionPrivileges",
        "sessionDuration",
        "expiry",
        "description",
    ] {
        let value = field(name);
        if !value.is_empty() {
            rows.push(vec![name.to_string(), value]);
        }
    }
    let rows: Vec<String> = rows
        .iter()
        .map(|r| format!("{:<18} {}", r[0], r[1]))
        .collect();
    emit_line(&rows.join("\n"))?;
    eprintln!(
        "The token is shown this once: keep it in a secret store. Start sessions with\n  \
         {APP_TOKEN_ENV}=... kaltura session start --partner-id PARTNER --app-token {} --hash-type {}",
        field("id"),
        field("hashType").to_ascii_lowercase()
    );
    Ok(())
}

/// Token values stay on the server: an admin who lost one makes a new token.
fn without_values(list: &mut Value) {
    if let Some(objects) = list.get_mut("objects").and_then(Value::as_array_mut) {
        for o in objects {
            if let Some(map) = o.as_object_mut() {
                map.remove("token");
            }
        }
    }
}

async fn list(ctx: &Context, a: ListArgs) -> Result<()> {
    let mut list = call(ctx, &a.admin, "list", &["pager:pageSize=500".to_string()]).await?;
    without_values(&mut list);
    if a.json || ctx.output_mode(output::Mode::Table) != output::Mode::Table {
        return ctx.emit_value(&list, output::Mode::Json);
    }
    if let Some(objects) = list.get_mut("objects").and_then(Value::as_array_mut) {
        for o in objects {
            if let Some(status) = o.get("status").and_then(Value::as_i64) {
                let name = match status {
                    1 => "DISABLED",
                    2 => "ACTIVE",
                    3 => "DELETED",
                    _ => "?",
                };
                o["status"] = Value::from(name);
            }
            if let Some(date) = o
                .get("expiry")
                .and_then(Value::as_i64)
                .and_then(units::rfc3339)
            {
                o["expiry"] = Value::from(date);
            }
        }
    }
    let columns: Vec<String> = [
        "id",
        "status",
        "hashType",
        "sessionType",
        "sessionUserId",
        "expiry",
        "description",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    let fields = ctx.output_fields();
    let columns = if fields.is_empty() { &columns } else { fields };
    emit(output::list_table(&list, Some(columns)).as_bytes())
}

async fn delete(ctx: &Context, a: DeleteArgs) -> Result<()> {
    call(ctx, &a.admin, "delete", &[format!("id={}", a.id)]).await?;
    eprintln!("deleted app token {}", a.id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_tokens_lose_their_values() {
        let mut list = serde_json::json!({
            "objects": [{"id": "0_a", "token": "abc"}, {"id": "0_b"}],
            "totalCount": 2,
        });
        without_values(&mut list);
        assert_eq!(list["objects"][0], serde_json::json!({"id": "0_a"}));
    }
}
