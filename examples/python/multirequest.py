# One multirequest: update an entry's description and clear its reference id, find a
# category by tag and link two entries to it; then each call's outcome. The Python
# twin of examples/multirequest.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python multirequest.py 0_abc123 0_def456 featured
import os
import sys

from KalturaClient import *
from KalturaClient.exceptions import KalturaException
from KalturaClient.Plugins.Core import *

entry_id, other_entry_id, tag = sys.argv[1:4]
config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

client.startMultiRequest()
entry = KalturaMediaEntry()
entry.description = "Updated from Python"
entry.referenceId = None  # cleared on the server
client.media.update(entry_id, entry)
category_filter = KalturaCategoryFilter()
category_filter.tagsLike = tag
categories = client.category.list(category_filter)
for linked_id in [entry_id, other_entry_id]:
    category_entry = KalturaCategoryEntry()
    category_entry.entryId = linked_id
    category_entry.categoryId = categories.objects[0].id
    client.categoryEntry.add(category_entry)
for number, result in enumerate(client.doMultiRequest(), 1):
    print("#%d %s" % (number, result if isinstance(result, KalturaException) else "ok"))
