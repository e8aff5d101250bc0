"""One POST to a group robot's webhook, within bounds that a server on the other end cannot
stretch: the host name is resolved at send time and every address it resolves to is checked
against the rules of projects/models/webhooks.py; the connection goes to a checked address
(never resolved again), no redirect is followed, the whole exchange from the DNS lookup to the
last byte has one deadline (JIEFANG_WEBHOOK_TIMEOUT), and the reply is read up to MAX_REPLY
bytes and no further. Proxies from the environment are not used: the check must be on the
address actually connected to."""

import http.client
import socket
import ssl
import threading
import time
import urllib.parse

from django.conf import settings
from django.utils.translation import gettext as _

from projects.models.webhooks import SCHEMES, refusal

# A robot answers a few dozen bytes of JSON.
MAX_REPLY = 64 * 1024


class PostError(Exception):
    """A post refused or cut short; its text is short and holds none of the reply."""


class RefusedError(PostError):
    """A post that will fail however often it is tried: an address the rules refuse, or a
    robot that answers that the address is wrong (HTTP 4xx other than 408 and 429)."""


# HTTP answers that a later try may change: a timeout and "too many requests".
TRY_AGAIN = {408, 425, 429}


class Deadline:
    """The moment a post must be over by; each wait on the network gets what is left."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self):
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.passed()
        return left

    def passed(self):
        return PostError(
            _("No complete answer within %(seconds)s seconds.") % {"seconds": self.seconds}
        )


class DeadlineSocket(socket.socket):
    """A socket whose every read and write waits at most until the post's deadline (a
    socket's own timeout is per call: a byte every few seconds would never trip it)."""

    deadline = None

    def recv_into(self, *args, **kwargs):
        self.settimeout(self.deadline.left())
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(self.deadline.left())
        return super().sendall(*args, **kwargs)


class DeadlineSSLSocket(ssl.SSLSocket):
    """The same over TLS (SSLContext.sslsocket_class)."""

    deadline = None

    def recv_into(self, *args, **kwargs):
        self.settimeout(self.deadline.left())
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(self.deadline.left())
        return super().sendall(*args, **kwargs)


def resolve(host, port, deadline):
    """The addresses of `host`, looked up within the deadline (the system's resolver has no
    timeout of its own to pass: a slow lookup is left to finish in the background)."""
    found = {}

    def lookup():
        try:
            found["addresses"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            found["error"] = error

    thread = threading.Thread(target=lookup, daemon=True)
    thread.start()
    thread.join(deadline.left())
    if thread.is_alive():
        deadline.left()  # raises once the time is up
        raise PostError(_("The address of %(host)s was not found in time.") % {"host": host})
    if "error" in found:
        raise PostError(_("The address of %(host)s was not found.") % {"host": host})
    return found["addresses"]


def checked_addresses(host, port, deadline):
    """Every address `host` resolves to, each allowed by the rules; a name with one refused
    address is refused whole."""
    addresses = resolve(host, port, deadline)
    for _family, _type, _proto, _name, sockaddr in addresses:
        reason = refusal(sockaddr[0], host, port)
        if reason:
            raise RefusedError(reason)
    return addresses


def connect(addresses, deadline):
    error = None
    for family, type_, proto, _name, sockaddr in addresses:
        sock = DeadlineSocket(family, type_, proto)
        sock.deadline = deadline
        try:
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
        except OSError as failure:
            sock.close()
            error = failure
            continue
        return sock
    raise PostError(_("No connection: %(error)s") % {"error": error})


class Connection(http.client.HTTPConnection):
    """HTTP to an address checked beforehand."""

    def __init__(self, host, port, addresses, deadline):
        super().__init__(host, port)
        self.addresses, self.deadline = addresses, deadline

    def connect(self):
        self.sock = connect(self.addresses, self.deadline)


class TLSConnection(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand; the certificate is checked against the name."""

    def __init__(self, host, port, addresses, deadline):
        self.tls = ssl.create_default_context()
        self.tls.sslsocket_class = DeadlineSSLSocket
        super().__init__(host, port, context=self.tls)
        self.addresses, self.deadline = addresses, deadline

    def connect(self):
        sock = connect(self.addresses, self.deadline)
        try:
            sock.settimeout(self.deadline.left())  # the handshake as a whole
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock.deadline = self.deadline


def post_json(url, body):
    """POST `body` (bytes of JSON) to `url`; the reply's bytes, at most MAX_REPLY of them.
    Raises PostError, or OSError / http.client.HTTPException for a broken exchange."""
    deadline = Deadline(settings.JIEFANG_WEBHOOK_TIMEOUT)
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise RefusedError(_("A group robot's address starts with http:// or https://."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise RefusedError(_("The port in the address is not a number.")) from None
    host = parts.hostname
    addresses = checked_addresses(host, port, deadline)
    kind = TLSConnection if scheme == "https" else Connection
    connection = kind(host, port, addresses, deadline)
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    response = None
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Connection": "close",
                "User-Agent": "jiefang-reminders",
            },
        )
        response = connection.getresponse()
        if 300 <= response.status < 400:
            # Not followed: it could lead anywhere, round the checks above.
            raise PostError(
                _("The robot answered HTTP %(status)s, a redirect, which is not followed.")
                % {"status": response.status}
            )
        if not 200 <= response.status < 300:
            refused = 400 <= response.status < 500 and response.status not in TRY_AGAIN
            raise (RefusedError if refused else PostError)(
                _("The robot answered HTTP %(status)s.") % {"status": response.status}
            )
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > MAX_REPLY:
            raise PostError(too_large())
        answer = b""
        while chunk := response.read(MAX_REPLY + 1 - len(answer)):
            answer += chunk
            if len(answer) > MAX_REPLY:
                raise PostError(too_large())
        return answer
    except TimeoutError:
        # Every wait was given only the time left: a timeout is the deadline.
        raise deadline.passed() from None
    finally:
        # The answer holds the socket too: closed here, not whenever its last reference
        # (an error's traceback, kept by whoever records it) goes.
        if response is not None:
            response.close()
        connection.close()


def too_large():
    return _("The answer is longer than %(size)s KB: not read.") % {"size": MAX_REPLY // 1024}
