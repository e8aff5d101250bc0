"""Errors as JSON with a Chinese `detail`; a bad parameter is named in it and in `errors`."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler


def _messages(value):
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def exception_handler(exc, context):
    """DRF's handler, with a validation error's messages joined into one `detail` that names
    each parameter (“参数 year：请输入整数。”) and kept per parameter in `errors`."""
    response = drf_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.ValidationError):
        return response
    errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    parts = []
    for name, messages in errors.items():
        text = "".join(_messages(messages))
        parts.append(
            text
            if name == "non_field_errors"
            else _("Parameter %(name)s: %(message)s") % {"name": name, "message": text}
        )
    response.data = {"detail": "".join(parts), "errors": errors}
    return response
