# Every category of the account as a tree: one a line, indented by its depth, with its
# id and how many entries it holds. The Python twin of examples/category_tree.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python category_tree.py
import os

from KalturaClient import *
from KalturaClient.Plugins.Core import *

config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

# Sorted by full name (News>Sports>...), a parent comes just before its children.
filter = KalturaCategoryFilter()
filter.orderBy = KalturaCategoryOrderBy.FULL_NAME_ASC
pager = KalturaFilterPager()
pager.pageSize = 500
pager.pageIndex = 1
while True:
    result = client.category.list(filter, pager)
    for category in result.objects:
        print("%s%s (%s, %s entries)" % ("  " * category.depth, category.name, category.id,
                                         category.entriesCount))
    if len(result.objects) < pager.pageSize:
        break
    pager.pageIndex += 1
