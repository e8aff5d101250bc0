"""Who a request comes from, for the log-in lockout and any other per-client limit: its
address (client_ip) and, for django-axes' records, the log-in name it gave (login_name).

`X-Forwarded-For` is a header the client can write. It is read only when the request's peer
(REMOTE_ADDR) is one of JIEFANG_TRUSTED_PROXIES, the reverse proxy's own addresses; then the
client is the right-most address in it that is not a trusted proxy, which is the one the last
trusted proxy saw, whether the proxy replaces the header or appends to it. Anything a client
wrote to the left of that is ignored; a request from any other peer is judged by its peer.
"""

import ipaddress

from django.conf import settings


def _networks(entries):
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _address(text):
    """The IP address in `text`, or None; an IPv4-mapped IPv6 address counts as its IPv4."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks):
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request):
    """The client's address as a string (None when the request has no valid peer address)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = _networks(getattr(settings, "JIEFANG_TRUSTED_PROXIES", ()))
    if not _trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            # Not written by a trusted proxy: what stands to its left is the client's own.
            break
        if not _trusted(address, networks):
            return str(address)
    return str(peer)


# The column django-axes stores a log-in name in (varchar(255)).
AXES_USERNAME_LENGTH = 255


def login_name(request, credentials=None):
    """The log-in name axes records, cut to its column: a longer one (which the log-in form
    refuses, no account having one) would otherwise fail the insert on PostgreSQL, a 500."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "data", request.POST).get("username") if request else None
    return name[:AXES_USERNAME_LENGTH] if isinstance(name, str) else name
