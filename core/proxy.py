"""The client's address behind the TLS proxy: one rule for lockouts and rate limits.

Each proxy appends to X-Forwarded-For the address it received the request from, so with
TRUSTED_PROXY_COUNT proxies in front of Django, the client is the entry that many places
from the right. Entries further left were written by the client and prove nothing (a
client can claim any address there); without enough entries the request did not come
through the proxies, and REMOTE_ADDR is the client. With a count of 0 (development, no
proxy), REMOTE_ADDR is the client and X-Forwarded-For is ignored.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
