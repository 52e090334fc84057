#!/usr/bin/env bash
# Cold-build cost of the two TLS crypto providers reqwest 0.13 can use with rustls:
# aws-lc-rs (reqwest's `rustls` feature) and ring (`rustls-no-provider` plus rustls'
# `ring` feature, the set-up of kaltura-reqwest). Each is a tiny crate that builds an
# HTTPS client, compiled in release mode in a fresh target folder with
# CARGO_INCREMENTAL=0, RUNS times, alternating. Versions come from the workspace's
# Cargo.lock. Not part of CI: about ten minutes on a 2-core machine.
#
#   scripts/tls-cost.sh [RUNS]     # default 2
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_INCREMENTAL=0

make_crate() {
  local name=$1 deps=$2 body=$3
  mkdir -p "$work/$name/src"
  cat >"$work/$name/Cargo.toml" <<EOF
[package]
name = "tls-$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$deps

[workspace]
EOF
  printf '%s\n' "$body" >"$work/$name/src/main.rs"
  cp "$root/Cargo.lock" "$work/$name/Cargo.lock"
}

make_crate aws-lc-rs \
  'reqwest = { version = "0.13", default-features = false, features = ["rustls", "stream", "gzip", "http2"] }' \
  'fn main() {
    let client = reqwest::Client::builder().build().unwrap();
    println!("{client:?}");
}'

make_crate ring \
  'reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "stream", "gzip", "http2"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
webpki-roots = "1"' \
  'use std::sync::Arc;
fn main() {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let client = reqwest::Client::builder().tls_backend_preconfigured(tls).build().unwrap();
    println!("{client:?}");
}'

# Sources downloaded once, outside the timings.
for name in aws-lc-rs ring; do
  (cd "$work/$name" && cargo fetch -q)
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# "seconds peak-KiB" of one cold release build
cold() {
  local dir=$1 target out
  target=$(mktemp -d)
  out=$( (cd "$dir" && CARGO_TARGET_DIR=$target /usr/bin/time -f '%e %M' \
    cargo build --release -q 2>&1 >/dev/null) | tail -1)
  rm -rf "$target"
  echo "$out"
}

declare -A times
for i in $(seq "$runs"); do
  for name in aws-lc-rs ring; do
    read -r secs _ < <(cold "$work/$name")
    times[$name]="${times[$name]:-} $secs"
    echo "run $i, $name: $secs s"
  done
done

crates() { (cd "$work/$1" && cargo tree -e normal --prefix none | sed 's/ (\*)//' | sort -u | wc -l); }
for name in aws-lc-rs ring; do
  m=$(printf '%s\n' ${times[$name]} | median)
  eval "median_${name//-/_}=$m"
  echo "$name: median $m s (runs:${times[$name]}), $(crates "$name") crates"
done
echo "ratio aws-lc-rs / ring: $(echo "scale=2; $median_aws_lc_rs / $median_ring" | bc)"
