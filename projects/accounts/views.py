"""账号管理: an office lists the accounts of its region and the regions beneath, creates
them, changes them (deactivating rather than deleting) and resets their passwords; each
level creates the accounts of the level below (projects/accounts/rules.py). A new password is
shown once, on the account's page, after its creation or reset; its user changes it on
their own page (every account: `password_change`)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, View

from projects.models import Official, Region
from projects.permissions import RoleRequiredMixin
from projects.scope import region_of

from . import actions
from .forms import AccountChangeForm, AccountCreateForm
from .rules import Role, accounts_for, changeable_for, may_change, regions_for, role_of

# The new password waits in the session (on the server) until the account's page shows it.
NEW_PASSWORD = "jiefang_new_password"


def with_role(accounts):
    """Accounts with what their role is read from: groups, official, region (no query per row)."""
    return (
        accounts.select_related("profile__region")
        .prefetch_related("groups")
        .annotate(has_official=Exists(Official.objects.filter(user=OuterRef("pk"))))
    )


# 账号管理: the office's (and the levels above) accounts of its region and beneath.
ACCOUNTS = "projects.manage_accounts"


class AccountListView(RoleRequiredMixin, ListView):
    """The accounts of the office's region and beneath: name, user name, region, role,
    active, last login; those it may change open their page."""

    permission_required = ACCOUNTS
    template_name = "projects/accounts/account_list.html"
    paginate_by = 50

    @cached_property
    def regions(self):
        return list(regions_for(self.request.user))

    def get_queryset(self):
        accounts = accounts_for(self.request.user)
        query = self.request.GET.get("q", "").strip()
        if query:
            accounts = accounts.filter(
                Q(username__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
            )
        code = self.request.GET.get("region", "")
        chosen = next((region for region in self.regions if region.code == code), None)
        if chosen is not None:
            accounts = accounts.filter(profile__region__path__startswith=chosen.path)
        return with_role(accounts).order_by("profile__region__path", "username")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        single = None
        for account in context["object_list"]:
            account.role = role_of(account)
            region = getattr(getattr(account, "profile", None), "region", None)
            if region is None:  # an account without a profile: the single district's
                single = single or Region.objects.single_district()
                region = single
            account.region = region
            account.changeable = may_change(user, account, region)
        return context | {
            "title": _("Accounts"),
            "regions": self.regions if len(self.regions) > 1 else [],
            "query": self.request.GET.get("q", ""),
            "region_code": self.request.GET.get("region", ""),
        }


class AccountFormMixin(RoleRequiredMixin):
    permission_required = ACCOUNTS
    template_name = "projects/accounts/account_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def refuse_forged(self):
        """A role the office could never give (an office account, for an office with no region
        beneath): 403, before the form is read. A region out of its scope: 404."""
        if self.request.method != "POST":
            return
        role = self.request.POST.get("role")
        form = self.get_form()
        if role == Role.OFFICE and not form.offices_allowed:
            raise PermissionDenied
        value = self.request.POST.get("region")
        if value is not None and "region" in form.fields:
            if not value.isdigit() or not form.fields["region"].queryset.filter(pk=value).exists():
                raise Http404(_("No such region."))

    def post(self, request, *args, **kwargs):
        self.refuse_forged()
        return super().post(request, *args, **kwargs)


class AccountCreateView(AccountFormMixin, FormView):
    """A new account of the office's region or one beneath it; its password is generated."""

    form_class = AccountCreateForm

    def get_initial(self):
        region = region_of(self.request.user)
        return {"region": region.pk if region else None, "role": Role.LEAD}

    def form_valid(self, form):
        data = form.cleaned_data
        account, password = actions.create_account(
            self.request.user,
            data["name"],
            data["username"],
            data["region"],
            data["role"],
            data.get("official"),
            data.get("units") or (),
        )
        self.request.session[NEW_PASSWORD] = {"account": account.pk, "password": password}
        messages.success(
            self.request,
            _("The account %(username)s of %(name)s is created.")
            % {"username": account.username, "name": account.first_name},
        )
        return redirect("projects:account_edit", pk=account.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("New account")}


class AccountEditView(AccountFormMixin, FormView):
    """An account the office may change (404 otherwise: a sibling's, one above, another office
    of its own region, a superuser): its name, role and links, active; its password reset."""

    form_class = AccountChangeForm

    @cached_property
    def account(self):
        account = get_object_or_404(
            with_role(changeable_for(self.request.user)), pk=self.kwargs["pk"]
        )
        account.role = role_of(account)
        return account

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"account": self.account}

    def get_initial(self):
        account = self.account
        return {
            "name": account.first_name,
            "role": account.role,
            "is_active": account.is_active,
            "official": Official.objects.filter(user=account).first(),
            "units": list(account.contact_units.all()),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        changed = actions.change_account(
            self.request.user,
            self.account,
            self.account.role,
            data["name"],
            data["role"],
            data["is_active"],
            data.get("official"),
            data.get("units") or (),
        )
        messages.success(
            self.request,
            _("The account %(username)s is saved.") % {"username": self.account.username}
            if changed
            else _("Nothing was changed."),
        )
        return redirect("projects:account_edit", pk=self.account.pk)

    def get_context_data(self, **kwargs):
        shown = self.request.session.get(NEW_PASSWORD)
        password = None
        if shown and shown.get("account") == self.account.pk:
            password = self.request.session.pop(NEW_PASSWORD)["password"]
        return super().get_context_data(**kwargs) | {
            "title": _("Account %(username)s") % {"username": self.account.username},
            "account": self.account,
            "account_region": region_of(self.account),
            "password": password,
        }


class AccountPasswordView(RoleRequiredMixin, View):
    """A new password for an account the office may change (404 otherwise), shown once."""

    permission_required = ACCOUNTS
    http_method_names = ["post"]

    def post(self, request, pk):
        account = get_object_or_404(changeable_for(request.user), pk=pk)
        password = actions.reset_password(request.user, account)
        request.session[NEW_PASSWORD] = {"account": account.pk, "password": password}
        messages.success(
            request,
            _("The password of %(username)s is reset.") % {"username": account.username},
        )
        return redirect("projects:account_edit", pk=account.pk)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Any account changes its own password (the one an office gave it first): the old one,
    then the new one twice, checked by the site's password rules."""

    template_name = "projects/accounts/password_change.html"
    success_url = reverse_lazy("projects:dashboard")
    success_message = _("Your password is changed.")
    extra_context = {"title": _("Change my password")}
