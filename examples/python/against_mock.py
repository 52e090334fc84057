"""The vendor's Python client (kalturaapiclient) against `kaltura mock serve`.

Run by scripts/mock-python.sh: a session start, a media list with a filter, an upload
in two chunks attached to an entry, and a multirequest with a reference and a failing
call. It prints what it saw as one JSON document on stdout, which the script compares
with the answers of our client (the `kaltura` command line) to the same questions.

Usage: python against_mock.py SERVICE_URL PARTNER_ID   (the admin secret on stdin)
"""

import json
import os
import sys
import tempfile

from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.exceptions import KalturaException
from KalturaClient.Plugins.Core import (
    KalturaFilterPager,
    KalturaMediaEntry,
    KalturaMediaEntryFilter,
    KalturaMediaType,
    KalturaSessionType,
    KalturaUploadedFileTokenResource,
    KalturaUploadToken,
)


def main():
    url, partner_id = sys.argv[1], int(sys.argv[2])
    secret = sys.stdin.readline().strip()

    config = KalturaConfiguration()
    config.serviceUrl = url
    client = KalturaClient(config)

    # A session.
    ks = client.session.start(secret, "py-admin", KalturaSessionType.ADMIN, partner_id)
    client.setKs(ks)
    info = client.session.get()
    session = {
        "partnerId": info.partnerId,
        "sessionType": info.sessionType.getValue(),
        "userId": info.userId,
    }

    # Entries, then a list with a filter, an order and a pager.
    for name in ["py intro one", "py other", "py intro two", "py intro three"]:
        entry = KalturaMediaEntry()
        entry.name = name
        entry.mediaType = KalturaMediaType.VIDEO
        client.media.add(entry)
    flt = KalturaMediaEntryFilter()
    flt.nameLike = "py intro"
    flt.orderBy = "+name"
    pager = KalturaFilterPager()
    pager.pageSize = 2
    page = client.media.list(flt, pager)
    listed = {
        "totalCount": page.totalCount,
        "names": [o.name for o in page.objects],
        "objectTypes": sorted({type(o).__name__ for o in page.objects}),
    }

    # An upload in two chunks, attached to a new entry.
    data = bytes((i % 251) for i in range(200_000))
    token = KalturaUploadToken()
    token.fileName = "clip.bin"
    token = client.uploadToken.add(token)
    with tempfile.TemporaryDirectory() as tmp:
        first = os.path.join(tmp, "clip.bin")
        second = os.path.join(tmp, "clip2.bin")
        with open(first, "wb") as f:
            f.write(data[:120_000])
        with open(second, "wb") as f:
            f.write(data[120_000:])
        with open(first, "rb") as f:
            client.uploadToken.upload(token.id, f, False, False, 0)
        with open(second, "rb") as f:
            done = client.uploadToken.upload(token.id, f, True, True, 120_000)
    entry = KalturaMediaEntry()
    entry.name = "py uploaded"
    entry.mediaType = KalturaMediaType.VIDEO
    entry = client.media.add(entry)
    resource = KalturaUploadedFileTokenResource()
    resource.token = token.id
    entry = client.media.addContent(entry.id, resource)
    token = client.uploadToken.get(token.id)
    uploaded = {
        "tokenId": token.id,
        "statusAfterFinalChunk": done.status.getValue(),
        "tokenStatus": token.status.getValue(),
        "uploadedFileSize": int(done.uploadedFileSize),
        "entryId": entry.id,
        "entryStatus": str(entry.status.getValue()),
    }

    # A multirequest: an entry added, fetched through a reference to its id, a call
    # that fails, and the assets of the uploaded entry.
    client.startMultiRequest()
    chained = KalturaMediaEntry()
    chained.name = "py chained"
    chained.mediaType = KalturaMediaType.VIDEO
    added = client.media.add(chained)
    client.media.get(added.id)
    client.media.get("0_missing0")
    client.flavorAsset.list(_asset_filter(entry.id))
    results = client.doMultiRequest()
    multi = []
    for r in results:
        if isinstance(r, KalturaException):
            multi.append("error:" + r.code)
        elif hasattr(r, "totalCount"):
            multi.append("list:%d" % r.totalCount)
        else:
            multi.append("entry:" + r.name)
    multi.append("chained id found:%s" % (len(results) > 1 and getattr(results[0], "id", None) == getattr(results[1], "id", "")))

    json.dump(
        {"session": session, "list": listed, "upload": uploaded, "multirequest": multi},
        sys.stdout,
        indent=2,
        sort_keys=True,
    )
    sys.stdout.write("\n")


def _asset_filter(entry_id):
    from KalturaClient.Plugins.Core import KalturaAssetFilter

    f = KalturaAssetFilter()
    f.entryIdEqual = entry_id
    return f


if __name__ == "__main__":
    main()
