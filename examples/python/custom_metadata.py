# Adds custom metadata to an entry: one field's value, in the XML of a metadata profile
# the account has. The Python twin of examples/custom_metadata.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python custom_metadata.py 0_abc123 4321 Topic "Sea & sky"
import os
import sys
from xml.sax.saxutils import escape

from KalturaClient import *
from KalturaClient.Plugins.Core import *
from KalturaClient.Plugins.Metadata import *

entry_id, profile_id, field, value = sys.argv[1:5]
config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

xml = "<metadata><%s>%s</%s></metadata>" % (field, escape(value), field)
added = client.metadata.metadata.add(int(profile_id), KalturaMetadataObjectType.ENTRY,
                                     entry_id, xml)
print("metadata %s, version %s:" % (added.id, added.version))
print(added.xml)
