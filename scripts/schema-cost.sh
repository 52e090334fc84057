#!/usr/bin/env bash
# What the schema reader costs, in time and peak memory, on real and hostile inputs
# (issue 13). Not part of CI: it builds a release example and writes ~250 MB of
# temporary files.
#
#   scripts/schema-cost.sh [OVP_SCHEMA]     # default: api/ovp/KalturaClient.xml
#
# Each case runs `schema/examples/schema_cost.rs` under GNU time (`/usr/bin/time -v`)
# with its address space capped (ulimit -v, $SCHEMA_COST_LIMIT_KB, default 8 GiB) and
# a time limit ($SCHEMA_COST_TIMEOUT seconds, default 300), so a reader that blows up
# is stopped and reported instead of taking the machine down.
set -euo pipefail
cd "$(dirname "$0")/.."
ovp=${1:-api/ovp/KalturaClient.xml}
limit_kb=${SCHEMA_COST_LIMIT_KB:-8388608}
timeout_s=${SCHEMA_COST_TIMEOUT:-300}
[ -f "$ovp" ] || { echo "no schema at $ovp" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

target=${CARGO_TARGET_DIR:-target}
# SCHEMA_COST_MANIFEST: another workspace holding the schema crate, to measure a copy.
cargo build --quiet --release --manifest-path "${SCHEMA_COST_MANIFEST:-Cargo.toml}" \
  -p kaltura-schema --example schema_cost
bin=$target/release/examples/schema_cost

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# N elements nested inside <enums>: what the issue's 1.2 MB file did.
deep() {
  local n=$1 out=$2
  {
    printf '<?xml version="1.0"?>\n<xml apiVersion="1.0">\n<enums>'
    awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "<a>"; for (i = 0; i < n; i++) printf "</a>" }'
    printf '</enums>\n</xml>\n'
  } >"$out"
}

# The lines between <tag> and </tag> of the OVP schema (exclusive).
section() { sed -n "/^  <$1>/,/^  <\/$1>/p" "$ovp" | sed '1d;$d'; }

# ~100 MB of real content: the OVP enums, classes and services copied under
# renamed types and service ids until the file is that large.
big_valid() {
  local out=$1 copies=$2
  section enums >"$work/enums" ; section classes >"$work/classes"; section services >"$work/services"
  {
    printf '<?xml version="1.0"?>\n<xml apiVersion="1.0">\n  <enums>\n'
    for i in $(seq "$copies"); do sed "s/Kaltura/K${i}altura/g" "$work/enums"; done
    printf '  </enums>\n  <classes>\n'
    for i in $(seq "$copies"); do sed "s/Kaltura/K${i}altura/g; s/K${i}alturaObjectBase/KalturaObjectBase/g" "$work/classes"; done
    printf '  </classes>\n  <services>\n'
    for i in $(seq "$copies"); do sed "s/Kaltura/K${i}altura/g; s/K${i}alturaObjectBase/KalturaObjectBase/g; s/ id=\"/ id=\"c${i}/" "$work/services"; done
    printf '  </services>\n</xml>\n'
  } >"$out"
}

# The OVP schema with ~100 MB of elements this reader does not know inserted after
# the root's start tag.
big_padding() {
  local out=$1
  {
    head -n 2 "$ovp"
    printf '<padding>'
    awk 'BEGIN { for (i = 0; i < 5000000; i++) printf "<p n=\"0123456789\"/>" }'
    printf '</padding>\n'
    tail -n +3 "$ovp"
  } >"$out"
}

run() {
  local name=$1 file=$2 depth=${3:-}
  local size
  size=$(wc -c <"$file")
  local log=$work/time.log out=$work/out.txt
  set +e
  ( ulimit -v "$limit_kb"; [ -n "$depth" ] && export SCHEMA_MAX_DEPTH=$depth; timeout "$timeout_s" /usr/bin/time -v -o "$log" "$bin" "$file" >"$out" 2>&1 )
  local rc=$?
  set -e
  local rss wall result
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log" 2>/dev/null || true)
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" 2>/dev/null || true)
  result=$(head -c 400 "$out" | tr '\n' ' ' | cut -c1-300)
  case $rc in
    0 | 1) ;;
    124) result="stopped after ${timeout_s}s" ;;
    *) result="exit $rc (killed or out of memory at the ${limit_kb} KB cap): $result" ;;
  esac
  printf '%-22s %9s B  %10s  peak RSS %8s KB  %s\n' "$name" "$size" "${wall:-?}" "${rss:-?}" "$result"
}

deep 50000 "$work/deep-50k.xml"
deep 200000 "$work/deep-200k.xml"
tr '\n' ' ' <"$ovp" >"$work/ovp-one-line.xml"
big_valid "$work/big-valid.xml" 53
big_padding "$work/big-padding.xml"

echo "schema reader cost ($(git rev-parse --short HEAD), $(date -u +%F))"
run "ovp" "$ovp"
for f in api/ott-2020/KalturaClient.xml api/ovp-2011/KalturaClient.xml; do
  [ -f "$f" ] && run "$(basename "$(dirname "$f")")" "$f"
done
run "ovp, one line" "$work/ovp-one-line.xml"
run "deep 50,000" "$work/deep-50k.xml"
run "deep 200,000" "$work/deep-200k.xml"
# Read to its end (a reader without the SCHEMA_MAX_DEPTH knob ignores it).
run "deep 200,000, no limit" "$work/deep-200k.xml" 1000000
run "100 MB, real content" "$work/big-valid.xml"
run "100 MB, unknown elems" "$work/big-padding.xml"
