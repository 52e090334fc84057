//! `kaltura login`: a session from a login id and password (user.loginByLoginId).

use crate::args::Server;
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::sessions::{self, SessionRequest};
use crate::{output, units};
use clap::Args;
use serde_json::Value;

const LOGIN_HELP: &str = "\
The password comes from KALTURA_PASSWORD or a prompt without echo; never from the
command line. The KS is the only output.

Examples:
  export KALTURA_KS=$(kaltura login --login-id bob@example.com --partner-id 1234567)";

#[derive(Args, Debug)]
#[command(after_help = LOGIN_HELP)]
pub struct LoginArgs {
    /// The login id, usually an e-mail address (default: the profile's)
    #[arg(long, value_name = "ID")]
    login_id: Option<String>,
    /// The partner, when the login has several
    #[arg(
        long,
        env = "KALTURA_PARTNER_ID",
        value_name = "ID",
        allow_negative_numbers = true
    )]
    partner_id: Option<i64>,
    /// Lifetime: seconds, or with a unit (90m, 12h, 7d)
    #[arg(long, value_name = "SECONDS", value_parser = units::parse_seconds)]
    expiry: Option<i64>,
    /// Privileges (the server's default is '*')
    #[arg(long, value_name = "P")]
    privileges: Option<String>,
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
            partner_id: a.partner_id,
            kind: None,
            user: None,
            expiry: a.expiry,
            privileges: a.privileges,
            secret_file: None,
            app_token: None,
            login_id: Some(login_id),
        },
    )
    .await?;
    ctx.emit_value(&Value::String(ks.expose().to_string()), output::Mode::Raw)
}
