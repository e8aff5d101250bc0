"""The office's API tokens: made for a read-only account of its region, shown once when
made, revoked with an action; only the key's SHA-256 is kept."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.action_admin import ActionAdmin, edit_of
from projects.models import ApiToken

from .actions import accounts_of, delete_tokens, revoke_tokens, save_token


@admin.register(ApiToken)
class ApiTokenAdmin(ActionAdmin, admin.ModelAdmin):
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
    delete_action = staticmethod(delete_tokens)

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

    def save_related(self, request, form, formsets, change):
        key = save_token(request.user, edit_of(form, formsets))
        if key is not None:
            self.message_user(
                request,
                _("The token of %(name)s is %(key)s — copy it now: it is not shown again.")
                % {"name": form.instance.name, "key": key},
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = revoke_tokens(request.user, queryset)
        self.message_user(request, _("%(count)s token(s) revoked.") % {"count": count})
