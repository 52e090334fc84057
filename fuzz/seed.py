#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the repository's own data.

    python3 fuzz/seed.py OUT_DIR

OUT_DIR/<target>/ receives one file per seed: the schema fixtures, the response bodies
of the conformance cases (tests/data/conformance/cases), the KS vectors
(tests/data/ks/vectors.json), the command line's documented examples. Each target's
input layout is the one its harness reads (fuzz/harness/*.rs).
"""

import base64
import glob
import hashlib
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEP = b"\xff"
KS = b"djJ8MTIzNDU2N3xmdXp6LWtzLW5vdC1hLXJlYWwtdG9rZW4"
SECRET = b"fuzz-admin-secret-7f3a9c"


def put(out, target, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def u16(n):
    return struct.pack("<H", n)


def schema(out):
    fixtures = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/schema/*.xml")))
    fixtures += sorted(glob.glob(os.path.join(ROOT, "schema/tests/fixtures/*.xml")))
    for path in fixtures:
        with open(path, "rb") as f:
            put(out, "schema_bytes", f.read())
    # schema_mutate: a base (as fuzz/harness/schema.rs lists them) and no edit, then
    # one edit of each kind on it.
    for base in range(14):
        put(out, "schema_mutate", u16(base) + u16(0))
        for op in range(10):
            put(out, "schema_mutate", u16(base) + u16(1) + u16(3) + u16(op) + bytes(8))


def bodies():
    """(case name, body bytes) of every conformance case."""
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/data/conformance/cases/*.json"))):
        with open(path) as f:
            case = json.load(f)
        name = case["name"]
        response = case["response"]
        if "format1_json_body" in response:
            yield name, response["format1_json_body"].encode()
        for action, answer in response.get("per_action", {}).items():
            if isinstance(answer, dict) and "format1_json_body" in answer:
                yield f"{name}:{action}", answer["format1_json_body"].encode()
        if "raw_body_base64" in response:
            yield name, base64.b64decode(response["raw_body_base64"])


def responses(out):
    all_bodies = list(bodies())
    extra = [
        b"",
        b"null",
        b"[]",
        b"{}",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b'<?xml version="1.0"?><xml><result><error><code>ENTRY_ID_NOT_FOUND</code>'
        b"<message>Entry id not found</message></error></result></xml>",
        # The server echoing what the request carried.
        b'{"objectType":"KalturaAPIException","code":"INVALID_KS","message":"Invalid KS \\"'
        + KS + b'\\"","args":{"KSID":"' + KS + b'"}}',
        b'{"objectType":"KalturaMediaListResponse","totalCount":"' + KS + b'"}',
        b'{"objectType":"KalturaMediaListResponse","objects":[{"objectType":"KalturaMediaEntry",'
        b'"id":"0_a","mediaType":"' + SECRET + b'"}],"totalCount":1}',
        b'{"objectType":"KalturaMediaListResponse","objects":[{"objectType":"KalturaLiveStreamEntry",'
        b'"id":"0_b"},{"objectType":"KalturaFutureEntry","id":"0_c"},{"id":"0_d"}],'
        b'"totalCount":"3","relatedObjects":[]}',
    ]
    for name, body in all_bodies:
        for action in range(6):
            put(out, "response_list", bytes([0, 0, action]) + body)
    for body in extra:
        for status in (0, 10, 12):
            for action in range(6):
                put(out, "response_list", bytes([status, 0, action]) + body)

    # response_multi: the captured multirequest, and arrays made of the other answers.
    by_name = dict(all_bodies)
    for name, body in all_bodies:
        if name.startswith("multirequest"):
            put(out, "response_multi", bytes([0, 0]) + body)
    items = [
        by_name.get("media_get", b"{}"),
        by_name.get("media_list_filter_pager", b"{}"),
        by_name.get("session_start_admin", b'""'),
        b"5",
    ]
    put(out, "response_multi", bytes([0, 0]) + b"[" + b",".join(items) + b"]")
    error = by_name.get("error_single_call", b"{}")
    put(out, "response_multi", bytes([0, 0]) + b"[" + b",".join([error] + items[1:]) + b"]")
    put(out, "response_multi", bytes([0, 0]) + b"[" + b",".join(items[:2]) + b"]")
    for body in extra:
        put(out, "response_multi", bytes([0, 0]) + body)

    # response_served: [status] headers 0xFF body.
    served = [body for name, body in all_bodies if name.startswith("serve_action")]
    heads = [
        b"Content-Type: image/jpeg",
        b"Content-Type: application/json",
        b"Content-Type: text/xml\nContent-Disposition: attachment; filename=\"a.jpg\"",
        b"Retry-After: 5",
        b"Retry-After: 120",
        b"Retry-After: Sun, 06 Nov 1994 08:49:37 GMT",
        b"Retry-After: Fri, 31 Dec 2999 23:59:59 GMT\nContent-Type: text/html",
    ]
    for status in (0, 10, 12, 13):
        for head in heads:
            for body in served + extra[:6] + [error]:
                put(out, "response_served", bytes([status]) + head + SEP + body)


def ks(out):
    with open(os.path.join(ROOT, "tests/data/ks/vectors.json")) as f:
        data = json.load(f)
    vectors = data["vectors"] + data.get("server_generated_vectors", [])
    for v in vectors:
        put(out, "ks_inspect", v["ks"].encode())
    # ks_roundtrip: flags, partner, now, expiry (i64 LE), 16 random bytes, then
    # user, privileges, master partner, additional data, v1 random, secret.
    for v in vectors:
        version = 0 if v["version"] == 1 else 1
        flags = version | (2 if v.get("type") == 2 else 0)
        master = v.get("master_partner_id")
        additional = v.get("additional_data")
        if master is not None:
            flags |= 8
        if additional is not None:
            flags |= 16
        if "valid_until" in v:
            flags |= 32
            now, expiry = 0, v["valid_until"]
        else:
            now, expiry = v.get("now", 0), v.get("expiry_seconds", 86400)
        random = v.get("random", "")
        raw16 = bytes(16)
        if version == 1:
            try:
                raw16 = bytes.fromhex(str(random))[:16].ljust(16, b"\0")
            except ValueError:
                pass
        fields = [
            v.get("user_id", ""),
            v.get("privileges", ""),
            master or "",
            additional or "",
            str(random) if version == 0 else "",
            v.get("secret", ""),
        ]
        seed = bytes([flags]) + struct.pack("<qqq", v["partner_id"], now, expiry) + raw16
        seed += SEP.join(f.encode() for f in fields)
        put(out, "ks_roundtrip", seed)


def cli(out):
    with open(os.path.join(ROOT, "kaltura-metadata/src/metadata.json")) as f:
        services = json.load(f)["services"]

    def at(service, action):
        for i, s in enumerate(services):
            if s["id"] == service:
                for j, a in enumerate(s["actions"]):
                    if a["name"] == action:
                        return u16(i) + u16(j)
        return u16(0) + u16(0)

    examples = [
        ("media", "list", ["filter:objectType=KalturaMediaEntryFilter", "filter:nameLike=intro",
                           "filter:mediaTypeEqual=VIDEO", "pager:pageSize=5"]),
        ("media", "list", ["filter=__null"]),
        ("media", "update", ["entryId=0_abc", "mediaEntry:description=__null", "mediaEntry:tags=a,b"]),
        ("report", "execute", ["id=5", "params:0:key=a", "params:0:value=1", "params:1:key=b"]),
        ("media", "addContent", ["entryId=0_abc", "resource:objectType=KalturaUploadedFileTokenResource",
                                 "resource:token=1_tok"]),
        ("uploadtoken", "upload", ["uploadTokenId=1", "fileData=@/nonexistent", "resume=true",
                                   "resumeAt=1.5"]),
        ("thumbasset", "serve", ["thumbAssetId=0_xyz"]),
        ("media", "get", ["entryId=0_abc", "version=1"]),
    ]
    for service, action, args in examples:
        put(out, "cli_params", at(service, action) + SEP.join(a.encode() for a in args))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    schema(out)
    responses(out)
    ks(out)
    cli(out)
    for target in sorted(os.listdir(out)):
        print(f"{target}: {len(os.listdir(os.path.join(out, target)))} seeds")


if __name__ == "__main__":
    main()
