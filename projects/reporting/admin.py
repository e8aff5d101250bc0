"""The office's admin of monthly reports and locked months."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from projects.meetings import actions as meetings_actions
from projects.models import MonthLock, MonthlyReport
from projects.models.base import person_name
from projects.register.admin import RegionScopedAdmin, VersionedAdmin, related_only


@admin.register(MonthlyReport)
class MonthlyReportAdmin(RegionScopedAdmin, VersionedAdmin):
    list_display = ["project", "year", "month", "amount", "submitted_by_name", "submitted_at"]
    list_filter = ["year", "month", *related_only("project__zone")]
    list_select_related = ["project", "submitted_by"]
    search_fields = ["project__code", "project__name", "physical_progress"]
    autocomplete_fields = ["project"]
    show_full_result_count = False

    @admin.display(description=_("submitted by"), ordering="submitted_by__first_name")
    def submitted_by_name(self, obj):
        return person_name(obj.submitted_by) or "—"


@admin.register(MonthLock)
class MonthLockAdmin(RegionScopedAdmin, admin.ModelAdmin):
    list_display = ["year", "month", "locked_by_name", "locked_at"]
    list_select_related = ["locked_by"]
    list_filter = ["year"]
    fields = ["year", "month"]
    # Locking a month holds its meetings (their documents are frozen as they stand);
    # unlocking is refused while the month is submitted to the level above.
    save_action = staticmethod(meetings_actions.save_lock)
    delete_action = staticmethod(meetings_actions.delete_locks)
    refusals = (*RegionScopedAdmin.refusals, meetings_actions.Refused)

    @admin.display(description=_("locked by"), ordering="locked_by__first_name")
    def locked_by_name(self, obj):
        return person_name(obj.locked_by) or "—"
