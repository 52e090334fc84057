//! What every command is run with: the output settings, the profile in use, the
//! global flags, and the ways to reach the server built from them. One value, made
//! in `main` once the command line is parsed and the profile chosen, and handed to
//! each command, so that nothing below asks a global for the run's settings.

use crate::args::{Global, Place, Server};
use crate::choices::Kind;
use crate::error::{CliError, Result};
use crate::output::{self, Mode};
use crate::profile::{Active, Profile};
use crate::{secrets, urls, wire};
use kaltura_ks::AdminSecret;
use kaltura_runtime::{Client, Secret};
use serde_json::Value;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const DEFAULT_SERVICE_URL: &str = "https://www.kaltura.com";

pub struct Context {
    output: Option<Mode>,
    fields: Vec<String>,
    debug: bool,
    allow_http: bool,
    active: Option<Active>,
    /// The plain-http warning is printed once a run, however many sends it covers.
    warned_http: AtomicBool,
}

impl Context {
    pub fn new(global: &Global, active: Option<Active>) -> Context {
        Context {
            output: global.output,
            fields: global.fields.clone(),
            debug: global.debug,
            allow_http: global.allow_http,
            active,
            warned_http: AtomicBool::new(false),
        }
    }

    /// The --output chosen, else `default`.
    pub fn output_mode(&self, default: Mode) -> Mode {
        self.output.unwrap_or(default)
    }

    /// The --fields chosen (empty: the table's own choice).
    pub fn output_fields(&self) -> &[String] {
        &self.fields
    }

    /// The --output chosen, else a table on a terminal and JSON otherwise.
    pub fn output_mode_for_terminal(&self) -> Mode {
        self.output_mode(if std::io::stdout().is_terminal() {
            Mode::Table
        } else {
            Mode::Json
        })
    }

    /// Prints a result in the chosen output mode.
    pub fn emit_value(&self, value: &Value, default: Mode) -> Result<()> {
        let text = output::render(
            value,
            self.output_mode(default),
            self.output_fields(),
            Some(kaltura_metadata::api()),
        );
        output::emit(text.as_bytes())
    }

    /// The global --allow-http, which `profile add` keeps in the profile.
    pub fn allow_http_flag(&self) -> bool {
        self.allow_http
    }

    /// The profile chosen for this run, if any.
    pub fn active(&self) -> Option<&Active> {
        self.active.as_ref()
    }

    /// The chosen profile's settings, if any.
    pub fn settings(&self) -> Option<&Profile> {
        self.active().map(|a| &a.profile)
    }

    pub fn partner_id(&self, given: Option<i64>) -> Option<i64> {
        given.or_else(|| self.settings().and_then(|p| p.partner_id))
    }

    pub fn require_partner_id(&self, given: Option<i64>) -> Result<i64> {
        self.partner_id(given).ok_or_else(|| {
            CliError::usage(
                "no partner id: pass --partner-id, set KALTURA_PARTNER_ID, or use a profile \
                 that has one (`kaltura profile add NAME --partner-id ID`)",
            )
        })
    }

    pub fn session_kind(&self, given: Option<Kind>) -> Kind {
        given
            .or_else(|| self.settings().and_then(Profile::kind))
            .unwrap_or(Kind::User)
    }

    /// The value given on the command line, else the profile's.
    pub fn or_profile<T: Clone>(
        &self,
        given: Option<T>,
        pick: impl Fn(&Profile) -> &Option<T>,
    ) -> Option<T> {
        given.or_else(|| self.settings().and_then(|p| pick(p).clone()))
    }

    /// The admin secret from `file`, KALTURA_ADMIN_SECRET, the profile's source, or a
    /// prompt when `prompt` allows one.
    pub fn admin_secret(&self, file: Option<&Path>, prompt: bool) -> Result<AdminSecret> {
        let text = secrets::read(&secrets::Source {
            file,
            env: secrets::ADMIN_SECRET_ENV,
            prompt: prompt.then_some("Admin secret: "),
            what: "admin secret",
            profile: self.settings(),
        })?;
        Ok(AdminSecret::new(text.into_inner())?)
    }

    /// --region, else --service-url or KALTURA_SERVICE_URL, else the profile's region
    /// or URL, else Kaltura's SaaS.
    pub fn service_url(&self, place: Option<&Place>) -> String {
        if let Some(r) = place.and_then(|s| s.region) {
            return r.region().service_url.to_string();
        }
        if let Some(url) = place.and_then(|s| s.service_url.clone()) {
            return url;
        }
        if let Some(p) = self.settings() {
            if let Some(r) = p.region() {
                return r.region().service_url.to_string();
            }
            if let Some(url) = &p.service_url {
                return url.clone();
            }
        }
        DEFAULT_SERVICE_URL.to_string()
    }

    /// Refuses to send `what` (the KS, the admin secret, ...) to a plain `http://`
    /// server on another machine, where anyone on the way can read it, unless
    /// --allow-http or the profile (for its own URL) allows it; then a warning says
    /// so, once a run.
    pub fn guard_http(&self, url: &str, what: &str) -> Result<()> {
        if !urls::plain_http(url) {
            return Ok(());
        }
        if !self.http_allowed(url) {
            return Err(CliError::usage(format!(
                "refusing to send the {what} to {} over plain http://, where anyone on the way \
                 can read it: use https://, or pass --allow-http (for a profile's own URL, \
                 allow_http = true) to send it anyway",
                urls::shown(url)
            )));
        }
        if !self.warned_http.swap(true, Ordering::Relaxed) {
            eprintln!(
                "warning: sending the {what} to {} over plain http://, readable on the way \
                 (--allow-http)",
                urls::shown(url)
            );
        }
        Ok(())
    }

    /// Whether --allow-http, or the profile for its own URL, lets secrets go to `url`
    /// over plain http://.
    fn http_allowed(&self, url: &str) -> bool {
        self.allow_http || self.settings().is_some_and(|p| p.allows_http_to(url))
    }

    /// The runtime client with the default transport (or the --debug one), sending
    /// the apiVersion of the metadata the calls are checked against.
    pub fn client(
        &self,
        server: &Server,
        ks: Option<&Secret>,
        partner_id: Option<i64>,
    ) -> Result<Client> {
        let url = self.service_url(Some(&server.place));
        urls::check(&url)?;
        let ks = ks.filter(|k| !k.expose().is_empty());
        if ks.is_some() {
            self.guard_http(&url, "KS")?;
        }
        let split = urls::split_credentials(&url);
        let factory: kaltura_runtime::TransportFactory = if self.debug {
            wire::debug_transport
        } else {
            kaltura_reqwest::for_config
        };
        let mut builder = Client::builder(split.url)
            // The runtime refuses the same sends by itself; the user's word is passed on.
            .allow_insecure_http(self.http_allowed(&url))
            .api_version(kaltura_metadata::API_VERSION)
            .timeout(Duration::from_secs(server.timeout))
            .client_tag(wire::client_tag());
        builder = match split.authorization {
            // The URL's credentials travel as the header they stand for, so that no
            // request URL (which --debug prints) carries them.
            Some(value) => {
                let inner = factory(builder.config())?;
                builder.shared_transport(std::sync::Arc::new(urls::WithAuthorization {
                    inner,
                    value,
                }))
            }
            None => builder.default_transport(factory),
        };
        if let Some(ks) = ks {
            builder = builder.ks(ks.clone());
        }
        if let Some(p) = partner_id {
            builder = builder.partner_id(p);
        }
        Ok(builder.build()?)
    }
}
