"""The address of the person at the other end of a request.

Behind the documented reverse proxy (docs/deploy.md) ``REMOTE_ADDR`` is the
proxy's own address, shared by everyone: keyed on it, five wrong passwords from
anywhere would pause sign-in for the real user too. Each trusted proxy appends
the address it received the request from to ``X-Forwarded-For``, so with N
proxies in front the client is the N-th address from the right; everything to
its left was written by the client and proves nothing.

With no proxy configured (``SANGSAENG_TRUSTED_PROXY_COUNT = 0``, the default)
the header is never read: a direct client could write any address in it.

django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit trail
(``common.audit.RequestAuditMiddleware``) both ask here.
"""

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    """A bare IP address from one header entry (a port or brackets removed),
    or None when the entry is not an address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.5:443
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address: from ``X-Forwarded-For`` as set by the trusted
    proxies when there are any, otherwise the connection's own address."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "SANGSAENG_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote_addr
    forwarded = [
        entry
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        # Not through the configured proxies (or a proxy that does not set the
        # header): the connection's address is the only one known to be true.
        return remote_addr
    return _address(forwarded[-proxies]) or remote_addr
