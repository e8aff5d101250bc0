"""Creating an account, changing it and resetting its password (账号管理): each in one
transaction, with the account's links (its official, its units) as its role needs them, and
each recorded in the admin's log (LogEntry: the admin's history of the account and its
recent actions), with who did it."""

import secrets
from collections.abc import Iterable, Sequence

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Official, Profile, Region, Unit

from .rules import Role, set_role

# No 0/O, 1/l/I: read out over the telephone or copied from a screen without doubt.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def new_password() -> str:
    """A password of 12 characters (about 70 bits), to be changed by its user."""
    while True:
        password = "".join(secrets.choice(ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def log(by: User, account: User, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[account],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )


def link(
    by: User,
    account: User,
    role: Role,
    official: Official | None = None,
    units: Iterable[Unit] = (),
) -> None:
    """The account's official (a lead official's) and units (a unit contact's), as its role
    needs them; links of other roles are undone. Only rows `by` sees are touched."""
    mine = Official.objects.restrict(by).filter(user=account)
    if role == Role.LEAD and official is not None:
        mine.exclude(pk=official.pk).update(user=None)
        Official.objects.filter(pk=official.pk).update(user=account)
    else:
        mine.update(user=None)
    chosen = [unit.pk for unit in units] if role == Role.UNIT else []
    account.contact_units.remove(
        *Unit.objects.restrict(by).filter(contacts=account).exclude(pk__in=chosen)
    )
    account.contact_units.add(*chosen)


@transaction.atomic
def create_account(
    by: User,
    name: str,
    username: str,
    region: Region,
    role: Role,
    official: Official | None = None,
    units: Iterable[Unit] = (),
) -> tuple[User, str]:
    """A new active account of `region` with `role`, and its first password (returned: it is
    shown once, never stored in clear)."""
    password = new_password()
    account = get_user_model().objects.create_user(username, password=password, first_name=name)
    Profile.objects.create(user=account, region=region)
    set_role(account, role)
    link(by, account, role, official, units)
    log(
        by,
        account,
        ADDITION,
        _("Created the account of %(name)s: %(role)s of %(region)s")
        % {"name": name, "role": role.label, "region": region.name},
    )
    return account, password


def active_label(active: bool) -> str:
    return _("in use") if active else _("deactivated")


@transaction.atomic
def change_account(
    by: User,
    account: User,
    old_role: Role | None,
    name: str,
    role: Role,
    active: bool,
    official: Official | None = None,
    units: Sequence[Unit] = (),
) -> bool:
    """The account's name, role (and its links) and whether it may log in; deactivated rather
    than deleted, so that its reports and answers keep their author. Returns whether
    anything changed."""
    changes = []
    if name != account.first_name:
        changes.append(_("name: %(old)s → %(new)s") % {"old": account.first_name, "new": name})
        account.first_name = name
    if active != account.is_active:
        changes.append(
            _("state: %(old)s → %(new)s")
            % {"old": active_label(account.is_active), "new": active_label(active)}
        )
        account.is_active = active
    account.save(update_fields=["first_name", "is_active"])
    if role != old_role:
        changes.append(
            _("role: %(old)s → %(new)s")
            % {"old": old_role.label if old_role else "—", "new": role.label}
        )
        set_role(account, role)
    before = (
        getattr(Official.objects.filter(user=account).first(), "pk", None),
        set(account.contact_units.values_list("pk", flat=True)),
    )
    link(by, account, role, official, units)
    after = (
        getattr(Official.objects.filter(user=account).first(), "pk", None),
        set(account.contact_units.values_list("pk", flat=True)),
    )
    if before[0] != after[0]:
        changes.append(_("lead official: %(name)s") % {"name": official or "—"})
    if before[1] != after[1]:
        changes.append(
            _("units: %(names)s") % {"names": "、".join(unit.name for unit in units) or "—"}
        )
    if changes:
        log(by, account, CHANGE, "；".join(changes))
    return bool(changes)


@transaction.atomic
def reset_password(by: User, account: User) -> str:
    """A new password for `account` (returned: shown once); the old one no longer works."""
    password = new_password()
    account.set_password(password)
    account.save(update_fields=["password"])
    log(by, account, CHANGE, _("Reset the password"))
    return password
