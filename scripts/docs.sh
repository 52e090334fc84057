#!/usr/bin/env bash
# Builds the published crates' documentation the way docs.rs does, one crate at a
# time, and reports each build's wall time and peak memory beside docs.rs's limits.
# Any rustdoc warning (a broken intra-doc link, bad HTML, ...) fails it.
#
#   scripts/docs.sh [--cold] [CRATE...]     # default: every published crate
#
# As docs.rs does (https://docs.rs/about/builds): `cargo doc --no-deps --lib` of the
# one crate, with what its [package.metadata.docs.rs] asks for (`all-features`,
# `features`, `rustdoc-args`), and `--cfg docsrs`. docs.rs uses a nightly toolchain;
# here the installed one with RUSTC_BOOTSTRAP=1, set for these `cargo doc` commands
# only, so that `#![cfg_attr(docsrs, feature(doc_cfg))]` compiles (it labels each
# plugin's items with their feature). RUSTDOCFLAGS="--cfg docsrs -D warnings".
#
# Crates are documented in publish order into one folder, so links into a dependency
# point at its pages here, as they point at docs.rs there. The target folder is
# target/docs-rs (DOCS_TARGET_DIR), kept between runs: RUSTC_BOOTSTRAP and the
# features differ from other builds, which would otherwise rebuild each other's
# dependencies. With --cold, each crate builds in a fresh, empty target folder, as on
# docs.rs, so its figures include compiling its dependencies: that is the measurement
# to compare with the limits (roughly 25 minutes on 2 cores for all of them).
#
# Peak memory is GNU time's "Maximum resident set size", the largest single process
# (rustc or rustdoc); docs.rs limits the whole build, where cargo may run two compilers
# at once, so keep a margin.
set -euo pipefail
cd "$(dirname "$0")/.."

cold=false
crates=()
for arg in "$@"; do
  case $arg in
    --cold) cold=true ;;
    -*) echo "usage: $0 [--cold] [CRATE...]" >&2; exit 2 ;;
    *) crates+=("$arg") ;;
  esac
done
[ ${#crates[@]} -gt 0 ] ||
  crates=(kaltura-ks kaltura-runtime kaltura-reqwest kaltura-metadata kaltura-api-enums kaltura-api
    kaltura-api-services kaltura-client kaltura-cli)

# GNU time, for peak memory (`/usr/bin/time -v`); installed where the script may.
if [ ! -x /usr/bin/time ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
  fi
  [ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (package \`time\`)" >&2; exit 2; }
fi

# docs.rs's published limits for a crate without an exception
# (https://docs.rs/about/builds, and each crate's "Builds" page on docs.rs).
limit_secs=$((15 * 60))    # "Maximum rustdoc execution time": 15 minutes, dependencies included
limit_kb=$((6 * 1024 * 1024)) # "Available RAM": 6 GiB (shown as 6.44 GB)
# Also: build log at most 100 KiB, network access blocked, at most 10 targets; only the
# target folder is writable (no disk quota is published).

# Each crate's docs.rs settings, as `cargo doc` arguments and rustdoc flags.
settings=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c '
import json, shlex, sys
for p in json.load(sys.stdin)["packages"]:
    d = (p.get("metadata") or {}).get("docs", {}).get("rs", {})
    args = []
    if d.get("all-features"):
        args.append("--all-features")
    if d.get("features"):
        args += ["--features", ",".join(d["features"])]
    if d.get("no-default-features"):
        args.append("--no-default-features")
    flags = [f for f in d.get("rustdoc-args", []) if f not in ("--cfg", "docsrs")]
    print(p["name"], shlex.quote(" ".join(args)), shlex.quote(" ".join(flags)))
')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shared=${DOCS_TARGET_DIR:-target/docs-rs}
docs=$shared/doc

echo "docs.rs limits (https://docs.rs/about/builds): $((limit_secs / 60)) min, $((limit_kb / 1024 / 1024)) GiB of RAM, 100 KiB of log, no network"
printf '%-18s %9s %12s  %s\n' crate wall 'peak RSS' 'cargo doc arguments'
failed=0
for name in "${crates[@]}"; do
  line=$(grep "^$name " <<<"$settings") || { echo "$name: not a workspace crate" >&2; exit 2; }
  eval "set -- $line"
  args=$2 extra=$3
  if $cold; then
    target=$(mktemp -d)
  else
    target=$shared
  fi
  mkdir -p "$target"
  # Cold builds write their pages beside the shared ones, so links keep resolving.
  [ "$target" = "$shared" ] || { mkdir -p "$docs"; ln -s "$(cd "$docs" && pwd)" "$target/doc"; }
  log=$work/$name.log
  set +e
  # shellcheck disable=SC2086
  RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="--cfg docsrs -D warnings $extra" CARGO_TARGET_DIR=$target \
    /usr/bin/time -v -o "$work/$name.time" \
    cargo doc --no-deps --lib --locked -p "$name" $args >"$log" 2>&1
  rc=$?
  set -e
  $cold && rm -rf "$target"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time")
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
  secs=$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print int(s) }' <<<"$wall")
  note=""
  [ "$secs" -le "$limit_secs" ] || note="$note; over docs.rs's time limit"
  [ "${kb:-0}" -le "$limit_kb" ] || note="$note; over docs.rs's memory limit"
  printf '%-18s %9s %8.2f GiB  %s%s\n' "$name" "$wall" "$(echo "${kb:-0} / 1048576" | bc -l)" \
    "${args:-(default features)}" "$note"
  if [ $rc -ne 0 ] || [ -n "$note" ]; then
    failed=1
    [ $rc -eq 0 ] || { grep -E '^(warning|error)' -A 6 "$log" | head -60; echo "$name: cargo doc failed (exit $rc)"; }
  fi
done
if $cold; then
  echo "(cold: each crate built from an empty target folder, dependencies included)"
else
  echo "(warm: what earlier runs built in $shared is reused; --cold measures docs.rs's conditions)"
fi
echo "pages: $docs/<crate>/index.html"
exit $failed
