"""The daily step of 要素保障: an open need past its deadline becomes a problem of the register
(one per need, linked to it), so that it is chased and escalated as every problem is
(提醒 → 催办 → 督办); a need met since then closes its problem with a note.

Called by `manage.py send_reminders` before the reminders, so that the day's digests already
hear of the new problems. Idempotent: a need that has its problem never gets a second one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import FactorNeed, Problem


def need_problem_text(need):
    """The problem's description: what is lacking, how much, by when."""
    return _("%(kind)s not secured: %(amount)s %(unit)s needed by %(deadline)s%(detail)s") % {
        "kind": need.get_kind_display(),
        "amount": f"{need.amount.normalize():f}",
        "unit": need.unit,
        "deadline": need.deadline.isoformat(),
        "detail": f"（{need.description}）" if need.description else "",
    }


@transaction.atomic
def raise_overdue_needs(today=None):
    """One problem per open need past its deadline that has none yet; the problems of needs
    met since are closed. Returns (raised, closed)."""
    today = today or timezone.localdate()
    raised = 0
    overdue = (
        FactorNeed.objects.overdue(today)
        .filter(problem__isnull=True)
        .select_related("project")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for need in overdue:
        need.problem = Problem.objects.create(
            project=need.project,
            description=need_problem_text(need),
            responsible_unit_id=need.responsible_unit_id,
            disposition=Problem.Disposition.DEADLINE,
            deadline=need.deadline,
            note=_("Raised from the project's factor needs (要素保障)."),
        )
        need.save(update_fields=["problem"])
        raised += 1
    closed = 0
    met = Problem.objects.filter(
        status=Problem.Status.OPEN, factor_need__state=FactorNeed.State.MET
    ).select_related("factor_need")
    for problem in met:
        problem.status = Problem.Status.CLOSED
        problem.closing_note = _("The need was met on %(date)s.") % {
            "date": problem.factor_need.met_on.isoformat()
        }
        problem.save()
        closed += 1
    return raised, closed
