#!/usr/bin/env bash
# Build cost of the SDK, as a new user and a contributor meet it. Every figure is the
# median of RUNS runs, each from a fresh target folder with CARGO_INCREMENTAL=0 (no
# cache of any kind) unless it says incremental; every run is printed. Not part of CI:
# it takes many minutes on a 2-core machine. Run it with nothing else running.
#
#   scripts/measure-build.sh [RUNS] [FIGURE...]      # RUNS defaults to 3
#
# Figures (all of them when none is named):
#   app      the README's first program (tests/first-app) built cold, with the
#            default TLS provider (aws-lc-rs) and with ring: time, the peak memory of
#            the largest rustc process, and the generated crates' unit times summed
#            from `cargo build --timings`
#   client   cold `cargo build -p kaltura-client` (default features), and where its
#            time goes (the longest units from --timings)
#   full     the same with `--features full`
#   codegen  a fresh clone's `cargo xtask codegen` (the generator's build included)
#   tests    a fresh clone's `cargo test --workspace`
#   schema   one optional parameter added to media.list: `cargo xtask update-schema`,
#            then the incremental rebuild of kaltura-client
#   ks       cold `cargo build -p kaltura-ks`
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-3}
shift || true
figures=("$@")
[ ${#figures[@]} -gt 0 ] || figures=(app client full codegen tests schema ks)
export CARGO_INCREMENTAL=0

wants() { local f; for f in "${figures[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s%N; }
secs() { echo "scale=1; ($2 - $1) / 1000000000" | bc; }

# Runs rustc under /usr/bin/time, appending each process's peak resident set (KiB) and
# crate name to $KALTURA_RSS_LOG: cargo's own report says nothing of memory.
wrapper=$(mktemp)
cat >"$wrapper" <<'SH'
#!/bin/sh
# RUSTC_WRAPPER: $1 is rustc, the rest its arguments.
crate=$(printf '%s\n' "$@" | awk 'prev == "--crate-name" { print; exit } { prev = $0 }')
exec /usr/bin/time -a -o "$KALTURA_RSS_LOG" -f "%M ${crate:-rustc}" "$@"
SH
chmod +x "$wrapper"
trap 'rm -f "$wrapper"' EXIT

# One cold build: prints "seconds peak_MiB peak_crate generated_units_seconds".
# `$1` is the manifest, the rest cargo's arguments after `build`.
cold_build() {
  local manifest=$1; shift
  local target log start end
  target=$(mktemp -d)
  log=$(mktemp)
  start=$(now)
  KALTURA_RSS_LOG=$log RUSTC_WRAPPER=$wrapper CARGO_TARGET_DIR=$target \
    cargo build --manifest-path "$manifest" --timings "$@" >/dev/null 2>&1
  end=$(now)
  local peak generated
  peak=$(grep -E '^[0-9]+ ' "$log" | sort -n | tail -1)
  generated=$(python3 - "$target"/cargo-timings/cargo-timing.html <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
# The generated crates: kaltura-api (and any crate split from it), kaltura-client,
# kaltura-metadata.
generated = [u for u in units if u["name"] in ("kaltura-client", "kaltura-metadata")
             or u["name"].startswith("kaltura-api")]
print(f"{sum(u['duration'] for u in generated):.1f}")
PY
)
  printf '%s %s %s %s\n' "$(secs "$start" "$end")" \
    "$(echo "scale=2; ${peak%% *} / 1024" | bc)" "${peak#* }" "$generated"
  rm -rf "$target" "$log"
}

# RUNS cold builds, then one line per figure with the median and every run.
report_builds() {
  local label=$1; shift
  local rows=() i
  for i in $(seq "$runs"); do rows+=("$(cold_build "$@")"); done
  local col name
  for col in 1:"first build (s)" 2:"peak rustc memory (MiB)" 4:"generated crates' units (s)"; do
    name=${col#*:}
    local values
    values=$(printf '%s\n' "${rows[@]}" | awk -v c="${col%%:*}" '{print $c}')
    echo "$label, $name: median $(echo "$values" | median) (runs: $(echo $values))"
  done
  echo "$label, largest rustc: $(printf '%s\n' "${rows[@]}" | awk '{print $3}' | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')"
}

# The longest units of one cold build, from --timings.
shares() {
  local target
  target=$(mktemp -d)
  CARGO_TARGET_DIR=$target cargo build "$@" --timings >/dev/null 2>&1
  python3 - "$target"/cargo-timings/cargo-timing.html <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
total = max(u["start"] + u["duration"] for u in units)
print(f"  whole build: {total:.1f} s")
for u in sorted(units, key=lambda u: -u["duration"])[:8]:
    rmeta = u.get("rmeta_time")
    print(f"  {u['name']:<22} starts {u['start']:5.1f} s, takes {u['duration']:5.1f} s"
          + (f", metadata after {rmeta:.1f} s" if rmeta else ""))
PY
  rm -rf "$target"
}

# RUNS timings of a command, each in a fresh target folder.
measure() {
  local label=$1; shift
  local times=() i target start end
  for i in $(seq "$runs"); do
    target=$(mktemp -d)
    start=$(now)
    CARGO_TARGET_DIR=$target "$@" >/dev/null 2>&1
    end=$(now)
    rm -rf "$target"
    times+=("$(secs "$start" "$end")")
  done
  echo "$label: median $(printf '%s\n' "${times[@]}" | median) s (runs: ${times[*]})"
}

if wants app; then
  app=$root/tests/first-app/Cargo.toml
  report_builds "app (aws-lc-rs)" "$app" --locked
  report_builds "app (ring)" "$app" --locked --no-default-features --features ring
fi
if wants client; then
  measure "cold cargo build -p kaltura-client" cargo build -p kaltura-client
  shares -p kaltura-client
fi
if wants full; then
  measure "cold cargo build -p kaltura-client --features full" \
    cargo build -p kaltura-client --features full
fi
if wants codegen; then
  measure "fresh clone: cargo xtask codegen" cargo xtask codegen
fi
if wants tests; then
  measure "fresh clone: cargo test --workspace" cargo test --workspace --no-fail-fast
fi
if wants schema; then
  # A developer's tree: incremental caches on, the client built once. Then the API
  # gains one optional parameter on media.list; the vendored schema is restored after.
  target=$(mktemp -d)
  vendored=api/ovp/KalturaClient.xml
  saved=$(mktemp)
  cp "$vendored" "$saved"
  edited=$(mktemp --suffix .xml)
  restore() { cp "$saved" "$vendored"; cargo xtask codegen >/dev/null 2>&1 || true; rm -rf "$target" "$saved" "$edited"; }
  trap 'restore; rm -f "$wrapper"' EXIT
  CARGO_INCREMENTAL=1 CARGO_TARGET_DIR=$target cargo build -p kaltura-client >/dev/null 2>&1
  python3 - "$vendored" "$edited" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
service = re.search(r'<service id="media" .*?</service>', text, re.S)
block = service.group(0)
action = re.search(r'<action name="list".*?<param ', block, re.S)
param = '<param name="measuredExtra" type="string" optional="1" default="" description="added by measure-build.sh"/>\n'
i = service.start() + action.end() - len("<param ")
open(sys.argv[2], "w").write(text[:i] + param + text[i:])
PY
  for i in $(seq "$runs"); do
    start=$(now)
    cargo xtask update-schema --schema "$edited" >/dev/null 2>&1
    mid=$(now)
    CARGO_INCREMENTAL=1 CARGO_TARGET_DIR=$target cargo build -p kaltura-client >/dev/null 2>&1
    end=$(now)
    echo "schema change run $i: update-schema $(secs "$start" "$mid") s + rebuild $(secs "$mid" "$end") s = $(secs "$start" "$end") s"
    cp "$saved" "$vendored"
    cargo xtask codegen >/dev/null 2>&1
    CARGO_INCREMENTAL=1 CARGO_TARGET_DIR=$target cargo build -p kaltura-client >/dev/null 2>&1
  done
fi
if wants ks; then
  measure "cold cargo build -p kaltura-ks" cargo build -p kaltura-ks
fi
echo "generated files: $(find kaltura-api* kaltura-client kaltura-metadata -name '*.rs' | wc -l) Rust files;" \
  "largest: $(find kaltura-api* kaltura-client -name '*.rs' -exec wc -l {} + | grep -v total | sort -rn | head -1)"
