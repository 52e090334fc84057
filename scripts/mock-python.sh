#!/usr/bin/env bash
# The vendor's Python client (kalturaapiclient, XML over HTTP) against `kaltura mock
# serve`, compared with our client's answers (the `kaltura` command line, JSON) to the
# same questions: a session start, a media list with a filter, an upload in chunks
# attached to an entry, a multirequest with a reference and a failing call. Fails on
# any difference.
#
# Needs python3 with venv and network access to PyPI for the first run; the virtual
# environment is kept in target/mock-python-venv (MOCK_PY_VENV to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/mock-url.sh

PARTNER=1234
VENV=${MOCK_PY_VENV:-target/mock-python-venv}
started=$(date +%s)

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import KalturaClient, lxml, Crypto' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        kalturaapiclient==22.19.0 lxml pycryptodome
fi

# The selection and features of `cargo test --workspace`, whose build this reuses
# (`-p kaltura-cli` alone would unify other features and compile the client again).
cargo build --quiet --workspace --examples --bins
KALTURA=${KALTURA_BIN:-${CARGO_TARGET_DIR:-target}/debug/kaltura}

work=$(mktemp -d)
mock_pid=
cleanup() {
    if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A throwaway secret, readable by us only (the command line refuses others').
umask 077
python3 -c 'import secrets; print(secrets.token_hex(16))' > "$work/admin-secret"
SECRET=$(cat "$work/admin-secret")

"$KALTURA" mock serve --port 0 --partner-id "$PARTNER" \
    --admin-secret-file "$work/admin-secret" > "$work/url" 2> "$work/mock.log" &
mock_pid=$!
wait_for_mock "$work/url" "$work/mock.log"

# The vendor's client.
echo "$SECRET" | "$VENV/bin/python" examples/python/against_mock.py "$URL" "$PARTNER" > "$work/python.json"

# Our client, the same questions.
export KALTURA_SERVICE_URL="$URL"
unset KALTURA_PROFILE KALTURA_PARTNER_ID
KALTURA_KS=$(printf 'secret=%s\n' "$SECRET" |
    "$KALTURA" call session start partnerId="$PARTNER" type=ADMIN userId=py-admin - -o raw)
export KALTURA_KS
py() { python3 -c "import json,sys; d=json.load(open('$work/python.json')); print($1)"; }
TOKEN=$(py 'd["upload"]["tokenId"]')
ENTRY=$(py 'd["upload"]["entryId"]')

"$KALTURA" call session get -o json > "$work/session.json"
"$KALTURA" call media list filter:objectType=KalturaMediaEntryFilter "filter:nameLike=py intro" \
    filter:orderBy=+name pager:pageSize=2 -o json > "$work/list.json"
"$KALTURA" call uploadToken get uploadTokenId="$TOKEN" -o json > "$work/token.json"
"$KALTURA" call media get entryId="$ENTRY" -o json > "$work/entry.json"
"$KALTURA" call flavorAsset list filter:objectType=KalturaAssetFilter filter:entryIdEqual="$ENTRY" \
    -o json > "$work/flavors.json"
set +e
"$KALTURA" call media get entryId=0_missing0 > /dev/null 2> "$work/missing.err"
missing_rc=$?
set -e
# Our own upload of the same bytes, in two chunks.
python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(200000)))' > "$work/clip.bin"
OUR_TOKEN=$("$KALTURA" upload "$work/clip.bin" --chunk-size 120000 -o raw)
"$KALTURA" call uploadToken get uploadTokenId="$OUR_TOKEN" -o json > "$work/our-token.json"

python3 - "$work" "$missing_rc" <<'PY'
import json, sys
work, missing_rc = sys.argv[1], int(sys.argv[2])
load = lambda name: json.load(open(f"{work}/{name}"))
py = load("python.json")
session, listed, token, entry = load("session.json"), load("list.json"), load("token.json"), load("entry.json")
flavors, our_token = load("flavors.json"), load("our-token.json")
missing = open(f"{work}/missing.err").read()
ours = {
    "session": {k: session[k] for k in ("partnerId", "sessionType", "userId")},
    "list": {
        "totalCount": listed["totalCount"],
        "names": [o["name"] for o in listed["objects"]],
        "objectTypes": sorted({o["objectType"] for o in listed["objects"]}),
    },
    "upload": {
        "tokenId": token["id"],
        "tokenStatus": token["status"],
        "uploadedFileSize": int(token["uploadedFileSize"]),
        "entryId": entry["id"],
        "entryStatus": entry["status"],
    },
    "multirequest": [
        "entry:py chained",
        "entry:py chained",
        "error:ENTRY_ID_NOT_FOUND" if missing_rc == 3 and "(ENTRY_ID_NOT_FOUND)" in missing else "error:?",
        "list:%d" % flavors["totalCount"],
        "chained id found:True",
    ],
}
ours_upload = {"status": our_token["status"], "uploadedFileSize": int(our_token["uploadedFileSize"])}
theirs_upload = {"status": py["upload"]["statusAfterFinalChunk"], "uploadedFileSize": py["upload"]["uploadedFileSize"]}
ours["upload"]["statusAfterFinalChunk"] = our_token["status"]
problems = []
if ours != py:
    problems.append("answers differ:\n python: %s\n ours:   %s" % (json.dumps(py, sort_keys=True), json.dumps(ours, sort_keys=True)))
if ours_upload != theirs_upload:
    problems.append("uploads differ: python %s, ours %s" % (theirs_upload, ours_upload))
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("the Python client and ours got the same answers:")
print(json.dumps(py, indent=2, sort_keys=True))
PY
echo "mock-python: passed in $(( $(date +%s) - started ))s"
