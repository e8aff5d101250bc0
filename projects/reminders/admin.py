"""The office's view of what the reminders sent: every notification and every copy, with
the errors of those that failed (they are retried by the next run of the schedule)."""

from django.contrib import admin

from projects.action_admin import ActionAdmin
from projects.models import Delivery, Notification, ReminderItem
from projects.register.admin import RecordInline


class ReminderItemInline(RecordInline):
    model = ReminderItem
    fields = ["kind", "subject_key", "period", "text"]


class DeliveryInline(RecordInline):
    model = Delivery
    fields = ["channel", "address", "status", "attempts", "error", "sent_at"]


@admin.register(Notification)
class NotificationAdmin(ActionAdmin, admin.ModelAdmin):
    list_display = ["date", "recipient", "source", "subject", "read_at"]
    list_filter = ["source", "date"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username", "recipient__first_name"]
    date_hierarchy = "date"
    inlines = [ReminderItemInline, DeliveryInline]
    readonly_fields = ["recipient", "source", "date", "subject", "body", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ActionAdmin, admin.ModelAdmin):
    list_display = ["notification", "channel", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["notification"]
    search_fields = ["address", "error"]
    readonly_fields = [
        "notification",
        "channel",
        "address",
        "status",
        "attempts",
        "error",
        "sent_at",
    ]
    exclude = ["fingerprint", "claimed_at"]  # the schedule's own bookkeeping

    def has_add_permission(self, request):
        return False
