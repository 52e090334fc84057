#!/usr/bin/env bash
# Cold-build cost of the TLS crypto providers kaltura-reqwest can give rustls
# (docs/decisions.md, R14). Each variant is a tiny crate that makes a reqwest 0.13
# HTTPS client the way kaltura-reqwest does (rustls configured by hand, handed over
# with `tls_backend_preconfigured`), compiled in release mode in a fresh target folder
# with CARGO_INCREMENTAL=0, RUNS times, variants alternating:
#
#   aws-lc-rs    the default, `tls-aws-lc`: reqwest's `rustls-no-provider`, rustls with
#                `aws_lc_rs` (post-quantum key exchange)
#   ring         `tls-ring`: reqwest's `rustls-no-provider`, rustls with `ring`
#   app          a program on reqwest's default features (which bring aws-lc-rs) beside
#                the SDK's default set-up: one provider, aws-lc-rs
#   app+ring     the same program with the SDK on `tls-ring`: both providers compile,
#                what ring as the SDK's default cost such programs
#
# Versions come from the workspace's Cargo.lock. Not part of CI: the default (two
# runs of the four) takes about twenty minutes on a 2-core machine, and other builds
# on the machine skew the figures (run it on an idle one).
#
#   scripts/tls-cost.sh [RUNS] [VARIANT...]   # default: 2 runs of every variant
#   scripts/tls-cost.sh 0                     # no timing: each variant checked once
#                                             # (one shared target folder), crate counts
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then variants=("$@"); else variants=(aws-lc-rs ring app app+ring); fi
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_INCREMENTAL=0
[ "$runs" = 0 ] || [ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

make_crate() {
  local name=$1 deps=$2 body=$3
  mkdir -p "$work/$name/src"
  cat >"$work/$name/Cargo.toml" <<EOF
[package]
name = "tls-${name/+/-}"
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

# A client as kaltura-reqwest builds it: the provider, TLS 1.2 and 1.3, the bundled roots.
client_with() { # PROVIDER-EXPRESSION
  cat <<EOF
use std::sync::Arc;
#[allow(deprecated)] // rustls 0.23.48 deprecates ring's constructor (no post-quantum key exchange)
fn provider() -> rustls::crypto::CryptoProvider {
    $1
}
fn main() {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let client = reqwest::Client::builder().tls_backend_preconfigured(tls).build().unwrap();
    println!("{client:?}");
}
EOF
}

sdk_reqwest='reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "stream", "gzip", "http2"] }'
for v in "${variants[@]}"; do
  case $v in
    aws-lc-rs)
      make_crate "$v" "$sdk_reqwest
rustls = { version = \"0.23\", default-features = false, features = [\"aws_lc_rs\", \"prefer-post-quantum\", \"std\", \"tls12\"] }
webpki-roots = \"1\"" "$(client_with 'rustls::crypto::aws_lc_rs::default_provider()')" ;;
    ring)
      make_crate "$v" "$sdk_reqwest
rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"] }
webpki-roots = \"1\"" "$(client_with 'rustls::crypto::ring::default_provider()')" ;;
    app)
      # The program's own reqwest on its defaults; the SDK's set-up beside it.
      make_crate "$v" 'reqwest = "0.13"
rustls = { version = "0.23", default-features = false, features = ["aws_lc_rs", "prefer-post-quantum", "std", "tls12"] }
webpki-roots = "1"' "$(client_with 'rustls::crypto::aws_lc_rs::default_provider()')" ;;
    app+ring)
      make_crate "$v" 'reqwest = "0.13"
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
webpki-roots = "1"' "$(client_with 'rustls::crypto::ring::default_provider()')" ;;
    *) echo "unknown variant $v (aws-lc-rs, ring, app, app+ring)" >&2; exit 2 ;;
  esac
done

# Sources downloaded once, outside the timings.
for v in "${variants[@]}"; do
  (cd "$work/$v" && cargo fetch -q)
done

crates() { (cd "$work/$1" && cargo tree -e normal,build --prefix none | sed 's/ (\*)//' | sort -u | wc -l); }
providers() {
  (cd "$work/$1" && cargo tree -e normal,build --prefix none --format '{p}' |
    awk '$1 == "ring" || $1 == "aws-lc-rs" { print $1 }' | sort -u | paste -sd+ -)
}

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

if [ "$runs" = 0 ]; then
  shared=$(mktemp -d)
  for v in "${variants[@]}"; do
    (cd "$work/$v" && CARGO_TARGET_DIR=$shared cargo check -q)
  done
  rm -rf "$shared"
fi

declare -A times medians
for i in $(seq "$runs"); do
  for v in "${variants[@]}"; do
    read -r secs _ < <(cold "$work/$v")
    times[$v]="${times[$v]:-} $secs"
    echo "run $i, $v: $secs s"
  done
done

echo "rustls $(cd "$work/${variants[0]}" && cargo tree -i rustls --depth 0 --prefix none | cut -d' ' -f2), $(nproc) cores, $(date -u +%F)"
for v in "${variants[@]}"; do
  if [ "$runs" = 0 ]; then
    echo "$v: $(crates "$v") crates, providers: $(providers "$v")"
  else
    m=$(printf '%s\n' ${times[$v]} | median)
    medians[$v]=$m
    echo "$v: median $m s (runs:${times[$v]}), $(crates "$v") crates, providers: $(providers "$v")"
  fi
done
ratio() { # A B: median of A over median of B, when both ran
  [ -z "${medians[$1]:-}" ] || [ -z "${medians[$2]:-}" ] ||
    echo "ratio $1 / $2: $(echo "scale=2; ${medians[$1]} / ${medians[$2]}" | bc)"
}
ratio aws-lc-rs ring
ratio app+ring app
