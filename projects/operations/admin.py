"""django-axes' pages in the admin, scoped as every page is: an office reads the log-ins of
its own region's accounts only (projects/operations/access.py)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from projects.action_admin import ActionAdmin

from .access import by_username
from .actions import delete_log_in_records


class ByUsername(ActionAdmin):
    """Rows of the accounts the office looks after; deleted through the action."""

    delete_action = staticmethod(delete_log_in_records)

    def get_queryset(self, request):
        return by_username(super().get_queryset(request), request.user)


for model, base in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (ByUsername, base), {"__module__": __name__}))
