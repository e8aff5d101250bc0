"""While the database cannot be reached (a restart, a failover), pages answer 503 with a
Chinese page and Retry-After instead of 500.

Django turns an exception raised anywhere in a request (a view, or a middleware reading the
session or the user) into a response through the 500 handler, called while the exception is
being handled; server_error, the project's handler500, looks at it there.
"""

import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as default_server_error

RETRY_AFTER_SECONDS = 10


def database_unreachable(error):
    """True when `error` is a database error and a connection of this request is lost or never
    opened; a database error on a live connection (a missing table, say) is a fault, not this."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or not connection.is_usable():
            return True
    return False


def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if not database_unreachable(error):
        return default_server_error(request, template_name)
    # Rendered without a request, as the 500 page: no user, no session, no database.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
