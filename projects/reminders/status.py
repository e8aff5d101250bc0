"""填报情况: for a month, who has reported, who is late and by how many days, per lead
official and per liaison.

Counted per reporter, not per project: the progress table keeps each project's report state
for the month (owed, missing, in by the due date; ProjectQuerySet.with_report_state), a lead
official's counts come from its totals and a liaison's from one grouped join, so the page
costs the same queries however many projects there are. It names each reporter's first
missing projects; all of a reporter's projects are listed on demand (Reporter.projects).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from projects.models import Notification, Official, Project, ReminderItem
from projects.models.base import person_name
from projects.progress.period import Period

from .deadlines import date_label
from .schedule import Reminder, notify

LEAD = _("Lead official")
LIAISON = _("Liaison")
OFFICIAL, LIAISON_KIND = "official", "liaison"
SHOWN_MISSING = 5  # missing projects named in a reporter's row; the rest on their own list


@dataclass
class Reporter:
    """One person's reports for the month: a lead official's (kind "official", pk of the
    Official) or a liaison's (kind "liaison", pk of the user)."""

    kind: str
    pk: int
    name: str
    role: str
    period: Period
    today: object
    user_id: int | None = None
    expected: int = 0  # projects that owe the month's report
    missing_count: int = 0
    on_time: int = 0
    last_late: object = None  # when the latest late report came in
    last_chased: object = None
    shown_missing: list = field(default_factory=list)  # the first missing projects
    among: object = None  # the projects counted (a Project queryset; None: all)

    @property
    def reported(self):
        return self.expected - self.missing_count

    @property
    def late(self):
        return self.reported - self.on_time

    @property
    def more_missing(self):
        """Missing projects beyond those named in the row."""
        return self.missing_count - len(self.shown_missing)

    @property
    def days_late(self):
        """The longest delay among the person's reports: missing ones count up to today."""
        if self.missing_count:
            return self.period.days_late(self.today)
        if self.last_late is not None:
            return self.period.days_late(timezone.localtime(self.last_late).date())
        return 0

    @property
    def order(self):
        return (-self.missing_count, -self.days_late, self.role != LEAD, self.name)

    @property
    def query(self):
        """The parameter that opens this reporter's own list of projects."""
        return f"{self.kind}={self.pk}"

    @cached_property
    def projects(self):
        """Every project the person owes the month's report for, by code, each with report_id,
        report_submitted_at and days_late (one query, for this reporter's own list)."""
        return reporter_projects(self.period, self.kind, self.pk, self.today, self.among)

    @property
    def missing(self):
        return [project for project in self.projects if project.report_id is None]


def among(projects):
    return Project.objects.all() if projects is None else projects


def reporter_projects(period, kind, pk, today=None, projects=None):
    """The projects (of `projects`, all by default) that owe `period`'s report of a lead
    official (kind "official") or a liaison ("liaison"), by code, each with report_id,
    report_submitted_at and days_late."""
    today = today or timezone.localdate()
    mine = {"lead_official": pk} if kind == OFFICIAL else {"liaisons": pk}
    projects = list(
        among(projects)
        .expected_to_report(period)
        .filter(**mine)
        .with_report_status(period)
        .only("pk", "code", "name")
        .order_by("code")
    )
    for project in projects:
        submitted = project.report_submitted_at
        day = timezone.localtime(submitted).date() if submitted else today
        project.days_late = period.days_late(day)
    return projects


def report_counts(period, projects=None):
    """(projects that owe the month's report, of them missing, of them in late) of
    `projects` (all by default), from the progress table's totals."""
    counts = among(projects).report_counts(period, by="zone").values()
    expected = sum(count[0] for count in counts)
    missing = sum(count[1] for count in counts)
    return expected, missing, expected - missing - sum(count[2] for count in counts)


def report_status(period, today=None, projects=None):
    """(due date, every reporter that owes a report for `projects` (all by default), those
    with the most missing first, then the longest late). Reporters carry counts;
    name_missing adds the first missing projects of those shown."""
    today = today or timezone.localdate()
    projects = among(projects)
    people = {}
    official_counts = projects.report_counts(period, by="lead_official")
    # Every official and liaison read once, rather than a list of thousands of keys sent back.
    for pk, name, user_id in Official.objects.values_list("pk", "name", "user"):
        if pk not in official_counts:
            continue
        people[(OFFICIAL, pk)] = Reporter(
            OFFICIAL, pk, name, LEAD, period, today, user_id, *official_counts[pk], among=projects
        )
    # Only the projects that have a liaison, found from the liaisons' side (SQLite would
    # otherwise walk every project to find the few that have one).
    liaised = projects.filter(pk__in=Project.liaisons.through.objects.values("project"))
    liaison_counts = liaised.report_counts(period, by="liaisons")
    for user in get_user_model().objects.filter(liaison_projects__isnull=False).distinct():
        if user.pk not in liaison_counts:
            continue
        people[(LIAISON_KIND, user.pk)] = Reporter(
            LIAISON_KIND,
            user.pk,
            person_name(user),
            LIAISON,
            period,
            today,
            user.pk,
            *liaison_counts[user.pk],
            among=projects,
        )
    # The days late of a reporter with nothing missing come from their latest late report
    # (with one missing, they count up to today): asked only when someone needs them.
    for kind, reporting, by in (
        (OFFICIAL, projects, "lead_official"),
        (LIAISON_KIND, liaised, "liaisons"),
    ):
        if not any(r.kind == kind and r.late and not r.missing_count for r in people.values()):
            continue
        for pk, last in reporting.last_late_reports(period, by=by).items():
            if (kind, pk) in people:
                people[(kind, pk)].last_late = last
    chased = dict(
        ReminderItem.objects.filter(
            kind=ReminderItem.Kind.CHASE, period__startswith=f"{period.key}:"
        )
        .values_list("recipient")
        .annotate(last=Max("notification__created_at"))
    )
    for reporter in people.values():
        if reporter.user_id is not None:
            reporter.last_chased = chased.get(reporter.user_id)
    return period.due_date, sorted(people.values(), key=lambda reporter: reporter.order)


def name_missing(period, reporters, projects=None):
    """Give each of these reporters its first SHOWN_MISSING missing projects (of `projects`,
    all by default), by code (two queries, whatever the number of reporters and projects)."""
    for kind, by in ((OFFICIAL, "lead_official"), (LIAISON_KIND, "liaisons")):
        mine = {reporter.pk: reporter for reporter in reporters if reporter.kind == kind}
        if not mine:
            continue
        missing = (
            among(projects)
            .with_stored_progress(period)
            .filter(report_missing=True, **{f"{by}__in": list(mine)})
            .annotate(
                reporter=F(by),
                place=Window(RowNumber(), partition_by=F(by), order_by=F("code").asc()),
            )
            .filter(place__lte=SHOWN_MISSING)
            .only("pk", "code", "name")
            .order_by("code")
        )
        for project in missing:
            mine[project.reporter].shown_missing.append(project)


def missing_for(user, period, projects=None):
    """The projects (of `projects`, all by default) `user` owes the month's report for, as
    lead official or liaison, that have none, by code."""
    return (
        among(projects)
        .with_stored_progress(period)
        .filter(report_missing=True)
        .filter(Q(lead_official__user=user) | Q(pk__in=user.liaison_projects.values("pk")))
        .only("pk", "code", "name")
        .order_by("code")
    )


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
