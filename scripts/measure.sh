#!/usr/bin/env bash
# Measures what issue #2 tracks: generator time and peak memory on the OVP schema, and
# cold build times of kaltura-client (default features and `full`). Not part of CI.
#
#   scripts/measure.sh codegen [RUNS]   # release xtask, RUNS generations into a temp dir
#   scripts/measure.sh build            # cold builds in a fresh target dir (slow)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-codegen}

case "$what" in
codegen)
  runs=${2:-10}
  cargo build --quiet --profile xtask -p xtask
  bin=${CARGO_TARGET_DIR:-target}/xtask/xtask
  out=$(mktemp -d)
  times=()
  peak=0
  for _ in $(seq "$runs"); do
    # A fresh output folder each time, so every run writes the whole tree.
    rm -rf "$out/generated"
    # GNU time: %e wall seconds, %M peak resident KB.
    /usr/bin/time -o "$out/time" -f '%e %M' "$bin" codegen --out "$out/generated" >/dev/null 2>&1
    line=$(tail -1 "$out/time")
    times+=("${line% *}")
    kb=${line#* }
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "codegen (OVP schema, public profile, $runs runs): min $(echo "$sorted" | head -1)s," \
       "median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")s, peak RSS $((peak / 1024)) MiB"
  # And once more into the same folder: the tree is compared and left alone.
  /usr/bin/time -o "$out/time" -f '%e %M' "$bin" codegen --out "$out/generated" >/dev/null 2>&1
  echo "codegen into an up-to-date folder: $(tail -1 "$out/time" | cut -d' ' -f1)s"
  echo "generated: $(find "$out/generated" -name '*.rs' | wc -l) Rust files," \
       "$(find "$out/generated" -name '*.rs' -exec cat {} + | wc -l) lines;" \
       "metadata.json $(wc -c < "$out/generated/metadata.json") bytes"
  rm -rf "$out"
  ;;
build)
  # Incremental caches would turn the "alone" rebuilds into near no-ops.
  export CARGO_INCREMENTAL=0
  target=$(mktemp -d)
  timed() {
    local label=$1; shift
    local start end
    start=$(date +%s%N)
    CARGO_TARGET_DIR=$target "$@"
    end=$(date +%s%N)
    echo "$label: $(( (end - start) / 1000000 )) ms"
  }
  timed "cold build, default features, dependencies included" cargo build --quiet -p kaltura-client
  touch kaltura-client/src/lib.rs
  timed "rebuild of kaltura-client alone, default features" cargo build --quiet -p kaltura-client
  timed "build of kaltura-client alone, --features full" cargo build --quiet -p kaltura-client --features full
  rm -rf "$target"
  ;;
*)
  echo "usage: $0 codegen [RUNS] | build" >&2
  exit 2
  ;;
esac
