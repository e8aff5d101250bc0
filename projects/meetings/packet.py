"""The monthly meeting packet (例会材料), built from data as of the meeting's month.

Every figure comes from the progress engine (Project.objects.with_progress), so the packet
agrees with the project list, the dashboard and the Excel table.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from projects.models import Official, Problem, Project


@dataclass
class OfficialSection:
    official: Official | None
    projects: list = field(default_factory=list)
    total: dict = field(default_factory=dict)


def meeting_packet(meeting, official=None):
    """Cover data, zone summary, one section per lead official, and the problem register."""
    period = meeting.period
    as_of = period.as_of
    projects = Project.objects.all()
    if official is not None:
        projects = projects.filter(lead_official=official)
    zones, total = projects.summary(period)
    official_rows, _total = projects.summary(period, by="lead_official")
    official_totals = {row["lead_official"]: row for row in official_rows}
    rows = (
        projects.with_progress(period)
        .with_report_text(period)
        .select_related("zone", "lead_official", "responsible_unit")
        .order_by("lead_official__name", "zone__order", "code")
    )
    sections = {}
    for project in rows:
        key = project.lead_official_id
        if key not in sections:
            sections[key] = OfficialSection(
                project.lead_official, total=official_totals.get(key, {})
            )
        sections[key].projects.append(project)
    problems = (
        Problem.objects.filter(project__in=projects.values("pk"))
        .with_overdue(as_of)
        .select_related("project__lead_official", "meeting", "responsible_unit")
        .order_by("deadline", "pk")
    )
    raised = problems.filter(meeting=meeting)
    earlier_open = (
        problems.open_at(as_of)
        .filter(Q(meeting__isnull=True) | Q(meeting__date__lt=meeting.date))
        .exclude(meeting=meeting)
    )
    return {
        "meeting": meeting,
        "period": period,
        "zones": zones,
        "total": total,
        "sections": list(sections.values()),
        "raised": raised,
        "earlier_open": earlier_open,
        "problem_groups": [
            (_("Raised at this meeting"), raised),
            (_("Still open from earlier meetings"), earlier_open),
        ],
        "official": official,
    }
