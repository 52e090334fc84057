# The 20 newest videos whose name contains a word: id, name, duration and status,
# then how many match in all. The Python twin of examples/list_videos.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python list_videos.py intro
import os
import sys

from KalturaClient import *
from KalturaClient.Plugins.Core import *

config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

filter = KalturaMediaEntryFilter()
filter.nameLike = sys.argv[1]
filter.mediaTypeEqual = KalturaMediaType.VIDEO
filter.orderBy = KalturaMediaEntryOrderBy.CREATED_AT_DESC
pager = KalturaFilterPager()
pager.pageSize = 20

result = client.media.list(filter, pager)
# Enum values arrive as their wire value ("2"); the names are the class's attributes.
status_names = {value: name for name, value in vars(KalturaEntryStatus).items() if name.isupper()}
for entry in result.objects:
    print("%s\t%s\t%ss\t%s" % (entry.id, entry.name, entry.duration,
                               status_names.get(entry.status.getValue())))
print(result.totalCount, "in all")
