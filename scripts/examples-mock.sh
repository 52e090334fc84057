#!/usr/bin/env bash
# The programs in examples/ as they are, against `kaltura mock serve`: each must exit 0
# and print what it is for (the entry it made, the list it asked for, ...). They run in
# an order that builds the state the next ones need: uploads make the entries that the
# lists, the waits, the updates, the multirequest and the captions work on.
#
# Three examples make no API call: user_ks and delivery_urls make a KS and URLs
# locally (the URLs are then fetched from the mock, which must deliver each), and
# webhook_verify checks a notification body from tests/data/webhooks. Every
# `[[example]]` of examples/Cargo.toml must be run here: a new one fails this script
# until it is added.
#
# The binaries are those `cargo test --workspace` built (same selection, same features,
# so nothing is compiled again); EXAMPLES_DIR and KALTURA_BIN point elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/mock-url.sh

PARTNER=1234
CHILD=5678
started=$(date +%s)
TARGET=${CARGO_TARGET_DIR:-target}
if [ -z "${EXAMPLES_DIR:-}" ] || [ -z "${KALTURA_BIN:-}" ]; then
    cargo build --quiet --workspace --examples --bins
fi
EXAMPLES=${EXAMPLES_DIR:-$TARGET/debug/examples}
KALTURA=${KALTURA_BIN:-$TARGET/debug/kaltura}

work=$(mktemp -d)
mock_pid=
cleanup() {
    if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
# The upload example writes its generated file in the temporary folder: ours.
export TMPDIR="$work"

# A throwaway secret and a user who can log in, readable by us only.
umask 077
python3 -c 'import secrets; print(secrets.token_hex(16))' > "$work/admin-secret"
SECRET=$(cat "$work/admin-secret")
echo "jane jane@example.com a-password-1" > "$work/users"

# Entries convert in a second, so the waiting examples wait. The state is kept in a
# file, for the second run at the end.
start_mock() {
    : > "$work/url"
    "$KALTURA" mock serve --port 0 --partner-id "$PARTNER" --admin-secret-file "$work/admin-secret" \
        --users-file "$work/users" --entries 3 --ready-after 1000 --state "$work/state.json" \
        > "$work/url" 2> "$work/mock.log" &
    mock_pid=$!
    wait_for_mock "$work/url" "$work/mock.log"
}
start_mock

export KALTURA_SERVICE_URL="$URL" KALTURA_PARTNER_ID="$PARTNER" KALTURA_ADMIN_SECRET="$SECRET"
unset KALTURA_KS KALTURA_PROFILE KALTURA_USER_ID

ran=()
# run NAME PATTERN [ARGS...]: runs the example, which must exit 0 and print a line
# matching the extended regular expression PATTERN; its output is kept in $work/NAME.out.
run() {
    local name=$1 pattern=$2
    shift 2
    ran+=("$name")
    local rc=0
    "$EXAMPLES/$name" "$@" > "$work/$name.out" 2> "$work/$name.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name $*: exit status $rc"
        cat "$work/$name.out" "$work/$name.err"
        echo "--- the mock's log:"
        cat "$work/mock.log"
        exit 1
    fi
    if ! grep -Eq -- "$pattern" "$work/$name.out"; then
        echo "FAIL $name $*: no line matches /$pattern/ in:"
        cat "$work/$name.out"
        exit 1
    fi
    echo "ok   $name"
}
# The admin KS for the setup calls made with the command line.
KALTURA_KS=$(printf 'secret=%s\n' "$SECRET" |
    env -u KALTURA_PARTNER_ID -u KALTURA_ADMIN_SECRET "$KALTURA" call session start partnerId="$PARTNER" type=ADMIN \
        userId=examples - -o raw)
kcall() { env -u KALTURA_PARTNER_ID -u KALTURA_ADMIN_SECRET KALTURA_KS="$KALTURA_KS" "$KALTURA" call "$@"; }

# Sessions: an ADMIN and a USER session from the server, then a count with the first.
run session 'the account has 3 media entries'
# A generated file in chunks, then an entry of it (PRECONVERT for a second).
run upload 'entry 0_[0-9a-z]{8} created, status (PRECONVERT|READY)'
UPLOADED=$(sed -n 's/^entry \(0_[0-9a-z]*\) created.*/\1/p' "$work/upload.out")
# An upload, then waiting until the entry is READY.
python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(300000)))' \
    > "$work/intro clip.mp4"
run upload_ready 'is ready: READY' "$work/intro clip.mp4"
INTRO=$(sed -n 's/^\(0_[0-9a-z]*\) is ready.*/\1/p' "$work/upload_ready.out")
run wait_ready "^$UPLOADED	kaltura-rs-example.bin	READY\$" "$UPLOADED" 1
run list_videos '^1 in all$' intro
grep -q "^$INTRO	.*intro clip.mp4	" "$work/list_videos.out" ||
    { echo "FAIL list_videos: $INTRO is not listed"; cat "$work/list_videos.out"; exit 1; }
run list_all "^$INTRO	"
[ "$(wc -l < "$work/list_all.out")" -eq 5 ] ||
    { echo "FAIL list_all: 5 videos expected"; cat "$work/list_all.out"; exit 1; }
run get_update "^$INTRO	.*intro clip.mp4	reviewed\$" "$INTRO"
run keep_session '^round 2: 5 entries' 0 2
run user_get '^jane	.*	jane@example.com$' jane
# Partner 5678 is not in this partner's group: both calls for it are refused.
KALTURA_CHILD_PARTNER_ID=$CHILD run impersonation '^our own account has 5 media entries$'
[ "$(grep -c "partner $CHILD was refused: .*PARTNER_ACCESS_FORBIDDEN" "$work/impersonation.out")" -eq 2 ] ||
    { echo "FAIL impersonation: both calls for $CHILD should be refused"; cat "$work/impersonation.out"; exit 1; }

# Two categories, one under the other, for the multirequest and the tree.
FEATURED=$(kcall category add category:name=Featured category:tags=featured,home -o json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
kcall category add category:name=Sports category:parentId="$FEATURED" -o json > /dev/null
run multirequest '^#4 categoryentry\.add: ok$' "$INTRO" "$UPLOADED" featured
[ "$(grep -c ': ok$' "$work/multirequest.out")" -eq 4 ] ||
    { echo "FAIL multirequest: 4 calls should succeed"; cat "$work/multirequest.out"; exit 1; }
run category_tree "^Featured \\($FEATURED, 2 entries\\)\$"
grep -q '^  Sports (' "$work/category_tree.out" ||
    { echo "FAIL category_tree: Sports is not under Featured"; cat "$work/category_tree.out"; exit 1; }

run esearch '^1 in all$' intro
grep -q "^$INTRO	" "$work/esearch.out" ||
    { echo "FAIL esearch: $INTRO not found"; cat "$work/esearch.out"; exit 1; }
printf '1\n00:00:01,000 --> 00:00:02,000\nHello\n' > "$work/captions.srt"
run caption "^caption [0-9a-z_]+ added to $INTRO\$" "$INTRO" "$work/captions.srt"
PROFILE=$(kcall metadataProfile add metadataProfile:metadataObjectType=1 \
    metadataProfile:name=Topics metadataProfile:createMode=1 \
    'xsdData=<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:element name="metadata"/></xsd:schema>' \
    -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
run custom_metadata '^<metadata><Topic>Sea &amp; sky</Topic></metadata>$' \
    "$INTRO" "$PROFILE" Topic "Sea & sky"

# No call: made locally (user_ks, delivery_urls) or read from a file (webhook_verify).
run user_ks "^privileges sview:$INTRO\$" "$INTRO"
run delivery_urls "^HLS +$URL/p/$PARTNER/.*entryId/$INTRO/.*[?]ks=" "$INTRO"
# The mock delivers what they name: each URL answers 200 with a body and no error.
python3 - "$work/delivery_urls.out" <<'PY'
import sys, urllib.request
lines = [l for l in open(sys.argv[1]) if l.strip()]
for line in lines:
    name, url = line[:10].strip(), line[10:].strip()
    with urllib.request.urlopen(url) as r:
        body, error = r.read(), r.headers.get("X-Kaltura-App")
        if r.status != 200 or error or not body:
            sys.exit(f"FAIL delivery_urls: {name} answered {r.status} {error!r} with {len(body)} bytes")
print(f"ok   delivery_urls: its {len(lines)} URLs delivered")
PY
WEBHOOKS=tests/data/webhooks
KALTURA_ADMIN_SECRET=$(python3 -c "import json; print(json.load(open('$WEBHOOKS/signatures.json'))['secret'])") \
    run webhook_verify '^entry +[0-9]_[0-9a-z]+ ' "$WEBHOOKS/xml.txt" \
    "$(python3 -c "import json; print(json.load(open('$WEBHOOKS/signatures.json'))['signatures']['xml.txt']['sha256'])")" \
    sha256

# A second mock on the same state file serves what the first one kept (list_videos run
# again as a check of --state, not counted). The state is written within 100 ms of
# each call; the wait covers it.
sleep 0.3
kill "$mock_pid"; wait "$mock_pid" 2>/dev/null || true; mock_pid=
start_mock
export KALTURA_SERVICE_URL="$URL"
"$EXAMPLES/list_videos" intro > "$work/again.out"
grep -q "^$INTRO	.*intro clip.mp4	" "$work/again.out" && grep -q '^1 in all$' "$work/again.out" ||
    { echo "FAIL the second mock lost the state:"; cat "$work/again.out"; exit 1; }
echo "ok   the state kept in --state served again"

# Every example of examples/Cargo.toml ran.
missing=
for name in $(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' examples/Cargo.toml | grep -v '^kaltura-examples$'); do
    case " ${ran[*]} " in
        *" $name "*) ;;
        *) missing="$missing $name" ;;
    esac
done
if [ -n "$missing" ]; then
    echo "FAIL examples not run by $0:$missing"
    exit 1
fi
echo "examples-mock: ${#ran[@]} examples passed in $(( $(date +%s) - started ))s"
