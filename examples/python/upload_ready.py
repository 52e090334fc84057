# Uploads a file into a new video entry and waits until the entry is ready to play.
# The Python twin of examples/upload_ready.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python upload_ready.py movie.mp4
import os
import sys
import time

from KalturaClient import *
from KalturaClient.Plugins.Core import *

path = sys.argv[1]
config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

# The file into an upload token, then an entry with the token as content.
token = client.uploadToken.add(KalturaUploadToken())
with open(path, "rb") as data:
    client.uploadToken.upload(token.id, data)
entry = KalturaMediaEntry()
entry.name = path
entry.mediaType = KalturaMediaType.VIDEO
entry = client.media.add(entry)
resource = KalturaUploadedFileTokenResource()
resource.token = token.id
client.media.addContent(entry.id, resource)

# Until it is ready, it fails to convert, or an hour has passed.
deadline = time.time() + 3600
while True:
    status = client.baseEntry.get(entry.id).status.getValue()
    if status == KalturaEntryStatus.READY:
        break
    if status in (KalturaEntryStatus.ERROR_CONVERTING, KalturaEntryStatus.ERROR_IMPORTING):
        sys.exit("%s will not be ready: status %s" % (entry.id, status))
    if time.time() > deadline:
        sys.exit("%s is not ready after an hour" % entry.id)
    time.sleep(10)
print("%s is ready" % entry.id)
