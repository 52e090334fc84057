//! `kaltura login`: a session from a login id and password (user.loginByLoginId).

use crate::args::{self, Limits, Partner, Server};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::output;
use crate::sessions::{self, SessionRequest};
use clap::Args;
use serde_json::Value;

const LOGIN_HELP: &str = "\
The password comes from KALTURA_PASSWORD or a prompt without echo; never from the
command line. The KS is the only output.

Examples:
  export KALTURA_KS=$(kaltura login --login-id bob@example.com --partner-id 1234567)";

#[derive(Args, Debug)]
#[command(
    after_help = LOGIN_HELP,
    mut_args(|a| args::reword(a, &[
        ("partner_id", "The partner, when the login has several"),
        ("privileges", "Privileges (the server's default is '*')"),
    ])),
)]
pub struct LoginArgs {
    /// The login id, usually an e-mail address (default: the profile's)
    #[arg(long, value_name = "ID")]
    login_id: Option<String>,
    #[command(flatten)]
    partner: Partner,
    #[command(flatten)]
    limits: Limits,
    #[command(flatten)]
    server: Server,
}

pub async fn run(ctx: &Context, a: LoginArgs) -> Result<()> {
    let login_id = ctx.or_profile(a.login_id, |p| &p.login_id).ok_or_else(|| {
        CliError::usage("no login id: pass --login-id or use a profile that has one")
    })?;
    let ks = sessions::open_session(
        ctx,
        &a.server,
        SessionRequest {
            partner_id: a.partner.partner_id,
            kind: None,
            user: None,
            expiry: a.limits.expiry,
            privileges: a.limits.privileges,
            secret_file: None,
            app_token: None,
            login_id: Some(login_id),
        },
    )
    .await?;
    ctx.emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}
