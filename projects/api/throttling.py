"""A rate limit per token (per account for a session), JIEFANG_API_RATE requests an hour by
default: one client polling too fast cannot crowd out the others."""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request, view):
        token = request.auth
        if token is not None and hasattr(token, "key_prefix"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused before this (401)
        return self.cache_format % {"scope": self.scope, "ident": ident}
