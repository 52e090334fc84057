# An eSearch query: entries with a word anywhere in their metadata, captions or cue
# points, the best matches first. The Python twin of examples/esearch.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python esearch.py intro
import os
import sys

from KalturaClient import *
from KalturaClient.Plugins.Core import *
from KalturaClient.Plugins.ElasticSearch import *

config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

# A unified item looks in every field; an operator joins items (one here).
item = KalturaESearchUnifiedItem()
item.searchTerm = sys.argv[1]
item.itemType = KalturaESearchItemType.PARTIAL
params = KalturaESearchEntryParams()
params.searchOperator = KalturaESearchEntryOperator()
params.searchOperator.operator = KalturaESearchOperatorType.AND_OP
params.searchOperator.searchItems = [item]
found = client.elasticSearch.eSearch.searchEntry(params)
for result in found.objects:
    print("%s\t%s" % (result.object.id, result.object.name))
print(found.totalCount, "in all")
