# A stand-in Kaltura server on 127.0.0.1 for trying the Python twins without an
# account: it answers session.start, media.list, media.update, category.list and
# categoryEntry.add (alone or in a multirequest) in the XML the vendor's client reads,
# with the same data as tests/tests/examples.rs. Not a test of anything but the
# programs' plumbing.
#
#   python standin.py 8765 &
#   KALTURA_SERVICE_URL=http://127.0.0.1:8765 KALTURA_PARTNER_ID=1234567 \
#   KALTURA_ADMIN_SECRET=0123456789abcdef0123456789abcdef python list_videos.py intro
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.sax.saxutils import escape

SECRET, PARTNER = "0123456789abcdef0123456789abcdef", "1234567"
VIDEOS = [{"objectType": "KalturaMediaEntry", "id": "0_v%d" % i, "name": "intro %d" % i,
           "status": 4 if i == 21 else 2, "mediaType": 1, "duration": 60 + i,
           "createdAt": 1700000000 + i} for i in range(1, 23)]
VIDEOS.append({"objectType": "KalturaMediaEntry", "id": "0_audio", "name": "intro audio",
               "status": 2, "mediaType": 5, "duration": 30, "createdAt": 1800000000})
CATEGORIES = [{"objectType": "KalturaCategory", "id": 42, "name": "Featured", "tags": "featured,home"},
              {"objectType": "KalturaCategory", "id": 7, "name": "Archive", "tags": "archive"}]


def error(code, message):
    return {"error": {"objectType": "KalturaAPIException", "code": code, "message": message}}


def call(service, action, p):
    sa = (service + "." + action).lower()
    if sa == "session.start":
        if p.get("secret") != SECRET or p.get("partnerId") != PARTNER:
            return error("START_SESSION_ERROR", "Error while starting session")
        return "djJ8standin"  # what the programs do with it is all that matters here
    if p.get("ks") != "djJ8standin":
        return error("MISSING_KS", "Missing KS")
    if sa == "media.list":
        f, pager = p.get("filter", {}), p.get("pager", {})
        found = [e for e in VIDEOS if f.get("nameLike", "") in e["name"]
                 and f.get("mediaTypeEqual", str(e["mediaType"])) == str(e["mediaType"])]
        found.sort(key=lambda e: e["createdAt"], reverse=f.get("orderBy") == "-createdAt")
        size = int(pager.get("pageSize", 30))
        return {"objectType": "KalturaMediaListResponse", "objects": found[:size], "totalCount": len(found)}
    if sa == "media.update":
        entry = next((e for e in VIDEOS if e["id"] == p.get("entryId")), None)
        if entry is None:
            return error("ENTRY_ID_NOT_FOUND", 'Entry id "%s" not found' % p.get("entryId"))
        print("media.update", p["entryId"], json.dumps(p["mediaEntry"]), file=sys.stderr)
        return dict(entry, **{k: v for k, v in p["mediaEntry"].items() if "__null" not in k})
    if sa == "category.list":
        tag = p.get("filter", {}).get("tagsLike", "")
        found = [c for c in CATEGORIES if tag in c["tags"]]
        return {"objectType": "KalturaCategoryListResponse", "objects": found, "totalCount": len(found)}
    if sa == "categoryentry.add":
        link = p["categoryEntry"]
        if not str(link.get("categoryId", "")).isdigit():
            return error("CATEGORY_NOT_FOUND", 'Category id "%s" not found' % link.get("categoryId"))
        if not any(e["id"] == link["entryId"] for e in VIDEOS):
            return error("ENTRY_ID_NOT_FOUND", 'Entry id "%s" not found' % link["entryId"])
        return dict(link, objectType="KalturaCategoryEntry", status=2)
    return error("SERVICE_FORBIDDEN", sa + " is not in the stand-in")


def resolve(value, results):
    """`{N:result:a:b}` (N from 1) replaced by that earlier result's value."""
    if isinstance(value, dict):
        return {k: resolve(v, results) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and ":result" in value:
        n, _, *path = value.strip("{}").split(":")
        at = results[int(n) - 1]
        for seg in path:
            at = at[int(seg)] if isinstance(at, list) else at.get(seg, "")
        return str(at)
    return value


def xml(value):
    if isinstance(value, dict):
        return "".join("<%s>%s</%s>" % (k, xml(v), k) for k, v in value.items())
    if isinstance(value, list):
        return "".join("<item>%s</item>" % xml(v) for v in value)
    return escape(str(value))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        params = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        path = self.path.split("/")
        if path[-1] == "multirequest":
            results = []
            for i in range(len(params)):
                if str(i) not in params:
                    break
                item = resolve(params[str(i)], results)
                item.setdefault("ks", params.get("ks"))
                results.append(call(item["service"], item["action"], item))
            body = "".join("<item>%s</item>" % xml(r) for r in results)
        else:
            body = xml(call(path[path.index("service") + 1], path[path.index("action") + 1], params))
        out = ("<?xml version=\"1.0\"?><xml><result>%s</result><executionTime>0</executionTime></xml>"
               % body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8765), Handler).serve_forever()
