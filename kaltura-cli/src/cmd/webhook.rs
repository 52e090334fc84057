//! `kaltura webhook`: HTTP notifications. `verify` checks the signature of a body
//! given on stdin and prints the notification; `listen` receives notifications on
//! this machine, for developing a receiver, and prints each one that is signed.
//!
//! Both check with the partner's admin secret (--secret-file, KALTURA_ADMIN_SECRET or
//! the profile's), through the runtime's `webhook::Verifier`.

use crate::args::{self, SecretFile, SECRET_FILE_OR_PROFILE};
use crate::context::Context;
use crate::error::{CliError, Result};
use crate::output;
use clap::{Args, Subcommand, ValueEnum};
use kaltura_runtime::webhook::{
    HashAlgo, Notification, Verifier, WebhookError, HASH_ALGO_HEADER, SIGNATURE_HEADER,
};
use serde_json::Value;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

const VERIFY_HELP: &str = "\
The body comes on stdin, byte for byte as the server sent it (a newline added by
`echo` breaks the signature; use `printf '%s'` or a file). The signature is the
X-KALTURA-SIGNATURE header, the algorithm the X-KALTURA-HASH-ALGO header (sha1 when
the request had none).

Prints the notification as JSON (XML and PHP-serialised bodies as the same JSON), or
as --output says. A notification that is refused prints why on stderr and exits
with code 1; a secret file others may read is refused with code 2.

Examples:
  kaltura webhook verify --secret-file ~/.kaltura-secret --signature 3f9a... < body.txt
  kaltura webhook verify --signature \"$SIG\" --hash-algo sha256 < body.txt | jq .object.id";

const LISTEN_HELP: &str = "\
Answers 200 to each request whose signature holds and prints the notification (as
--output says, JSON by default); answers 401 to an unsigned or wrongly signed
request and 400 to a body that is not a notification, and says why on stderr. The
address it listens on is printed on stderr first. For development: expose it to the
server with a tunnel of your choice and point an HTTP notification template at it.

Examples:
  kaltura webhook listen --port 8080 --secret-file ~/.kaltura-secret
  kaltura webhook listen --port 8080 --count 1 > notification.json";

/// Bodies larger than this are refused: a notification is a few kilobytes.
const MAX_BODY: usize = 16 * 1024 * 1024;
const MAX_HEAD: usize = 64 * 1024;

#[derive(Subcommand, Debug)]
pub enum WebhookCommand {
    /// Check the signature of a notification body given on stdin and print it
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
    /// Receive notifications on this machine and print each one that is signed
    #[command(after_help = LISTEN_HELP)]
    Listen(ListenArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HashArg {
    Sha1,
    Sha256,
    Sha512,
}

impl HashArg {
    fn algo(self) -> HashAlgo {
        match self {
            HashArg::Sha1 => HashAlgo::Sha1,
            HashArg::Sha256 => HashAlgo::Sha256,
            HashArg::Sha512 => HashAlgo::Sha512,
        }
    }
}

#[derive(Args, Debug)]
#[command(mut_args(|a| args::reword(a, &[("secret_file", SECRET_FILE_OR_PROFILE)])))]
pub struct SecretArgs {
    #[command(flatten)]
    secret: SecretFile,
    /// Also read PHP-serialised bodies (a template whose format is PHP)
    #[arg(long)]
    php: bool,
}

impl SecretArgs {
    fn verifier(&self, ctx: &Context) -> Result<Verifier> {
        let secret = ctx.admin_secret(self.secret.secret_file.as_deref(), false)?;
        let verifier = Verifier::new(&secret);
        Ok(if self.php {
            verifier.accept_php()
        } else {
            verifier
        })
    }
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The X-KALTURA-SIGNATURE header: hex of HASH(admin secret ‖ body)
    #[arg(long, value_name = "HEX")]
    signature: String,
    /// The X-KALTURA-HASH-ALGO header
    #[arg(long, value_enum, value_name = "ALGO", default_value = "sha1")]
    hash_algo: HashArg,
    #[command(flatten)]
    secret: SecretArgs,
}

#[derive(Args, Debug)]
pub struct ListenArgs {
    /// The port (0: any free one; the address is printed on stderr)
    #[arg(long, value_name = "N")]
    port: u16,
    /// The address to listen on; other machines can reach anything but 127.0.0.1
    /// and ::1
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Accept only this algorithm (the template's secureHashingAlgo)
    #[arg(long, value_enum, value_name = "ALGO")]
    hash_algo: Option<HashArg>,
    /// Stop after this many notifications whose signature holds
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    #[command(flatten)]
    secret: SecretArgs,
}

pub fn run(ctx: &Context, command: WebhookCommand) -> Result<()> {
    match command {
        WebhookCommand::Verify(a) => verify(ctx, a),
        WebhookCommand::Listen(a) => listen(ctx, a),
    }
}

fn refused(e: WebhookError) -> CliError {
    CliError::Local(format!("refused: {e}"))
}

/// The notification as JSON, members in the order they came.
fn print(ctx: &Context, n: &Notification) -> Result<()> {
    let value: Value = serde_json::from_str(n.json())
        .map_err(|e| CliError::Local(format!("cannot print the notification: {e}")))?;
    ctx.emit_value(&value, output::Mode::Json)
}

fn verify(ctx: &Context, a: VerifyArgs) -> Result<()> {
    if std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "the body goes on stdin: kaltura webhook verify --signature HEX < body.txt",
        ));
    }
    let verifier = a.secret.verifier(ctx)?;
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| CliError::usage(format!("cannot read the body from stdin: {e}")))?;
    let headers = [
        (SIGNATURE_HEADER, a.signature.as_str()),
        (HASH_ALGO_HEADER, a.hash_algo.algo().name()),
    ];
    let n = verifier.verify(&body, headers).map_err(refused)?;
    print(ctx, &n)
}

fn listen(ctx: &Context, a: ListenArgs) -> Result<()> {
    let mut verifier = a.secret.verifier(ctx)?;
    if let Some(h) = a.hash_algo {
        verifier = verifier.require_algo(h.algo());
    }
    let listener = TcpListener::bind(SocketAddr::new(a.bind, a.port)).map_err(|e| {
        CliError::Local(format!(
            "cannot listen on {}: {e}",
            SocketAddr::new(a.bind, a.port)
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::Local(format!("cannot read the address listened on: {e}")))?;
    let mut err = std::io::stderr();
    if !a.bind.is_loopback() {
        let _ = writeln!(
            err,
            "warning: {addr} can be reached from other machines; only signed \
             notifications are printed"
        );
    }
    let _ = writeln!(err, "listening on http://{addr}/");
    let mut printed = 0u64;
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(err, "a connection failed: {e}");
                continue;
            }
        };
        if let Some(n) = serve(stream, &verifier) {
            print(ctx, &n)?;
            printed += 1;
            if a.count.is_some_and(|c| printed >= c) {
                break;
            }
        }
    }
    Ok(())
}

/// One request, read, checked and answered; the notification when it was signed.
fn serve(mut stream: TcpStream, verifier: &Verifier) -> Option<Notification> {
    let peer = stream
        .peer_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let (status, reason, outcome) = match read_request(&mut stream) {
        Err((status, why)) => (status, why, None),
        Ok(req) => match verifier.verify(&req.body, &req.headers) {
            Ok(n) => (200, String::new(), Some(n)),
            Err(
                e @ (WebhookError::UnreadableBody(_)
                | WebhookError::PhpSerialized
                | WebhookError::Decode(_)),
            ) => (400, e.to_string(), None),
            Err(e) => (401, e.to_string(), None),
        },
    };
    let text = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        413 => "Payload Too Large",
        _ => "Error",
    };
    let body = if status == 200 { "OK" } else { text };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {text}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
    if status != 200 {
        let _ = writeln!(
            std::io::stderr(),
            "refused a request from {peer} ({status}): {reason}"
        );
    }
    outcome
}

struct Request {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Reads one HTTP/1.1 request: the head, then a body of `Content-Length` bytes or in
/// chunks. A GET carries the notification as its query (the server appends the data
/// to the URL), which is then the signed body.
fn read_request(stream: &mut TcpStream) -> std::result::Result<Request, (u16, String)> {
    let bad = |why: &str| (400, why.to_string());
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| bad(&e.to_string()))?);
    let mut head = Vec::new();
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = (&mut reader)
            .take((MAX_HEAD - head.len()) as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| bad(&format!("cannot read the request: {e}")))?;
        if n == 0 {
            return Err(bad("the connection closed before the request ended"));
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Err(bad("the request's head is too large"));
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if text.is_empty() {
            break;
        }
        lines.push(text);
    }
    let request_line = lines.first().ok_or_else(|| bad("no request line"))?.clone();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    for line in &lines[1..] {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad("a header line without ':'"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("Expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        // curl waits for this before sending a body over 1 KiB.
        let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    let chunked = header("Transfer-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size_line = String::new();
            reader
                .read_line(&mut size_line)
                .map_err(|e| bad(&format!("cannot read a chunk: {e}")))?;
            let size = usize::from_str_radix(size_line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| bad("a malformed chunk size"))?;
            if body.len() + size > MAX_BODY {
                return Err((413, "the body is too large for a notification".into()));
            }
            let mut chunk = vec![0; size + 2];
            reader
                .read_exact(&mut chunk)
                .map_err(|e| bad(&format!("cannot read a chunk: {e}")))?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(len) = header("Content-Length") {
        let len: usize = len.parse().map_err(|_| bad("a malformed Content-Length"))?;
        if len > MAX_BODY {
            return Err((413, "the body is too large for a notification".into()));
        }
        body = vec![0; len];
        reader
            .read_exact(&mut body)
            .map_err(|e| bad(&format!("cannot read the body: {e}")))?;
    }
    if body.is_empty() && method.eq_ignore_ascii_case("GET") {
        if let Some((_, query)) = target.split_once('?') {
            body = query.as_bytes().to_vec();
        }
    }
    Ok(Request { headers, body })
}
