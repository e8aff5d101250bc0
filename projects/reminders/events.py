"""A problem's steps told to the people on the other side, in the bell, by mail and to the group
robot (the same channels as the reminders): a request for closure (申请销号) to the project
office; a request sent back (退回) or a problem closed (销号) to those who answer for it."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import ReminderItem
from projects.models.base import person_name
from projects.permissions import OFFICE
from projects.scope import acting_over

from .schedule import Reminder, notify

Kind = ReminderItem.Kind


def answerers(problem):
    """Who answers for `problem`: its unit's contacts, its project's lead official and
    liaisons (active accounts)."""
    return (
        get_user_model()
        .objects.filter(
            Q(contact_units=problem.responsible_unit_id)
            | Q(official__projects=problem.project_id)
            | Q(liaison_projects=problem.project_id),
            is_active=True,
        )
        .distinct()
    )


def office(region):
    """The offices over `region` (its own and those above it)."""
    return acting_over(
        get_user_model().objects.filter(groups__name=OFFICE, is_active=True), region
    ).distinct()


def problem_step(problem, update, actor):
    """Tell the other side of `update` (a ProblemUpdate just recorded by `actor`)."""
    kind, recipients, subject, text = {
        update.Kind.CLOSURE_REQUESTED: (
            Kind.CLOSURE_REQUESTED,
            office(problem.project.region),
            _("Closure requested: %(project)s"),
            _("%(who)s asks to close “%(problem)s” (%(project)s): %(note)s"),
        ),
        update.Kind.RETURNED: (
            Kind.CLOSURE_RETURNED,
            answerers(problem),
            _("Request for closure sent back: %(project)s"),
            _(
                "The project office sent back the request to close “%(problem)s” "
                "(%(project)s). Reason: %(note)s"
            ),
        ),
        update.Kind.CLOSED: (
            Kind.PROBLEM_CLOSED,
            answerers(problem),
            _("Problem closed: %(project)s"),
            _("The project office closed “%(problem)s” (%(project)s): %(note)s"),
        ),
    }.get(update.kind, (None, None, None, None))
    if kind is None:
        return 0
    values = {
        "who": person_name(actor),
        "problem": problem.description[:80],
        "project": problem.project.name,
        "note": update.note or "—",
    }
    today = timezone.localdate()
    told = 0
    for person in recipients.exclude(pk=actor.pk):
        reminder = Reminder(person, kind, f"problem:{problem.pk}", f"u{update.pk}", text % values)
        if notify(person, [reminder], today, source="event", subject=subject % values):
            told += 1
    return told
