"""The office's page of locked log-ins (django-axes): who is locked out, and unlocking them."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import DELETION, LogEntry
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from projects.permissions import RoleRequiredMixin

from .access import by_username


def visible_attempts(user):
    return by_username(AccessAttempt.objects.all(), user)


class LockoutView(RoleRequiredMixin, TemplateView):
    """Accounts of the office's region with failed log-ins in the cool-off window; the locked
    ones can be unlocked. Each unlock is recorded in the admin's log with who did it."""

    permission_required = "axes.delete_accessattempt"
    template_name = "projects/operations/lockouts.html"

    def get_context_data(self, **kwargs):
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        attempts = (
            visible_attempts(self.request.user)
            .filter(attempt_time__gte=since)
            .order_by("-attempt_time")
        )
        limit = settings.AXES_FAILURE_LIMIT
        for attempt in attempts:
            attempt.locked = attempt.failures_since_start >= limit
            attempt.unlocks_at = attempt.attempt_time + settings.AXES_COOLOFF_TIME
        return super().get_context_data(**kwargs) | {
            "title": _("Locked log-ins"),
            "attempts": attempts,
            "limit": limit,
        }

    def post(self, request):
        value = request.POST.get("attempt", "")
        attempt = get_object_or_404(
            visible_attempts(request.user),
            pk=int(value) if value.isascii() and value.isdigit() else -1,
        )
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[attempt],
            action_flag=DELETION,
            change_message=_("Unlocked the log-in of %(username)s from %(ip)s")
            % {"username": attempt.username, "ip": attempt.ip_address},
            single_object=True,
        )
        reset(ip=attempt.ip_address, username=attempt.username)
        messages.success(
            request,
            _("%(username)s can log in again from %(ip)s.")
            % {"username": attempt.username, "ip": attempt.ip_address},
        )
        return redirect("projects:lockouts")
