//! `kaltura`: the command line of kaltura-rs.
//!
//! Local KS work (`ks generate`, `ks inspect`), any API action checked against the
//! generated API description before it is sent (`call`), the description itself
//! (`api`), sessions (`session start`, `login`) and resumable chunked uploads
//! (`upload`). Usage is in `kaltura --help` and each command's `--help`.

fn main() -> std::process::ExitCode {
    kaltura_cli::main()
}
