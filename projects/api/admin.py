"""The office's API tokens: made for a read-only account of its region, shown once when
made, revoked with an action; only the key's SHA-256 is kept."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import ApiToken, Region
from projects.models.api import new_key
from projects.scope import region_of


def accounts_of(user):
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "key_prefix"]
    fields = [
        "name",
        "user",
        "key_prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["key_prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=accounts_of(request.user))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "name", "user"]
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = accounts_of(request.user).filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, kept = new_key()
        for name, value in kept.items():
            setattr(obj, name, value)
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("The token of %(name)s is %(key)s — copy it now: it is not shown again.")
            % {"name": obj.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)s token(s) revoked.") % {"count": count})
