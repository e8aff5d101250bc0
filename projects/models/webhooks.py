"""Where a group robot's webhook may point. The office types the address, and the tracker's
server posts to it, so an address on the server itself or inside the network would let a
typed URL reach services that no user can reach. The same rules are applied twice: to the
address as typed (the validator of Official.webhook_url and Unit.webhook_url), and at send
time to every address the host name resolves to, which is the one connected to (a name may
resolve elsewhere on the day of the send: DNS rebinding)."""

import ipaddress
import socket
import urllib.parse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SCHEMES = {"http", "https"}
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")

LOCAL = _(
    "A group robot cannot be on the tracker's own server or on a local-only address (%(host)s)."
)
INTERNAL = _(
    "%(host)s is an internal network address: an intranet group robot must first be listed "
    "in JIEFANG_WEBHOOK_ALLOWED_HOSTS by the administrator."
)


def literal_address(host):
    """The IP address a host written as one stands for, in any form the system's resolver
    reads (127.1 and 2130706433 are 127.0.0.1 too); None for a name."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.ip_address(socket.inet_aton(host))
        except (OSError, UnicodeError):
            return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_local_only(address):
    """Loopback, link-local (169.254.169.254 is the cloud's metadata service), unspecified,
    multicast and reserved addresses: never a robot, whatever a setting says."""
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
        or (address.version == 4 and address in THIS_NETWORK)
    )


def is_test_server(address, port):
    """One of the test suite's own robots on loopback (settings.JIEFANG_WEBHOOK_TEST_SERVERS),
    only while JIEFANG_TESTING is set."""
    return (
        settings.JIEFANG_TESTING
        and port is not None
        and f"{address}:{port}" in settings.JIEFANG_WEBHOOK_TEST_SERVERS
    )


def refusal(address, host, port=None):
    """Why a post to `address` (reached by the name `host`) is refused, or None."""
    address = literal_address(str(address))
    if is_test_server(address, port):
        return None
    if is_local_only(address):
        return LOCAL % {"host": host}
    if not address.is_global and host.lower() not in settings.JIEFANG_WEBHOOK_ALLOWED_HOSTS:
        return INTERNAL % {"host": host}
    return None


def validate_webhook_url(value):
    """The rules on the address as typed; a name's addresses are checked at send time."""
    parts = urllib.parse.urlsplit(value)
    if parts.scheme.lower() not in SCHEMES:
        raise ValidationError(
            _("A group robot's address starts with http:// or https://."), code="scheme"
        )
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if host == "localhost" or host.endswith(".localhost"):
        raise ValidationError(LOCAL, code="local", params={"host": host})
    address = literal_address(host)
    if address is not None:
        reason = refusal(address, host, port)
        if reason:
            raise ValidationError(reason, code="address")


class SendingErrors(models.Model):
    """The last reminder that could not reach an official's or a unit's address (mail or
    group robot), kept for the office to see until a copy goes through."""

    delivery_error = models.CharField(
        _("last sending error"),
        max_length=200,
        blank=True,
        help_text=_("The last reminder that could not be sent to this address, and why."),
    )
    delivery_error_at = models.DateTimeField(_("last sending error at"), null=True, blank=True)

    class Meta:
        abstract = True
