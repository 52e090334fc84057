# One multirequest that reads an entry and updates it from what it read: the update's
# entry id and new description are the first call's result. The Python twin of
# examples/get_update.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python get_update.py 0_abc123
import os
import sys

from KalturaClient import *
from KalturaClient.Plugins.Core import *

config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

client.startMultiRequest()
entry = client.media.get(sys.argv[1])
changes = KalturaMediaEntry()
changes.tags = "reviewed"
changes.description = entry.name  # sent as {1:result:name}
client.media.update(entry.id, changes)
results = client.doMultiRequest()
updated = results[1]
print("%s\t%s\t%s" % (updated.id, updated.description, updated.tags))
