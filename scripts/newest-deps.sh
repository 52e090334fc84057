#!/usr/bin/env bash
# The hand-written libraries against the newest semver-compatible releases of their
# dependencies, which is what a user's fresh `cargo add kaltura-client` resolves, while
# the checked-in Cargo.lock keeps CI reproducible. In a scratch copy of the tree (the
# repository's own Cargo.lock is left as it is): `cargo update`, then clippy with
# warnings denied (a dependency that deprecates what we call fails here first) and the
# tests of the runtime and KS crates. Run by .ci/run.
#
# The runtime's tests here include its documentation examples: they compile against
# the runtime alone (it has no dev-dependency on the generated client), so nothing
# here compiles the generated crates.
#
#   scripts/newest-deps.sh          # the working tree, new files included
#   scripts/newest-deps.sh --head   # the last commit only
#
# Target folder: the checkout's own (CARGO_TARGET_DIR, else target/). The copy's
# workspace crates build anew whatever the folder (their paths differ), but every
# dependency `cargo update` did not move is reused from the builds CI has just made,
# so only the moved crates compile. A folder of its own would start empty on every CI
# run and compile the whole tree, aws-lc-sys's C library included, for nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
case $CARGO_TARGET_DIR in /*) ;; *) CARGO_TARGET_DIR=$root/$CARGO_TARGET_DIR ;; esac

case ${1:-} in
  "") from=tree ;;
  --head) from=head ;;
  *) echo "usage: $0 [--head]" >&2; exit 2 ;;
esac

scratch=$(mktemp -d)
trap 'rm -rf "$scratch" "$scratch.lock"' EXIT
if [ $from = head ]; then
  git archive --format=tar HEAD | tar -x -C "$scratch"
else
  # Tracked files and new ones not yet added (not ignored ones), as they are on disk;
  # links are copied as the files they point to.
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    xargs -0 cp --parents -t "$scratch"
fi
cd "$scratch"
# Testing the runtime must not compile the generated API (a dependency of the runtime
# on it would be a circle; a dev-dependency would make this step minutes longer).
! grep -q '^kaltura-client\|^kaltura-api' kaltura-runtime/Cargo.toml ||
  { echo "kaltura-runtime depends on a generated crate; it must not (docs/contract.md)" >&2; exit 1; }

cp Cargo.lock "$scratch.lock"
cargo update --quiet
# What moved, and the rustls and reqwest this run builds against.
python3 - "$scratch.lock" Cargo.lock <<'PY'
import sys, tomllib
def read(path):
    with open(path, "rb") as f:
        return {(p["name"], p["version"]) for p in tomllib.load(f)["package"] if "source" in p}
old, new = read(sys.argv[1]), read(sys.argv[2])
moved = sorted(new - old)
print(f"{len(moved)} crates newer than Cargo.lock's" + (":" if moved else ""))
for name, version in moved:
    before = sorted(v for n, v in old if n == name)
    print(f"  {name} {' '.join(before) or '(new)'} -> {version}")
for watched in ("rustls", "reqwest", "aws-lc-rs", "ring"):
    versions = sorted(v for n, v in new if n == watched)
    print(f"{watched}: {' '.join(versions) or '(not in the tree)'}")
PY

cargo clippy -p kaltura-runtime -p kaltura-ks -p kaltura-reqwest --all-targets -- -D warnings
# The transport with ring alone, the code path the default features leave out: rustls
# 0.23.48 deprecated the ring provider's constructor.
cargo clippy -p kaltura-reqwest --no-default-features --features tls-ring --all-targets -- -D warnings
cargo test -p kaltura-runtime
cargo test -p kaltura-ks
