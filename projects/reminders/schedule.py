"""The daily reminder schedule: what each person is to be reminded of on a day, gathered into
one digest a person a day, each reminder recorded so that it is never sent twice.

`run(today)` is what `manage.py send_reminders` and the systemd timer call; it is idempotent
and safe to run twice at once (the database's unique constraints decide who sends).
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import (
    Escalation,
    Notification,
    Problem,
    Project,
    ReminderItem,
    Unit,
)
from projects.models.base import person_name
from projects.permissions import OFFICE
from projects.progress.period import Period
from projects.scope import acting_over

from . import channels
from .deadlines import date_label, late_from, problem_soon_until, reminder_date
from .transports import InApp

Kind = ReminderItem.Kind
ORDER = [
    Kind.REPORT_DUE,
    Kind.REPORT_LATE,
    Kind.PROBLEM_DUE,
    Kind.PROBLEM_OVERDUE,
    Kind.CHASE,
    Kind.CLOSURE_REQUESTED,
    Kind.CLOSURE_RETURNED,
    Kind.PROBLEM_CLOSED,
    Kind.MONTH_SUBMITTED,
    Kind.MONTH_ACCEPTED,
    Kind.MONTH_RETURNED,
    Kind.MONTH_CHASED,
]


@dataclass(frozen=True)
class Reminder:
    """One line of a digest, to one person."""

    recipient: object
    kind: str
    subject_key: str
    period: str
    text: str

    @property
    def key(self):
        return (self.kind, self.subject_key, self.period)


def reporting_periods(today):
    """The months whose reports can be due or late on `today`: last month, and this month
    when two working days before its due date fall at the end of this month."""
    this_month = Period(today.year, today.month)
    return [this_month.shifted(-1), this_month]


def missing_reports(period):
    """Projects still without a report for `period`, with their reporters."""
    User = get_user_model()
    # Only the projects someone can be told of (an active lead official's account or an
    # active liaison): at 100,000 projects of officials without accounts the pass built
    # 300,000 model instances to tell no one.
    reachable = Q(lead_official__user__is_active=True) | Q(
        pk__in=Project.liaisons.through.objects.filter(user__is_active=True).values("project")
    )
    return (
        Project.objects.expected_to_report(period)
        .without_report(period)
        .filter(reachable)
        .select_related("lead_official__user")
        .prefetch_related(Prefetch("liaisons", queryset=User.objects.filter(is_active=True)))
        .order_by("code")
    )


def reporters(project):
    """Who reports a project: its lead official's account and its liaisons."""
    people = list(project.liaisons.all())
    lead = project.lead_official.user if project.lead_official else None
    if lead is not None and lead.is_active:
        people.insert(0, lead)
    return people


def report_reminders(today):
    for period in reporting_periods(today):
        due = period.due_date
        before = reminder_date(period) <= today <= due
        late = late_from(period) <= today and today.month == due.month
        if not (before or late):
            continue
        due_label = date_label(due)
        for project in missing_reports(period):
            values = {
                "code": project.code,
                "name": project.name,
                "period": period.label,
                "due": due_label,
            }
            if before:
                for person in reporters(project):
                    yield Reminder(
                        person,
                        Kind.REPORT_DUE,
                        f"project:{project.pk}",
                        period.key,
                        _("%(code)s %(name)s: the report for %(period)s is due by %(due)s.")
                        % values,
                    )
            lead = project.lead_official.user if project.lead_official else None
            if late and lead is not None and lead.is_active:
                liaisons = "、".join(person_name(user) for user in project.liaisons.all())
                values["days"] = (today - due).days
                text = (
                    _(
                        "%(code)s %(name)s: the report for %(period)s was due by %(due)s and "
                        "is %(days)s days late (liaisons: %(liaisons)s)."
                    )
                    % (values | {"liaisons": liaisons})
                    if liaisons
                    else _(
                        "%(code)s %(name)s: the report for %(period)s was due by %(due)s and "
                        "is %(days)s days late."
                    )
                    % values
                )
                yield Reminder(lead, Kind.REPORT_LATE, f"project:{project.pk}", period.key, text)


def unit_contacts():
    """{unit id: its contacts' accounts}, read once for a pass: prefetched through each
    problem's unit, Django made a queryset per problem (11 s for 20,000 problems twice)."""
    Contact = Unit.contacts.through
    contacts = {}
    for link in Contact.objects.select_related("user").order_by("pk"):
        contacts.setdefault(link.unit_id, []).append(link.user)
    return contacts


def problem_holders(problem, contacts, office=()):
    """Who answers for a problem: its unit's contacts (`contacts`, from unit_contacts) and
    the project's lead official."""
    people = list(contacts.get(problem.responsible_unit_id, ()))
    official = problem.project.lead_official
    if official is not None and official.user is not None:
        people.append(official.user)
    return [person for person in dict.fromkeys([*people, *office]) if person.is_active]


def problem_reminders(today):
    User = get_user_model()
    problems = Problem.objects.select_related(
        "project__lead_official__user", "project__region", "responsible_unit"
    )
    contacts = unit_contacts()
    soon = problems.open_at(today).filter(
        deadline__gte=today, deadline__lte=problem_soon_until(today)
    )
    for problem in soon.order_by("deadline", "pk"):
        text = _("%(project)s: “%(problem)s” (%(unit)s) is due by %(deadline)s.") % {
            "project": problem.project.name,
            "problem": problem.description,
            "unit": problem.responsible_unit or _("no unit"),
            "deadline": date_label(problem.deadline),
        }
        for person in problem_holders(problem, contacts):
            yield Reminder(
                person,
                Kind.PROBLEM_DUE,
                f"problem:{problem.pk}",
                problem.deadline.isoformat(),
                text,
            )
    offices = {}  # per region: the offices over it, who hear of its problems' 督办
    overdue = problems.with_overdue(today).filter(escalation__gte=Escalation.REMIND)
    for problem in overdue.order_by("deadline", "pk"):
        level = Escalation(problem.escalation)
        text = _(
            "[%(level)s] %(project)s: “%(problem)s” (%(unit)s) is %(days)s days past its "
            "deadline of %(deadline)s."
        ) % {
            "level": level.label,
            "project": problem.project.name,
            "problem": problem.description,
            "unit": problem.responsible_unit or _("no unit"),
            "days": (today - problem.deadline).days,
            "deadline": date_label(problem.deadline),
        }
        # 督办 is the office's to print and chase: it hears of it too.
        office = ()
        if level == Escalation.SUPERVISE:
            region = problem.project.region
            if region.pk not in offices:
                offices[region.pk] = list(
                    acting_over(User.objects.filter(groups__name=OFFICE, is_active=True), region)
                )
            office = offices[region.pk]
        for person in problem_holders(problem, contacts, office):
            yield Reminder(
                person,
                Kind.PROBLEM_OVERDUE,
                f"problem:{problem.pk}",
                f"{problem.deadline.isoformat()}:{level.value}",
                text,
            )


def due_reminders(today):
    """Every reminder due on `today`, per person (a dict of user: [Reminder])."""
    by_person = defaultdict(dict)
    for reminder in [*report_reminders(today), *problem_reminders(today)]:
        by_person[reminder.recipient].setdefault(reminder.key, reminder)
    return {person: list(reminders.values()) for person, reminders in by_person.items()}


# Where the whole of a kind of reminder is listed, for the "等N项" line that ends a long one.
KIND_PAGES = {
    Kind.REPORT_DUE: ("projects:my_projects", ""),
    Kind.REPORT_LATE: ("projects:my_projects", ""),
    Kind.CHASE: ("projects:my_projects", ""),
    Kind.PROBLEM_DUE: ("projects:problem_list", "?state=open"),
    Kind.PROBLEM_OVERDUE: ("projects:problem_list", "?state=overdue"),
    Kind.CLOSURE_REQUESTED: ("projects:problem_list", "?state=open"),
    Kind.CLOSURE_RETURNED: ("projects:my_problems", ""),
    Kind.PROBLEM_CLOSED: ("projects:problem_list", "?state=closed"),
    Kind.MONTH_SUBMITTED: ("projects:submissions", ""),
    Kind.MONTH_ACCEPTED: ("projects:submissions", ""),
    Kind.MONTH_RETURNED: ("projects:submissions", ""),
    Kind.MONTH_CHASED: ("projects:submissions", ""),
}


def in_order(items):
    """Reminders by kind (as ORDER), each kind in the order found (the most overdue first)."""
    return sorted(items, key=lambda item: ORDER.index(item.kind))


def kind_page(kind):
    name, query = KIND_PAGES[kind]
    return reverse(name) + query


def compose(items, today):
    """A digest's subject and text, from its ReminderItems: each line with the address to act
    on it when JIEFANG_SITE_URL is set. At most JIEFANG_DIGEST_LINES lines are written out;
    each kind with more ends in "等N项" and the page that lists them all, so that a digest of
    20,000 督办 stays a message a person reads (and a robot accepts). The text is the same
    for everyone it lists the same things for, so a unit's group robot gets it once however
    many contacts the unit has."""
    site = settings.JIEFANG_SITE_URL
    room = settings.JIEFANG_DIGEST_LINES
    sections = []
    for kind, group in groupby(in_order(items), key=lambda item: item.kind):
        group = list(group)
        shown = group[:room]
        room -= len(shown)
        sections.append(
            {
                "heading": Kind(kind).label,
                "lines": [
                    {"text": item.text, "url": f"{site}{item.url}" if site and item.url else ""}
                    for item in shown
                ],
                "more": len(group) - len(shown),
                "more_url": site + kind_page(kind),
            }
        )
    return InApp.compose(sections, {"count": len(items), "date": date_label(today)})


def notify(person, reminders, today, source=Notification.Source.DIGEST, subject=None):
    """Record a notification with its reminders and queue its copies; None when this person
    already has one from `source` today or every reminder has been sent before. `subject`
    replaces the digest's (“N reminders on …”) for a single event."""
    sent = set(
        ReminderItem.objects.filter(
            recipient=person, subject_key__in={reminder.subject_key for reminder in reminders}
        ).values_list("kind", "subject_key", "period")
    )
    items = in_order(
        ReminderItem(
            recipient=person,
            kind=reminder.kind,
            subject_key=reminder.subject_key,
            period=reminder.period,
            text=reminder.text[:500],
        )
        for reminder in reminders
        if reminder.key not in sent
    )
    if not items:
        return None
    composed, body = compose(items, today)
    subject = subject or composed
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=person, source=source, date=today, subject=subject, body=body
            )
            for item in items:
                item.notification = notification
            ReminderItem.objects.bulk_create(items)
            channels.queue(notification, at_once=source != Notification.Source.DIGEST)
    except IntegrityError:
        # Another run got there first (the same day's digest, or one of these reminders).
        return None
    return notification


def run(today, deliver=True):
    """One pass of the schedule for `today`: digests recorded, then every copy waiting or
    failed before sent. Returns (notifications created, copies sent, copies failed)."""
    created = 0
    for person, reminders in due_reminders(today).items():
        if Notification.objects.filter(
            recipient=person, date=today, source=Notification.Source.DIGEST
        ).exists():
            continue  # one digest a person a day: the rest waits until tomorrow
        if notify(person, reminders, today) is not None:
            created += 1
    sent, failed = channels.deliver_pending() if deliver else (0, 0)
    return created, sent, failed
