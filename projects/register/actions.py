"""The office's changes to the register that are more than a page's row and inlines (those
are projects/actions.py's `save_edit` and `delete_rows`): an annual plan saved with its four
quarters spread over the months, and a milestone template planned backwards on projects.
Each takes the acting user, checks the rows through their scope, and writes in one
transaction or not at all."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from projects.actions import AnyUser, Edit, Refused, Scope, save_edit
from projects.models import (
    AnnualPlan,
    MilestoneTemplate,
    MonthlyPlan,
    Project,
    refresh_progress,
)

from .scheduling import apply_milestone_template


@transaction.atomic
def save_annual_plan(user: AnyUser, edit: Edit, quarters: Sequence[Decimal] = ()) -> AnnualPlan:
    """Save an annual plan's page (the plan and its months) as `user` posted it; with four
    quarterly amounts, its months are replaced by the quarters spread evenly within each
    (cents that do not divide go to the quarter's last month) and the project's progress
    rows recomputed."""
    plan = save_edit(user, edit)
    assert isinstance(plan, AnnualPlan)
    if quarters:
        plan.months.all().delete()
        amounts = AnnualPlan.spread_quarters(list(quarters))
        MonthlyPlan.objects.bulk_create(
            MonthlyPlan(annual_plan=plan, month=month, amount=amount)
            for month, amount in enumerate(amounts, start=1)
        )
        refresh_progress([plan.project_id])
    return plan


@transaction.atomic
def apply_template(
    user: AnyUser,
    projects: Iterable[Project],
    template: MilestoneTemplate,
    target_date: datetime.date,
) -> int:
    """Plan each project's milestones backwards from `target_date` with `template` (倒排工期);
    every project one `user` changes, or Refused and none planned. Returns how many."""
    projects = list(projects)
    others = {project.pk for project in Scope(user).others(projects)}
    if others:
        raise Refused(
            _("%(names)s: not yours to change; no milestones were planned.")
            % {"names": "、".join(project.name for project in projects if project.pk in others)}
        )
    for project in projects:
        apply_milestone_template(project, template, target_date)
    return len(projects)
