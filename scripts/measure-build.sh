#!/usr/bin/env bash
# Cold build times of the layered workspace: each figure is the median of RUNS builds,
# each in a fresh target folder with CARGO_INCREMENTAL=0 (no cache of any kind), plus
# the time of the generated API crate alone from `cargo build --timings`. Not part of
# CI: it takes several minutes per run on a 2-core machine.
#
#   scripts/measure-build.sh [RUNS]          # default 3
#   scripts/measure-build.sh 1 client        # only the default kaltura-client build
#   scripts/measure-build.sh 2 ks            # only kaltura-ks
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
only=${2:-all}
export CARGO_INCREMENTAL=0

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# seconds for one cold run of "$@" in a fresh target folder
cold() {
  local target start end
  target=$(mktemp -d)
  start=$(date +%s%N)
  CARGO_TARGET_DIR=$target "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  rm -rf "$target"
  echo "scale=1; ($end - $start) / 1000000000" | bc
}

measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do times+=("$(cold "$@")"); done
  echo "$label: median $(printf '%s\n' "${times[@]}" | median) s (runs: ${times[*]})"
}

# Each crate's share of a cold build, from cargo's --timings report: when it started,
# how long it took, and when its metadata (what dependents wait for) was ready.
crate_shares() {
  local target
  target=$(mktemp -d)
  CARGO_TARGET_DIR=$target cargo build -p kaltura-client --timings >/dev/null 2>&1
  python3 - "$target"/cargo-timings/cargo-timing.html <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
total = max(u["start"] + u["duration"] for u in units)
print(f"  whole build: {total:.1f} s")
for u in sorted(units, key=lambda u: -u["duration"])[:8]:
    rmeta = u.get("rmeta_time")
    print(f"  {u['name']:<20} starts {u['start']:5.1f} s, takes {u['duration']:5.1f} s"
          + (f", metadata after {rmeta:.1f} s" if rmeta else ""))
PY
  rm -rf "$target"
}

if [ "$only" = all ] || [ "$only" = client ]; then
  measure "cold cargo build -p kaltura-client (default features)" cargo build -p kaltura-client
  crate_shares
fi
if [ "$only" = all ]; then
  measure "cold cargo build -p kaltura-client --features full" cargo build -p kaltura-client --features full
fi
if [ "$only" = all ] || [ "$only" = ks ]; then
  measure "cold cargo build -p kaltura-ks" cargo build -p kaltura-ks
fi
if [ "$only" = all ]; then
  measure "cold cargo install --path kaltura-cli" \
    cargo install --path kaltura-cli --root "$(mktemp -d)" --locked
  # One service changed: regenerate from a schema with an edited action description,
  # then time the incremental rebuild (incremental caches on, as a developer has them).
  target=$(mktemp -d)
  CARGO_INCREMENTAL=1 CARGO_TARGET_DIR=$target cargo build -p kaltura-client >/dev/null 2>&1
  edited=$(mktemp --suffix .xml)
  sed '0,/<action name="list"/s//<action name="list" description="edited"/' \
    api/ovp/KalturaClient.xml > "$edited"
  cargo xtask codegen --schema "$edited" >/dev/null 2>&1
  start=$(date +%s%N)
  CARGO_INCREMENTAL=1 CARGO_TARGET_DIR=$target cargo build -p kaltura-client >/dev/null 2>&1
  end=$(date +%s%N)
  echo "incremental rebuild after one service changed: $(echo "scale=1; ($end - $start) / 1000000000" | bc) s"
  cargo xtask codegen >/dev/null 2>&1
  rm -rf "$target" "$edited"
fi
echo "generated files: $(find kaltura-api kaltura-client kaltura-metadata -name '*.rs' | wc -l) Rust files;" \
  "largest: $(find kaltura-api kaltura-client -name '*.rs' -exec wc -l {} + | grep -v total | sort -rn | head -1)"
