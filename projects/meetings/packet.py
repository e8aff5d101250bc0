"""The monthly meeting packet (例会材料), built from data as of the meeting's month.

Every figure comes from the progress engine (Project.objects.with_progress), so the packet
agrees with the project list, the dashboard and the Excel table.
"""

import base64
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.life.rates import start_rates
from projects.models import Milestone, Official, Problem, Project, ReportPhoto
from projects.models.base import person_name
from projects.models.levels import leads_by_level, meeting_level, of_level
from projects.register.map_svg import packet_map
from projects.register.ranking import ranking


@dataclass
class OfficialSection:
    official: Official | None
    projects: list = field(default_factory=list)
    total: dict = field(default_factory=dict)


def meeting_packet(meeting, official=None, photos=True, drawn=True):
    """Cover data, zone summary, one section per lead official, and the problem register,
    of the meeting's region (and the regions beneath it)."""
    period = meeting.period
    as_of = period.as_of
    projects = Project.objects.in_region(meeting.region)
    level = meeting_level(meeting.region)
    if level is not None:  # a city's meeting hears its 市重点 across its districts
        projects = projects.filter(of_level(level))
    if official is not None:
        projects = projects.filter(lead_official=official)
    zones, total = projects.summary(period)
    official_rows, _total = projects.summary(period, by="lead_official")
    official_totals = {row["lead_official"]: row for row in official_rows}
    rows = (
        projects.with_stored_progress(period)
        .with_report_text(period)
        .select_related("zone", "lead_official", "responsible_unit", "region")
        .order_by("lead_official__name", "zone__order", "code")
    )
    if level is not None:
        rows = rows.prefetch_related("level_leads__lead_official")
    rows = list(rows)
    photos = latest_photos(rows, period) if photos and settings.JIEFANG_PACKET_PHOTOS else {}
    sections = {}
    for project in rows:
        project.photo = photos.get(project.pk)
        if level is not None:
            project.level_leads_above = leads_by_level(project, above=True)
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
    preparation = []
    for milestone in (
        Milestone.objects.filter(project__in=projects.values("pk"), kind=Milestone.Kind.PREPARATION)
        .select_related("project")
        .order_by("project__code", "order", "planned_date")
    ):
        state, delay = Milestone.state_of(milestone.planned_date, milestone.actual_date, as_of)
        preparation.append((milestone, delay, state))
    late_reports = reports_late_at(projects, period, meeting.date)
    # The whole district's packet ranks officials and zones; one official's part does not.
    ranked = ranking(period, projects) if official is None else None
    return {
        "meeting": meeting,
        "level": Project.Level(level).label if level else None,
        "ranking": ranked,
        "ranking_boards": [(_("Lead officials"), ranked.officials), (_("Zones"), ranked.zones)]
        if ranked
        else [],
        "preparation": preparation,
        "due_date": period.due_date,
        "late_reports": late_reports,
        "period": period,
        "zones": zones,
        "total": total,
        # 开工率 and 竣工率 of the whole packet (/starts/'s figures), one line under the summary.
        "starts": start_rates(projects, period, meeting.region, detail=False).total
        if official is None
        else None,
        "sections": list(sections.values()),
        "raised": raised,
        "earlier_open": earlier_open,
        "problem_groups": [
            (_("Raised at this meeting"), raised),
            (_("Still open from earlier meetings"), earlier_open),
        ],
        "official": official,
        # The map page: drawn here, so that a frozen packet keeps the map as it stood.
        # The minutes read the packet's figures, not its pictures: no map drawn for them.
        "map": packet_map(meeting.region, rows, period) if drawn else None,
    }


def reports_late_at(projects, period, day):
    """The projects whose report for `period` had not come in by its due date, as they stood
    on `day` (the meeting's): (project, liaisons, submitted date or None, days late)."""
    if day <= period.due_date:
        return []
    late = []
    for project in (
        projects.expected_to_report(period)
        .with_report_status(period)
        # Only those not in by the due date can be late on `day` (a report in by then is on
        # time, whenever the meeting is): the rest are never loaded.
        .filter(Q(report_id__isnull=True) | Q(report_submitted_at__gte=period.due_by))
        .select_related("lead_official")
        .prefetch_related("liaisons")
        .order_by("lead_official__name", "code")
    ):
        submitted = project.report_submitted_at
        submitted_on = timezone.localtime(submitted).date() if submitted else None
        if submitted_on is not None and submitted_on > day:
            submitted_on = None  # it came in after the meeting: missing at the meeting
        days = period.days_late(submitted_on or day)
        if days:
            liaisons = "、".join(person_name(user) for user in project.liaisons.all())
            late.append((project, liaisons, submitted_on, days))
    return late


def latest_photos(projects, period):
    """{project pk: the thumbnail of its latest site photo up to `period`, as a data: URI}, so
    that the print page and its PDF carry the picture without a request of their own."""
    photos = (
        ReportPhoto.objects.filter(report__project__in=[project.pk for project in projects])
        .filter(
            Q(report__year__lt=period.year)
            | Q(report__year=period.year, report__month__lte=period.month)
        )
        .order_by("report__project", "-report__year", "-report__month", "-uploaded_at", "-pk")
        .values_list("report__project", "thumbnail")
    )
    latest = {}
    for project, name in photos:
        if project in latest or not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as handle:
            latest[project] = "data:image/jpeg;base64," + base64.b64encode(handle.read()).decode()
    return latest
