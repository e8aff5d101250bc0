"""Who may create and change which account (账号管理): each level creates the accounts of the
level below.

An office looks after the accounts of its region and every region beneath it: lead officials,
liaisons, unit contacts and observers anywhere there; office accounts only in a region
strictly beneath its own (the city's office creates the districts' offices, a district's
office never creates an office). A superuser's account is never an office's to list or
change; a superuser without a region looks after every other account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Region
from projects.permissions import OFFICE
from projects.scope import accounts_beneath, region_of


class Role(models.TextChoices):
    """The roles an account is given on the page; a liaison is in the lead officials' group,
    without an official of their own (as setup_demo makes them)."""

    OFFICE = "office", _("Project office")
    LEAD = "lead", _("Lead official")
    LIAISON = "liaison", _("Liaison")
    UNIT = "unit", _("Unit contact")
    OBSERVER = "observer", _("Observer (read only)")


GROUPS = {
    Role.OFFICE: OFFICE,
    Role.LEAD: "lead_official",
    Role.LIAISON: "lead_official",
    Role.UNIT: "unit_contact",
    Role.OBSERVER: "observer",
}


def role_of(account):
    """The account's role from its groups (prefetched) and its official (None: no role)."""
    names = {group.name for group in account.groups.all()}
    if OFFICE in names:
        return Role.OFFICE
    if "lead_official" in names:
        return Role.LEAD if getattr(account, "has_official", False) else Role.LIAISON
    if "unit_contact" in names:
        return Role.UNIT
    if "observer" in names:
        return Role.OBSERVER
    return None


def regions_for(user):
    """The regions `user` may put an account in: its own and every region beneath it."""
    return Region.objects.restrict(user)


def roles_in(user, region):
    """The roles `user` may give an account of `region` (one of `regions_for(user)`)."""
    own = region_of(user)
    if own is None or region.pk != own.pk:
        return list(Role)
    return [role for role in Role if role != Role.OFFICE]


def accounts_for(user):
    """The accounts `user`'s office lists: those of its region and beneath, superusers never."""
    users = get_user_model().objects.filter(is_superuser=False)
    region = region_of(user)
    if region is None:
        return users if user.is_superuser else users.none()
    return accounts_beneath(users, region)


def changeable_for(user):
    """Of `accounts_for(user)`, those it may change: an office account only strictly beneath
    its own region (never itself, another office of its region or one above)."""
    accounts = accounts_for(user)
    region = region_of(user)
    if region is None:
        return accounts
    beneath = Q(profile__region__path__startswith=region.path) & ~Q(profile__region=region)
    offices = get_user_model().objects.filter(groups__name=OFFICE)
    return accounts.exclude(pk__in=offices.exclude(beneath).values("pk"))


def may_change(user, account, region):
    """Whether `user` may change `account` (one of `accounts_for(user)`, its role read by
    `role_of`) of `region`, without a query: as `changeable_for` decides."""
    own = region_of(user)
    if own is None or account.role != Role.OFFICE:
        return True
    return region is not None and region.pk != own.pk and region.path.startswith(own.path)


def set_role(account, role):
    """Put `account` in exactly the group of `role`; an office account may use the admin
    (is_staff), no other. The page gives no other right: no superuser, no permission."""
    account.groups.set([Group.objects.get(name=GROUPS[role])])
    account.is_staff = role == Role.OFFICE
    account.save(update_fields=["is_staff"])
