"""The API's tokens: a superior's system reads the register as a read-only account of its
region, with a token the office made for it (see docs/api.md)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "jf_"
# A token's last use is written at most this often (a nightly pull reads hundreds of pages).
LAST_USED_EVERY = 60


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def new_key():
    """A new secret key: (the key, what is kept of it: its digest and its first characters)."""
    key = PREFIX + secrets.token_urlsafe(32)
    return key, {"key_digest": digest(key), "key_prefix": key[:8]}


class ApiTokenQuerySet(models.QuerySet):
    def create_token(self, user, name, created_by=None):
        """A new token for `user`: (the token, its key). The key is shown once; only its
        SHA-256 is kept."""
        key, kept = new_key()
        token = self.create(user=user, name=name, created_by=created_by, **kept)
        return token, key

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A client system's key to the API: it reads as `user` (a read-only account of the
    region it serves), until revoked."""

    name = models.CharField(
        _("client system"), max_length=100, help_text=_("Who uses it, e.g. 焦作市发改委平台.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The read-only account it reads as: it sees that account's region."),
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key begins"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def find(cls, key):
        """The active token of this key, or None."""
        return cls.objects.active().select_related("user").filter(key_digest=digest(key)).first()

    def used(self):
        """Note the use (at most once a minute, so a pull of many pages writes once)."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
