"""The changes of a problem's handling (督办): a progress note, a request for closure
(申请销号), the office's sending it back, and closing (销号). Each is one transaction that
saves the problem once (its history gains one record), records the step and tells the other
side (reminders.events.problem_step). Pages check the input; this module writes it."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Problem, ProblemUpdate, StaleVersion
from projects.reminders.events import problem_step

Kind = ProblemUpdate.Kind


class Refused(Exception):
    """The step cannot be taken; the message says why, in words for the page. Nothing was
    written."""


def _check(user: User, problem: Problem) -> None:
    """The problem must be one `user` acts on (restrict 'change'), and open."""
    if not Problem.objects.restrict(user, "change").filter(pk=problem.pk).exists():
        raise PermissionDenied(_("You cannot act on this problem."))
    if problem.status != Problem.Status.OPEN:
        raise Refused(_("This problem is closed; nothing was recorded."))


def _step(user: User, problem: Problem, kind: str, note: str) -> ProblemUpdate:
    update = ProblemUpdate.objects.create(problem=problem, kind=kind, note=note, author=user)
    problem_step(problem, update, user)
    return update


def _save(problem: Problem) -> None:
    try:
        problem.save()
    except StaleVersion as stale:
        raise Refused(_("Someone changed this problem just now; please try again.")) from stale


@transaction.atomic
def record_progress(user: User, problem: Problem, note: str) -> ProblemUpdate:
    """处理进展: what has been done, told to the office."""
    _check(user, problem)
    return _step(user, problem, Kind.PROGRESS, note)


@transaction.atomic
def request_closure(user: User, problem: Problem, note: str) -> ProblemUpdate:
    """申请销号: the unit or lead official asks the office to close the problem, once."""
    _check(user, problem)
    if problem.closure_requested_at:
        raise Refused(_("Closure has already been asked for; the office will decide."))
    problem.closure_requested_at = timezone.now()
    _save(problem)
    return _step(user, problem, Kind.CLOSURE_REQUESTED, note)


@transaction.atomic
def return_request(user: User, problem: Problem, reason: str) -> ProblemUpdate:
    """The office sends a request for closure back, with the reason."""
    _check(user, problem)
    if not problem.closure_requested_at:
        raise Refused(_("No request for closure is waiting on this problem."))
    problem.closure_requested_at = None
    _save(problem)
    return _step(user, problem, Kind.RETURNED, reason)


@transaction.atomic
def close_problem(user: User, problem: Problem, note: str) -> ProblemUpdate:
    """销号: the office closes the problem with a note (approving a request for closure, if
    one waits). StaleVersion when someone saved the problem since it was loaded (the page
    shows what they changed)."""
    if not Problem.objects.restrict(user, "change").filter(pk=problem.pk).exists():
        raise PermissionDenied(_("You cannot act on this problem."))
    if Problem.objects.filter(pk=problem.pk, status=Problem.Status.CLOSED).exists():
        raise Refused(_("This problem is already closed; its closing note was not changed."))
    problem.status = Problem.Status.CLOSED
    problem.closing_note = note
    problem.closure_requested_at = None
    problem.save()
    return _step(user, problem, Kind.CLOSED, note)
