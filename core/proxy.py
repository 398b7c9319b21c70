"""The client's address behind the TLS proxy: one rule for lockouts and rate limits.

X-Forwarded-For is believed only when the request reached Django from a trusted proxy
(TRUSTED_PROXIES: addresses or networks). Each proxy appends the address it received the
request from, so reading the header from the right, the first address that is not one of
our proxies is the client; entries further left were written by the client and prove
nothing. A request from anywhere else (a client talking to gunicorn directly) is counted
under REMOTE_ADDR, whatever headers it sends. With no trusted proxy (development),
X-Forwarded-For is ignored.

The proxy must therefore append to X-Forwarded-For (nginx: `proxy_set_header
X-Forwarded-For $proxy_add_x_forwarded_for;`) and set X-Forwarded-Proto itself (`$scheme`),
and gunicorn must listen where only the proxy reaches it (README, "Mise en production").
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(_address(remote or "")):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # junk the client wrote: what is right of it is all we know
            break
        client = str(address)
        if not is_trusted_proxy(address):
            break
    return client
