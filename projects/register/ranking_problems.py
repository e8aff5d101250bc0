"""The ranking's one measure drawn from the problem register: problems with a deadline due
by a month's end, and of them those closed by their deadline, per lead official, zone,
responsible unit and district, for a month and the month before it in one query."""

from django.db.models import Count, F, Q

from projects.models import Problem

# What a group is in the problem register, for each ranking (the keys of ranking.GROUPS).
PROBLEM_GROUPS = {
    "official": "project__lead_official",
    "zone": "project__zone",
    "unit": "responsible_unit",
    "district": "project__region",
}


def problem_counts(periods, projects, *fields):
    """[(*fields, then per period of `periods`: due by its month's end, closed by their
    deadline)] of problems with a deadline, grouped by `fields` in SQL, for every period in
    one query (closed on the deadline's day, in the site's time zone, is in time)."""
    last = max(period.as_of for period in periods)
    counts = {}
    for index, period in enumerate(periods):
        due = Q(deadline__lte=period.as_of) & (
            Q(meeting__isnull=True) | Q(meeting__date__lte=period.as_of)
        )
        counts[f"total_{index}"] = Count("pk", filter=due)
        counts[f"on_time_{index}"] = Count("pk", filter=due & Q(closed_at__date__lte=F("deadline")))
    return (
        Problem.objects.of_projects(projects)
        .raised_by(last)
        .filter(deadline__isnull=False, deadline__lte=last)
        .order_by()
        .values(*fields)
        .annotate(**counts)
        .values_list(*fields, *counts)
    )


def problem_scores(periods, projects):
    """{period: ({kind of GROUPS: {group: (due by the month's end, closed by their
    deadline)}}, {unit: its name})} of problems with a deadline: one grouped query by every
    kind's key at once, for every period (each grouping joins the problems with their
    projects; at 100,000 projects one query per kind cost 110–130 ms each on PostgreSQL, and
    one per month of a ranking with its month before 53 ms each), added up here."""
    kinds = list(PROBLEM_GROUPS)
    fields = [PROBLEM_GROUPS[kind] for kind in kinds]
    result = {period: ({kind: {} for kind in kinds}, {}) for period in periods}
    for row in problem_counts(periods, projects, *fields, "responsible_unit__name"):
        keys, name, figures = row[: len(kinds)], row[len(kinds)], row[len(kinds) + 1 :]
        for index, period in enumerate(periods):
            scores, names = result[period]
            total, on_time = figures[2 * index], figures[2 * index + 1]
            if not total:  # none due by this month's end: not this month's row
                continue
            for kind, group in zip(kinds, keys, strict=True):
                due, closed = scores[kind].get(group, (0, 0))
                scores[kind][group] = (due + total, closed + on_time)
            names[keys[kinds.index("unit")]] = name
    return result
