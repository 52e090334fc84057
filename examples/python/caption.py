# Adds an SRT file to an entry as its English captions. The Python twin of
# examples/caption.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python caption.py 0_abc123 captions.srt
import os
import sys

from KalturaClient import *
from KalturaClient.Plugins.Core import *
from KalturaClient.Plugins.Caption import *

entry_id, path = sys.argv[1:3]
config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)
with open(path) as f:
    srt = f.read()

# First the asset (its language and format), then its text.
asset = KalturaCaptionAsset()
asset.language = KalturaLanguage.EN
asset.label = "English"
asset.format = KalturaCaptionType.SRT
asset = client.caption.captionAsset.add(entry_id, asset)
content = KalturaStringResource()
content.content = srt
client.caption.captionAsset.setContent(asset.id, content)
print("caption %s added to %s" % (asset.id, entry_id))
