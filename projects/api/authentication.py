"""Who calls the API: a client system with `Authorization: Bearer <token>` (an ApiToken), or
a signed-in user with their session (rest_framework's SessionAuthentication)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from projects.models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer jf_…`: the token's account, or 401 for an unknown or revoked
    token. Without the header, the next way (the session) is tried."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = ApiToken.find(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        token.used()
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema (Swagger UI's Authorize button)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("A token the office created for your system (docs/api.md)."),
        }
