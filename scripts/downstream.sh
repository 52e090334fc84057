#!/usr/bin/env bash
# Builds and tests tests/downstream, an application-like crate outside the workspace
# (kaltura-client with default features, its own reqwest 0.13, tokio with only `rt`),
# then reads its resolved tree: one reqwest, one TLS crypto provider (the SDK's
# default, aws-lc-rs, is the one reqwest's defaults bring), serde_json without
# `preserve_order`, tokio without the scheduler and macros the SDK does not need. Run
# by .ci/run.
# Its own target folder (tests/downstream/target unless CARGO_TARGET_DIR is set).
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=tests/downstream/Cargo.toml
export CARGO_TARGET_DIR=${DOWNSTREAM_TARGET_DIR:-tests/downstream/target}

if ! cargo metadata --manifest-path "$manifest" --format-version 1 --locked >/dev/null; then
  echo "tests/downstream/Cargo.lock is out of date with the SDK's manifests:" \
    "run \`cargo update --manifest-path $manifest --workspace\` and commit it" >&2
  exit 1
fi
cargo test --manifest-path "$manifest" --locked

# What this platform compiles (cargo tree: features as a build resolves them; the
# lockfile and `cargo metadata` also list crates only other platforms or features use).
providers=$(cargo tree --manifest-path "$manifest" --locked -e normal,build --prefix none \
  --format '{p}' | awk '$1 == "ring" || $1 == "aws-lc-rs" { print $1 }' | sort -u)
echo "TLS crypto providers in the tree: ${providers//$'\n'/, }"
if [ "$providers" != "aws-lc-rs" ]; then
  echo "error: expected one crypto provider, aws-lc-rs (reqwest's and the SDK's default)" >&2
  exit 1
fi

cargo metadata --manifest-path "$manifest" --format-version 1 --locked | python3 -c '
import json, sys
meta = json.load(sys.stdin)
names = {p["id"]: (p["name"], p["version"]) for p in meta["packages"]}
nodes = {names[n["id"]]: n["features"] for n in meta["resolve"]["nodes"]}
problems = []
reqwests = sorted(v for (n, v) in nodes if n == "reqwest")
print(f"reqwest in the tree: {reqwests}")
if len(reqwests) != 1:
    problems.append(f"expected one reqwest, found {len(reqwests)}: {reqwests}")
for (name, version), features in sorted(nodes.items()):
    if name == "serde_json":
        print(f"serde_json {version} features: {features}")
        if "preserve_order" in features:
            problems.append("serde_json has preserve_order: some library turns it on")
    if name == "tokio":
        print(f"tokio {version} features: {features}")
        for f in ("rt-multi-thread", "macros"):
            if f in features:
                problems.append(f"tokio has {f}: some library turns it on")
for p in problems:
    print("error:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
'
