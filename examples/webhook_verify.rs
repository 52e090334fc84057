//! Checks an HTTP notification (webhook) before trusting it: its signature against
//! the partner's admin secret, then what it says and the entry it is about.
//!
//! ```sh
//! export KALTURA_ADMIN_SECRET=...
//! cargo run --example webhook_verify -- body.txt SIGNATURE [sha1|sha256|sha512]
//! # The server's own example body, with the test secret it was signed with:
//! export KALTURA_ADMIN_SECRET=$(jq -r .secret tests/data/webhooks/signatures.json)
//! cargo run --example webhook_verify -- tests/data/webhooks/xml.txt \
//!   "$(jq -r '.signatures["xml.txt"].sha256' tests/data/webhooks/signatures.json)" sha256
//! ```
//!
//! A web handler does the same with the request's raw body and its headers
//! (`&http::HeaderMap` as it is, or any `(name, value)` pairs), and answers 200 only
//! to a notification it accepted: the server sends the others again.

use kaltura_client::types::KalturaBaseEntryAny;
use kaltura_client::webhook::{Verifier, WebhookError, HASH_ALGO_HEADER, SIGNATURE_HEADER};
use kaltura_client::Secret;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: webhook_verify BODY_FILE SIGNATURE [sha1|sha256|sha512]";
    let mut args = std::env::args().skip(1);
    let body = std::fs::read(args.next().ok_or(usage)?)?;
    let signature = args.next().ok_or(usage)?;
    let algo = args.next().unwrap_or("sha1".into());
    let secret = Secret::new(env::<String>("KALTURA_ADMIN_SECRET")?);

    // The two headers as the request brought them.
    let headers = [(SIGNATURE_HEADER, signature), (HASH_ALGO_HEADER, algo)];
    let notification = match Verifier::new(&secret).verify(&body, &headers) {
        Ok(n) => n,
        // A handler answers 401 here: the request did not come from Kaltura.
        Err(e @ (WebhookError::MissingSignature | WebhookError::BadSignature)) => {
            return Err(format!("not from Kaltura: {e}").into())
        }
        // A handler answers 400 here (a body it cannot read; a PHP-serialised one
        // unless `accept_php()`).
        Err(e) => return Err(e.to_string().into()),
    };

    // The server sends a notification again, with the same job id, until it gets a
    // 200: a receiver keeps the ids it has handled and skips repeats.
    println!("job        {:?}", notification.job_id());
    println!("event      {:?}", notification.event_type()); // "3": OBJECT_CHANGED
    println!("template   {:?}", notification.template_name());
    println!("partner    {:?}", notification.partner_id());
    println!("object     {:?}", notification.object_type());

    // The object, as the generated type of whatever triggered the template.
    match notification.object::<KalturaBaseEntryAny>() {
        Ok(entry) => {
            let e = entry.base();
            println!("entry      {} {} {:#}", e.id, e.name, e.status);
        }
        Err(e) => println!("not an entry: {e}"),
    }
    Ok(())
}

/// A setting from the environment; errors name the variable.
fn env<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = std::env::var(name).map_err(|_| format!("set {name} (see {})", file!()))?;
    value.parse().map_err(|_| format!("{name} is not valid"))
}
