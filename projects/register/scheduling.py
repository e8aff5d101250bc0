"""Workflows that touch several rows, each inside one transaction."""

import datetime

from django.db import transaction

from projects.models import Milestone


def reverse_schedule(items, target_date):
    """Planned dates for template items, counted backwards from the target date.

    The last item falls on the target date; each earlier item falls the later
    item's duration before it. Returns [(item, date)] in template order.
    """
    items = list(items)
    dates = []
    date = target_date
    for item in reversed(items):
        dates.append((item, date))
        date -= datetime.timedelta(days=item.duration_days)
    return list(reversed(dates))


@transaction.atomic
def apply_milestone_template(project, template, target_date):
    """Plan the project's milestones backwards from `target_date` (倒排工期).

    Milestones already on the project (matched by name) are re-planned and keep
    their baseline; the others are created with the planned date as baseline.
    """
    existing = {milestone.name: milestone for milestone in project.milestones.all()}
    result = []
    for item, date in reverse_schedule(template.items.order_by("order"), target_date):
        milestone = existing.get(item.name)
        if milestone is None:
            milestone = Milestone(project=project, name=item.name)
        milestone.order = item.order
        milestone.kind = template.kind
        milestone.planned_date = date
        milestone.save()
        result.append(milestone)
    return result
