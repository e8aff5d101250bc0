"""Pages of the reminders: everyone's notifications, and the office's 填报情况 with its one
action, a reminder sent now."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from projects.models import Notification, Project, ReminderItem
from projects.models.base import person_name
from projects.permissions import RoleRequiredMixin
from projects.web.mixins import PeriodMixin

from .status import (
    LIAISON_KIND,
    OFFICIAL,
    chase,
    missing_for,
    name_missing,
    report_counts,
    report_status,
)

# Every role has an inbox (every role reads problems); an account with no role has none.
INBOX = "projects.view_problem"


# A notification in the list shows this many of its lines; the rest are on its own page.
LINES_SHOWN = 20


class NotificationListView(RoleRequiredMixin, ListView):
    """The user's own notifications, newest first (the bell in the header leads here). Each
    shows its first lines only: a digest of 20,000 督办 costs the page 20 rows, not 20,000."""

    permission_required = INBOX
    template_name = "projects/reminders/notification_list.html"
    paginate_by = 20
    extra_context = {"title": _("Notifications"), "lines_shown": LINES_SHOWN}

    def get_queryset(self):
        first = ReminderItem.objects.order_by("pk")[:LINES_SHOWN]
        return (
            Notification.objects.filter(recipient=self.request.user)
            .annotate(item_count=Count("items"))
            .order_by("-created_at", "-pk")
            .prefetch_related(Prefetch("items", queryset=first, to_attr="first_items"))
        )


class NotificationDetailView(RoleRequiredMixin, ListView):
    """Every line of one of the user's notifications, a page at a time; opening it reads it."""

    permission_required = INBOX
    template_name = "projects/reminders/notification_detail.html"
    paginate_by = 50

    def get_queryset(self):
        self.notification = get_object_or_404(
            Notification, pk=self.kwargs["pk"], recipient=self.request.user
        )
        if self.notification.read_at is None:
            Notification.objects.filter(pk=self.notification.pk).update(read_at=timezone.now())
        return self.notification.items.order_by("pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "notification": self.notification,
            "title": self.notification.subject,
        }


class NotificationReadView(RoleRequiredMixin, View):
    """Mark one notification read, or all of them (pk absent)."""

    permission_required = INBOX

    def post(self, request, pk=None):
        mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
        if pk is not None:
            mine = mine.filter(pk=get_object_or_404(Notification, pk=pk, recipient=request.user).pk)
        mine.update(read_at=timezone.now())
        return redirect("projects:notification_list")


class NotificationOpenView(RoleRequiredMixin, View):
    """Follow a line of a notification to where it is acted on, marking the notification read
    (opening it is reading it)."""

    permission_required = INBOX

    def get(self, request, pk, item):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        url = get_object_or_404(notification.items, pk=item).url
        if notification.read_at is None:
            Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        return redirect(url or "projects:notification_list")


class ReportStatusView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """填报情况: who has reported for a month, who is late and by how many days: the
    reporters with something missing or late first, a page at a time; ?official= or
    ?liaison= lists one reporter's projects."""

    permission_required = "projects.add_notification"
    template_name = "projects/reminders/report_status.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = Project.objects.restrict(self.request.user)
        due, reporters = report_status(self.period, projects=projects)
        expected, missing, late = report_counts(self.period, projects)
        chosen = self.chosen(reporters)
        page = Paginator(reporters, self.paginate_by).get_page(self.request.GET.get("page"))
        shown = [chosen] if chosen else list(page)
        name_missing(self.period, shown, projects)
        return context | {
            "title": _("Reporting status"),
            "due": due,
            "reporters": shown,
            "chosen": chosen,
            "page_obj": page,
            "is_paginated": chosen is None and page.has_other_pages(),
            "expected": expected,
            "missing": missing,
            "late": late,
        }

    def chosen(self, reporters):
        """The reporter whose projects ?official= or ?liaison= asks for; when nobody by that
        number owes a report this month, the page says so and lists every reporter."""
        for kind in (OFFICIAL, LIAISON_KIND):
            value = self.request.GET.get(kind)
            if value is None:
                continue
            for reporter in reporters:
                if reporter.kind == kind and str(reporter.pk) == value:
                    return reporter
            messages.error(self.request, _("Nobody by that number owes a report for this month."))
        return None

    def post(self, request):
        """Remind one reporter of their missing reports now: in the tracker at once, by e-mail
        and group robot with the next pass of send_reminders."""
        value = request.POST.get("user", "")
        user = get_object_or_404(
            get_user_model(), pk=int(value) if value.isascii() and value.isdigit() else -1
        )
        url = f"{reverse('projects:report_status')}?{self.period.query_string()}"
        # Only the projects this office may see: a sibling district's are never chased.
        missing = list(missing_for(user, self.period, Project.objects.restrict(self.request.user)))
        if not missing:
            messages.info(
                request,
                _("%(name)s has nothing missing for this month.") % {"name": person_name(user)},
            )
            return redirect(url)
        notification = chase(user, self.period, missing)
        if notification is None:
            messages.info(
                request,
                _("%(name)s was already reminded today.") % {"name": person_name(user)},
            )
            return redirect(url)
        # The copies by e-mail and group robot are queued, not sent here: the page never
        # waits on a mail server or a robot. The next pass of send_reminders sends them.
        copies = notification.deliveries.count()
        messages.success(
            request,
            _("%(name)s is reminded of %(count)s missing reports (in the tracker%(copies)s).")
            % {
                "name": person_name(user),
                "count": len(missing),
                "copies": _(", %(copies)s copies go out with the next run of the reminders")
                % {"copies": copies}
                if copies
                else "",
            },
        )
        return redirect(url)
