# Makes a USER KS locally from the admin secret, without calling the server, and
# prints what it holds. The Python twin of examples/user_ks.rs.
#
#   export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...
#   python user_ks.py 0_abc123
import base64
import hashlib
import os
import sys
import urllib.parse

from Crypto.Cipher import AES
from KalturaClient import *
from KalturaClient.Plugins.Core import *

secret = os.environ["KALTURA_ADMIN_SECRET"]
partner_id = int(os.environ["KALTURA_PARTNER_ID"])
user_id = os.environ.get("KALTURA_USER_ID", "viewer@example.com")
entry_id = sys.argv[1] if len(sys.argv) > 1 else "0_abc123"
ks = KalturaClient.generateSessionV2(secret, user_id, KalturaSessionType.USER, partner_id,
                                     3600, "sview:" + entry_id)

# The client cannot read a KS back: a v2 KS is "v2|<partner>|" and the fields,
# AES-encrypted with the secret's SHA-1, behind a SHA-1 and 16 random bytes.
version, partner, encrypted = base64.urlsafe_b64decode(ks).split(b"|", 2)
key = hashlib.sha1(secret.encode()).digest()[:16]
plain = AES.new(key, AES.MODE_CBC, b"\0" * 16).decrypt(encrypted).rstrip(b"\0")
fields = dict(urllib.parse.parse_qsl(plain[36:].decode(), keep_blank_values=True))
print("version   ", version.decode())
print("partner   ", partner.decode())
print("type      ", "USER" if fields.pop("_t") == "0" else "ADMIN")
print("user      ", fields.pop("_u"))
expiry = int(fields.pop("_e"))
print("privileges", ",".join(k + ":" + v if v else k for k, v in fields.items()))
print("expires   ", expiry)
