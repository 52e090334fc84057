#!/usr/bin/env bash
# What `url::Url` in kaltura-runtime would cost: the cold `cargo build -p kaltura-api`
# (the generated API crate waits for the runtime before it starts) of the workspace
# as it is, and of a copy whose runtime also depends on `url` (the version the
# lockfile has, through reqwest). Fresh target folders, CARGO_INCREMENTAL=0, RUNS
# builds each, alternating; medians. Not part of CI: about ten minutes on 2 cores.
#
#   scripts/url-cost.sh [RUNS]     # default 2
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_INCREMENTAL=0

for variant in without with; do
  mkdir -p "$work/$variant"
  git ls-files -z | grep -zv '^fuzz/corpus' | xargs -0 cp --parents -t "$work/$variant"
  cp Cargo.lock "$work/$variant/"
done
sed -i 's/^\[dependencies\]$/[dependencies]\nurl = "2"/' "$work/with/kaltura-runtime/Cargo.toml"
(cd "$work/with" && cargo metadata --offline --format-version 1 >/dev/null)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A times
for i in $(seq "$runs"); do
  for variant in without with; do
    target=$(mktemp -d)
    start=$(date +%s%N)
    (cd "$work/$variant" && CARGO_TARGET_DIR=$target cargo build -q --offline -p kaltura-api)
    end=$(date +%s%N)
    rm -rf "$target"
    secs=$(echo "scale=1; ($end - $start) / 1000000000" | bc)
    times[$variant]="${times[$variant]:-} $secs"
    echo "run $i, $variant url: $secs s"
  done
done
for variant in without with; do
  crates=$(cd "$work/$variant" && cargo tree --offline -e normal -p kaltura-runtime --prefix none \
    | sed 's/ (\*)//' | sort -u | wc -l)
  echo "$variant url: median $(printf '%s\n' ${times[$variant]} | median) s" \
    "(runs:${times[$variant]}), kaltura-runtime compiles $crates crates"
done
