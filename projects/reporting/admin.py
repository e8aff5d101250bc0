"""The office's admin of monthly reports and locked months."""

from django.contrib import admin

from projects.models import MonthLock, MonthlyReport
from projects.register.admin import VersionedAdmin


@admin.register(MonthlyReport)
class MonthlyReportAdmin(VersionedAdmin):
    list_display = ["project", "year", "month", "amount", "submitted_by", "submitted_at"]
    list_filter = ["year", "month", "project__zone"]
    list_select_related = ["project", "submitted_by"]
    search_fields = ["project__code", "project__name", "physical_progress"]
    autocomplete_fields = ["project"]
    show_full_result_count = False


@admin.register(MonthLock)
class MonthLockAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "locked_by", "locked_at"]
    list_filter = ["year"]
    fields = ["year", "month"]

    def save_model(self, request, obj, form, change):
        obj.locked_by = request.user
        super().save_model(request, obj, form, change)
