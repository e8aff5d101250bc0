"""填报情况: for a month, who has reported, who is late and by how many days, per lead
official and per liaison."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Notification, Project, ReminderItem
from projects.models.base import person_name

from .deadlines import date_label
from .schedule import Reminder, notify

LEAD = _("Lead official")
LIAISON = _("Liaison")


@dataclass
class Reporter:
    """One person's reports for the month."""

    name: str
    role: str
    user: object = None
    projects: list = field(default_factory=list)
    last_chased: object = None

    @property
    def missing(self):
        return [project for project in self.projects if project.report_id is None]

    @property
    def reported(self):
        return len(self.projects) - len(self.missing)

    @property
    def days_late(self):
        """The longest delay among the person's reports: missing ones count up to today."""
        return max((project.days_late for project in self.projects), default=0)

    @property
    def order(self):
        return (-len(self.missing), -self.days_late, self.role != LEAD, self.name)


def report_status(period, today=None, projects=None):
    """(due date, reporters sorted with the most missing first, projects expected) of
    `projects` (all by default)."""
    today = today or timezone.localdate()
    due = period.due_date
    User = get_user_model()
    projects = list(
        (Project.objects.all() if projects is None else projects)
        .expected_to_report(period)
        .with_report_status(period)
        .select_related("lead_official__user")
        .prefetch_related(Prefetch("liaisons", queryset=User.objects.order_by("username")))
        .order_by("code")
    )
    people = {}
    for project in projects:
        submitted = project.report_submitted_at
        day = timezone.localtime(submitted).date() if submitted else today
        project.days_late = period.days_late(day)
        official = project.lead_official
        if official is not None:
            key = ("official", official.pk)
            people.setdefault(key, Reporter(official.name, LEAD, official.user))
            people[key].projects.append(project)
        for user in project.liaisons.all():
            key = ("user", user.pk)
            people.setdefault(key, Reporter(person_name(user), LIAISON, user))
            people[key].projects.append(project)
    chased = dict(
        ReminderItem.objects.filter(
            kind=ReminderItem.Kind.CHASE, period__startswith=f"{period.key}:"
        )
        .values_list("recipient")
        .annotate(last=Max("notification__created_at"))
    )
    for reporter in people.values():
        if reporter.user is not None:
            reporter.last_chased = chased.get(reporter.user.pk)
    return due, sorted(people.values(), key=lambda reporter: reporter.order), projects


def chase(user, period, projects, today=None):
    """Send `user` a reminder now of their missing reports for `period`; None when they
    were already reminded by hand today."""
    today = today or timezone.localdate()
    due = period.due_date
    reminders = [
        Reminder(
            user,
            ReminderItem.Kind.CHASE,
            f"project:{project.pk}",
            f"{period.key}:{today.isoformat()}",
            _(
                "%(code)s %(name)s: the report for %(period)s is due by %(due)s; the project "
                "office asks you to report now."
            )
            % {
                "code": project.code,
                "name": project.name,
                "period": period.label,
                "due": date_label(due),
            },
        )
        for project in projects
    ]
    return notify(user, reminders, today, source=Notification.Source.CHASE)
