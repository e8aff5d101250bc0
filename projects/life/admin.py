"""The office's admin of stages and of the quarterly targets of 开工率 and 竣工率. A stage
change is added through change_stage (dated, attributed, the project's dates following)
and never edited or deleted afterwards: it is the record."""

from django import forms
from django.contrib import admin

from projects.action_admin import ActionAdmin
from projects.models import StageChange, StartTarget
from projects.scope import region_of, restrict_choices

from .stages import change_stage, check_change


class ScopedAdmin(ActionAdmin, admin.ModelAdmin):
    """Rows and choices of the account's region and beneath, as every page; written by
    actions (ActionAdmin)."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            restrict_choices({db_field.name: field}, request.user)
        return field


class StageChangeForm(forms.ModelForm):
    """The new change is checked by change_stage itself, before anything is saved."""

    class Meta:
        model = StageChange
        fields = ["project", "to_stage", "on", "note"]

    def clean(self):
        data = super().clean()
        if data.get("project") and data.get("to_stage") and data.get("on"):
            check_change(data["project"], data["to_stage"], data["on"])
        return data


@admin.register(StageChange)
class StageChangeAdmin(ScopedAdmin):
    form = StageChangeForm
    list_display = ["project", "on", "from_stage", "to_stage", "changed_by", "note"]
    list_filter = ["to_stage"]
    list_select_related = ["project", "changed_by"]
    search_fields = ["project__code", "project__name", "note"]
    autocomplete_fields = ["project"]
    date_hierarchy = "on"

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        saved = change_stage(
            request.user, data["project"], data["to_stage"], data["on"], data["note"]
        )
        form.instance.pk = saved.pk


@admin.register(StartTarget)
class StartTargetAdmin(ScopedAdmin):
    list_display = ["region", "year", "quarter", "start_rate", "completion_rate"]
    list_filter = ["year", "quarter"]
    list_select_related = ["region"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        region = region_of(request.user)
        if region is not None:
            initial.setdefault("region", region.pk)
        return initial
