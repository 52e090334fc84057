# A session, then one user read with user.get: id, name and email. The Python twin
# of examples/user_get.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python user_get.py jane@example.com
import os
import sys

from KalturaClient import *
from KalturaClient.Plugins.Core import *

config = KalturaConfiguration(os.environ.get("KALTURA_SERVICE_URL", "https://www.kaltura.com"))
client = KalturaClient(config)
ks = client.session.start(os.environ["KALTURA_ADMIN_SECRET"], "", KalturaSessionType.ADMIN,
                          int(os.environ["KALTURA_PARTNER_ID"]))
client.setKs(ks)

user = client.user.get(sys.argv[1])
print("%s\t%s\t%s" % (user.id, user.fullName, user.email))
