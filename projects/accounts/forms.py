"""The forms of 账号管理: a new account (name, user name, region, role and the role's links)
and a change to one (name, role and links, active). The choices are what the office may
give (projects/accounts/rules.py); a choice it could not have been offered is refused by the
view before the form is read."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from projects.models import Official, Unit
from projects.scope import region_of

from .rules import Role, regions_for, roles_in


class RegionalChoice:
    """Rows named with their region when the office looks after several regions."""

    def label_from_instance(self, obj):
        return f"{obj.region.name} · {obj.name}" if self.several else obj.name


class OfficialField(RegionalChoice, forms.ModelChoiceField):
    several = False


class UnitsField(RegionalChoice, forms.ModelMultipleChoiceField):
    several = False


class AccountForm(forms.Form):
    """The fields an office changes on an account, and the role's links: a lead official's
    official, a unit contact's units (each of the account's region or beneath)."""

    name = forms.CharField(label=_("person's name"), max_length=150)
    role = forms.TypedChoiceField(label=_("role"), choices=Role.choices, coerce=Role)
    official = OfficialField(
        label=_("lead official"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("A lead official's account is the official's: choose who it is for."),
    )
    units = UnitsField(
        label=_("units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("A unit contact answers for the problems assigned to these units."),
    )

    def __init__(self, *args, user, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.account = account
        regions = list(regions_for(user))
        several = len(regions) > 1
        self.offices_allowed = any(Role.OFFICE in roles_in(user, r) for r in regions)
        if not self.offices_allowed:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OFFICE]
        officials = Official.objects.restrict(user).select_related("region")
        free = officials.filter(user__isnull=True)
        if account is not None:
            free = officials.filter(user__isnull=True) | officials.filter(user=account)
        self.fields["official"].queryset = free.order_by("region__path", "name")
        self.fields["official"].several = several
        units = Unit.objects.restrict(user).select_related("region")
        self.fields["units"].queryset = units.order_by("region__path", "kind", "name")
        self.fields["units"].several = several

    def account_region(self):
        return region_of(self.account)

    def clean(self):
        cleaned = super().clean()
        region, role = self.account_region(), cleaned.get("role")
        if role is None or "official" in self.errors or "units" in self.errors:
            return cleaned
        if region is not None and role not in roles_in(self.user, region):
            self.add_error(
                "role",
                _(
                    "An office account is made only for a region beneath yours: "
                    "%(region)s is your own."
                )
                % {"region": region.name},
            )
        official = cleaned.get("official")
        if role == Role.LEAD and official is None:
            self.add_error("official", _("Choose the lead official this account is for."))
        elif role == Role.LEAD and not within(official, region):
            self.add_error(
                "official",
                _("%(official)s is not of %(region)s or a region beneath it.")
                % {"official": official.name, "region": region.name},
            )
        units = cleaned.get("units") or []
        if role == Role.UNIT and not units:
            self.add_error("units", _("Choose the units this contact answers for."))
        elif role == Role.UNIT and (outside := [u.name for u in units if not within(u, region)]):
            self.add_error(
                "units",
                _("Not of %(region)s or a region beneath it: %(units)s.")
                % {"region": region.name, "units": "、".join(outside)},
            )
        return cleaned


def within(row, region):
    """Whether `row` (an official, a unit) is of `region` or beneath it (any, without one)."""
    return region is None or row.region.path.startswith(region.path)


class AccountCreateForm(AccountForm):
    """A new account: its user name and region besides (the password is generated)."""

    username = forms.CharField(
        label=_("user name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; used to log in."),
    )
    region = forms.ModelChoiceField(label=_("region"), queryset=None)
    field_order = ["name", "username", "region", "role", "official", "units"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"].queryset = regions_for(user)

    def account_region(self):
        return self.cleaned_data.get("region")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The user name %(username)s is taken: choose another."),
                params={"username": username},
            )
        return username


class AccountChangeForm(AccountForm):
    """A change to an account of the office's: deactivated rather than deleted."""

    is_active = forms.BooleanField(
        label=_("in use"),
        required=False,
        help_text=_("Untick to stop the account logging in; its reports and answers stay."),
    )
    field_order = ["name", "role", "official", "units", "is_active"]
