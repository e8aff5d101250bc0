"""The 月度通报's context: the month's figures, the ranking's boards (capped), the red
projects, overdue problems and late reporters the bulletin names, each list up to the
office's cap with the rest counted (see documents.py for the shared helpers and rendering)."""

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.life.rates import start_rates
from projects.models import Light, Problem, Project, Region
from projects.register.ranking import ranking
from projects.templatetags.jiefang import pct

from .documents import (
    REASON_FIELDS,
    WORST,
    _common,
    _more,
    cap,
    document_number,
    figures,
    light_reason,
    problem_row,
)


def _movement(entry):
    if entry.movement is None:
        return "—"
    if entry.movement > 0:
        return f"↑{entry.movement}"
    return f"↓{-entry.movement}" if entry.movement < 0 else "="


def board(entries, limit):
    """A ranking board as the 通报 prints it: every entry up to the cap; past it the top
    JIEFANG_RANKING_TOP (praised) and the last ones (criticised), up to the cap in all."""
    entries = list(entries)
    if len(entries) <= limit:
        return entries, 0
    top = min(settings.JIEFANG_RANKING_TOP, limit // 2)
    return entries[:top] + entries[len(entries) - (limit - top) :], len(entries) - limit


def late_reporters(projects, period, day, limit):
    """(the officials whose projects' reports for `period` were not in by the due date, as
    they stood on `day` — the packet's rule, reports_late_at — each with up to
    JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL of their projects named and the rest counted, the officials with the most first, up to
    `limit` of them; how many officials more; how many projects late in all)."""
    if day <= period.due_date:
        return [], 0, 0
    due = period.due_date
    each = max(settings.JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL, 1)
    late = {}
    for row in (
        projects.expected_to_report(period)
        .with_report_status(period)
        .filter(Q(report_id__isnull=True) | Q(report_submitted_at__gte=period.due_by))
        .values("name", "lead_official__name", "report_submitted_at")
        .order_by("lead_official__name", "code")
    ):
        submitted = row["report_submitted_at"]
        submitted_on = timezone.localtime(submitted).date() if submitted else None
        if submitted_on is not None and submitted_on > day:
            submitted_on = None  # it came in after that day: missing on it
        days = max(((submitted_on or day) - due).days, 0)
        if days:
            official = row["lead_official__name"] or _("No lead official")
            late.setdefault(official, []).append((row["name"], submitted_on, days))
    officials = sorted(late.items(), key=lambda item: -len(item[1]))[:limit]
    named = {official for official, _projects in officials}
    rows = []
    for official, entries in late.items():  # in the order of their names
        if official not in named:
            continue
        words = [
            _("%(name)s (in %(days)s days late)") % {"name": name, "days": days}
            if submitted_on
            else _("%(name)s (not reported, %(days)s days late)") % {"name": name, "days": days}
            for name, submitted_on, days in entries[:each]
        ]
        if len(entries) > each:
            words.append(_("and %(count)s more") % {"count": len(entries) - each})
        rows.append({"official": official, "projects": "、".join(words)})
    return rows, len(late) - len(rows), sum(len(entries) for entries in late.values())


def bulletin_context(period, region, issue=False):
    """The variables of 月度通报: the figures, the ranking, the red-light projects with their
    reasons, the overdue problems and the projects not reported on time (none before the
    month's due date: the packet's rule, reports_late_at, as of today).

    What it names is what its reader can act on: the red projects and overdue problems the
    worst first, up to JIEFANG_DOCUMENT_NAMES, the rest counted per zone (per district for a
    region above districts); the full lists are the workbook's. Read with values()."""
    as_of = period.as_of
    today = timezone.localdate()
    limit = cap()
    projects = Project.objects.in_region(region)
    _rows, total = projects.summary(period)
    ranked = ranking(period, projects, today=today)
    red = projects.with_stored_progress(period).filter(light_rank=Light.RED.rank)
    named = list(
        red.values("pk", "name", "lead_official__name", *REASON_FIELDS).order_by(*WORST)[:limit]
    )
    district = region.kind == Region.Kind.DISTRICT
    group, order = ("zone__name", "zone__order") if district else ("region__name", "region__code")
    red_more = [
        {"name": row[group] or "", "count": row["count"]}
        for row in red.exclude(pk__in=[p["pk"] for p in named])
        .order_by()
        .values(group, order)
        .annotate(count=Count("pk"))
        .order_by(order, group)
    ]
    overdue = Problem.objects.in_region(region).most_overdue(as_of)
    late, late_more, late_count = late_reporters(projects, period, today, limit)
    number = document_number(region, "bulletin", f"bulletin:{period.key}", today.year, issue)
    boards = {}
    for name, entries in (
        ("officials", ranked.officials),
        ("zones", ranked.zones),
        ("units", ranked.units),
    ):
        shown, more = board(entries, limit)
        boards[name] = [
            {
                "rank": entry.rank,
                "name": entry.name,
                "score": str(entry.score),
                "movement": _movement(entry),
            }
            for entry in shown
        ]
        boards[f"{name}_more"] = more
    starts = start_rates(projects, period, region, detail=False).total
    return _common(period, region, number) | {
        "figures": figures(total, period),
        "starts": {
            "planned_starts": starts.planned_starts,
            "started": starts.started,
            "start_rate": pct(starts.start_rate),
            "start_target": pct(starts.start_target),
            "planned_completions": starts.planned_completions,
            "completed": starts.completed,
            "completion_rate": pct(starts.completion_rate),
            "completion_target": pct(starts.completion_target),
        },
        "ranking_note": "".join(str(note) for note in ranked.notes),
        **boards,
        "red_projects": [
            {
                "name": p["name"],
                "official": p["lead_official__name"] or "",
                "reason": light_reason(p),
            }
            for p in named
        ],
        "red_more": red_more,
        "red_more_count": sum(row["count"] for row in red_more),
        "overdue_problems": [
            problem_row(p) for p in overdue.select_related("project", "responsible_unit")[:limit]
        ],
        "overdue_more": _more(overdue.count(), limit),
        "late_reporters": late,
        "late_more": late_more,
        "late_count": late_count,
    }
