#!/usr/bin/env bash
# Measures `kaltura mock serve` (release build): how long it takes to start (to the
# first answered call, which reads the API description), its memory with 100,000
# entries stored, and the requests per second it serves to 64 concurrent clients
# (curl --parallel, keep-alive connections) for system.ping, media.get and media.list.
#
# KALTURA_BIN picks the binary (default: builds target/release/kaltura). REQUESTS sets
# the calls per measurement (default 20000). Public tools only: cargo, curl, python3,
# and /proc for the resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-20000}
PARTNER=1234
if [ -z "${KALTURA_BIN:-}" ]; then
    cargo build --quiet --release -p kaltura-cli
    KALTURA_BIN=${CARGO_TARGET_DIR:-target}/release/kaltura
fi

work=$(mktemp -d)
pid=
stop() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi
}
trap 'stop; rm -rf "$work"' EXIT
umask 077
python3 -c 'import secrets; print(secrets.token_hex(16))' > "$work/secret"
SECRET=$(cat "$work/secret")

now() { python3 -c 'import time; print(time.monotonic())'; }

# Starts the mock with the given extra flags; sets $pid and $URL, and $STARTED to the
# seconds from launch to the first answered call. (Not to be run in a subshell.)
start() {
    : > "$work/url"
    local t0
    t0=$(now)
    "$KALTURA_BIN" mock serve --port 0 --partner-id "$PARTNER" \
        --admin-secret-file "$work/secret" "$@" > "$work/url" 2> "$work/log" &
    pid=$!
    until [ -s "$work/url" ]; do sleep 0.005; done
    URL=$(head -n1 "$work/url")
    until curl -sf -o /dev/null -H 'Content-Type: application/json' \
        -d '{"format":1}' "$URL/api_v3/service/system/action/ping"; do sleep 0.005; done
    STARTED=$(python3 -c "print('%.3f' % ($(now) - $t0))")
}

rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }

# $1 label, $2 service/action path, $3 JSON body: REQUESTS calls, 64 at a time.
load() {
    local cfg="$work/curl.cfg"
    python3 - "$cfg" "$URL/api_v3/service/$2" "$3" "$REQUESTS" <<'PY'
import sys
cfg, url, body, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
block = 'url = "%s"\ndata = %s\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' % (url, '"' + body.replace('\\', '\\\\').replace('"', '\\"') + '"')
with open(cfg, "w") as f:
    f.write("next\n".join([block] * n))
PY
    local t0 t1
    t0=$(now)
    curl -sS --no-progress-meter --parallel --parallel-max 64 --parallel-immediate -K "$cfg" > "$work/codes"
    t1=$(now)
    local ok
    ok=$(grep -c '^200$' "$work/codes" || true)
    python3 -c "print('  %-28s %7.0f requests/s  (%s of %s answered 200)' % ('$1', $REQUESTS / ($t1 - $t0), '$ok', '$REQUESTS'))"
}

echo "kaltura mock serve: $("$KALTURA_BIN" --version)"

echo "start time (launch to the first answered call), 5 runs:"
times=()
for _ in 1 2 3 4 5; do
    start
    times+=("$STARTED")
    stop
done
echo "  ${times[*]} s"

echo "memory:"
start
echo "  empty:                 $(rss_mib) MiB resident after one call"
stop
start --entries 100000
t=$STARTED
KS=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"format\":1,\"secret\":\"$SECRET\",\"partnerId\":$PARTNER,\"type\":2}" \
    "$URL/api_v3/service/session/action/start" | tr -d '"')
count=$(curl -s -H 'Content-Type: application/json' -d "{\"format\":1,\"ks\":\"$KS\"}" \
    "$URL/api_v3/service/baseEntry/action/count")
echo "  100,000 entries:       $(rss_mib) MiB resident ($count entries counted; started in $t s)"

echo "throughput, 64 concurrent clients, $REQUESTS calls each:"
load "system.ping" "system/action/ping" '{"format":1}'
ID=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"format\":1,\"ks\":\"$KS\",\"pager\":{\"objectType\":\"KalturaFilterPager\",\"pageSize\":1}}" \
    "$URL/api_v3/service/media/action/list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["id"])')
load "media.get (100,000 stored)" "media/action/get" "{\"format\":1,\"ks\":\"$KS\",\"entryId\":\"$ID\"}"
stop
start --entries 1000
KS=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"format\":1,\"secret\":\"$SECRET\",\"partnerId\":$PARTNER,\"type\":2}" \
    "$URL/api_v3/service/session/action/start" | tr -d '"')
load "media.list (1,000 stored)" "media/action/list" \
    "{\"format\":1,\"ks\":\"$KS\",\"filter\":{\"objectType\":\"KalturaMediaEntryFilter\",\"nameLike\":\"entry 9\"},\"pager\":{\"objectType\":\"KalturaFilterPager\",\"pageSize\":30}}"
stop
