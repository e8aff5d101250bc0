"""The office's API tokens: made for an account of its region (the key shown once, only its
SHA-256 kept), changed (their name) and revoked. The accounts whose tokens an office manages
are those of its region and beneath (`accounts_of`); a token of another is refused."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.actions import AnyUser, Edit, Refused
from projects.models import ApiToken, Region
from projects.models.api import new_key
from projects.scope import region_of


def accounts_of(user: AnyUser) -> QuerySet[User]:
    """The accounts whose tokens `user` manages: those of their region and beneath it (with
    a single district, the accounts without a profile too: they act in it); every account
    for a superuser above every region."""
    accounts = get_user_model().objects.all()
    region = region_of(user)
    if region is None:
        return accounts if user.is_superuser else accounts.none()
    condition = Q(profile__region__path__startswith=region.path)
    if Region.objects.single_district() is not None:
        condition |= Q(profile__isnull=True)
    return accounts.filter(condition)


def _check(user: AnyUser, *tokens: ApiToken) -> None:
    """Refused unless every token is of an account `user` manages (one query)."""
    accounts = {token.user_id for token in tokens}
    if accounts_of(user).filter(pk__in=accounts).count() != len(accounts):
        raise Refused(_("This token is of an account outside your region."))


@transaction.atomic
def save_token(user: AnyUser, edit: Edit) -> str | None:
    """Save the admin's token page as `user` posted it: a new token gets its key, returned
    (to be shown once); a changed one is saved (its name). None for a change."""
    token = edit.row
    assert isinstance(token, ApiToken)
    if not token._state.adding:
        _check(user, ApiToken.objects.get(pk=token.pk))
    _check(user, token)
    key = None
    if token._state.adding:
        key, kept = new_key()
        for name, value in kept.items():
            setattr(token, name, value)
        if isinstance(user, User):
            token.created_by = user
    token.save()
    return key


@transaction.atomic
def revoke_tokens(user: AnyUser, tokens: Iterable[ApiToken]) -> int:
    """Revoke the tokens not yet revoked; every one of them `user`'s to manage, or Refused
    and none revoked. Returns how many were revoked now."""
    tokens = [token for token in tokens if token.revoked_at is None]
    _check(user, *tokens)
    return ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def delete_tokens(user: AnyUser, tokens: Iterable[ApiToken]) -> int:
    """Delete tokens (a superuser's: the office has no right to delete them)."""
    tokens = list(tokens)
    _check(user, *tokens)
    for token in tokens:
        token.delete()
    return len(tokens)
