"""The meeting's documents in Word: 会议纪要 for a meeting and 月度通报 for a month, filled by
docxtpl from templates/docx/ (or the office's own template, uploaded in the admin), both in
the sandbox and within the limits of sandbox.py and docx_file.py.

Every value is text, escaped as it goes in; multi-line fields keep their line breaks. An
uploaded template that does not render is reported in Chinese, naming the variable or the
tag, and the default is used until it is fixed. The variables each template receives are
listed in the user guide (docs/user-guide.zh.md, “Word 文档”).
"""

import logging
import re
import zipfile

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import Listing
from jinja2 import TemplateError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree

from projects.life.rates import start_rates
from projects.models import (
    DocumentNumber,
    DocumentTemplate,
    Escalation,
    Light,
    Meeting,
    MonthlyReport,
    Problem,
    Project,
)
from projects.models.base import clean_text
from projects.register.ranking import ranking
from projects.templatetags.jiefang import money, pct

from . import docx_file, sandbox
from .packet import meeting_packet, reports_late_at

logger = logging.getLogger(__name__)

DEFAULTS = settings.BASE_DIR / "templates" / "docx"


def lines(text):
    """Text that keeps its line breaks, escaped, without characters a document cannot hold."""
    return Listing(clean_text(text))


def _clean(value):
    """Every other value as it goes into the document (see clean_text)."""
    return clean_text(value) if isinstance(value, str) else value


def chinese_date(value):
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def figures(total, period):
    return {
        "count": total["count"],
        "annual_plan": money(total["annual_plan"]),
        "ytd_label": period.ytd_label,
        "ytd": money(total["ytd"]),
        "rate": pct(total["completion_rate"]),
        "schedule": pct(total["time_schedule"]),
        **{name: total[name] for name in ("green", "yellow", "red", "none")},
    }


def problem_row(problem):
    """A problem as the documents list it; an overdue one is named with its level (督办)."""
    level = problem.escalation_level
    return {
        "project": problem.project.name,
        "description": lines(problem.description),
        "unit": problem.responsible_unit.name if problem.responsible_unit else "",
        "deadline": chinese_date(problem.deadline),
        "status": str(problem.get_status_display())
        + (f"({level.label})" if level != Escalation.NOT_DUE else ""),
        "level": str(level.label) if level != Escalation.NOT_DUE else "",
    }


# 发文字号 per kind: the office's prefix and the kind's mark (纪 minutes, 通 bulletin).
NUMBER_MARKS = {"minutes": "纪", "bulletin": "通"}


def document_number(region, kind, key, year, issue):
    """“解发改纪〔2026〕3号”: the number of `region`'s document `key` of `kind`, with the
    region's prefix, issued the first time it is made (`issue`) and kept for every later
    copy; a sample shows ○ for the serial."""
    prefix = region.document_prefix_or_default + NUMBER_MARKS[kind]
    if not issue:
        return f"{prefix}〔{year}〕○号"
    number = DocumentNumber.issue(region, kind, key, year)
    return f"{prefix}〔{number.year}〕{number.serial}号"


def _common(period, region, number=""):
    return {
        "district": region.name,
        "reporting_unit": region.reporting_unit_name,
        # The 公文's head and 版记: 发文机关标志, 发文字号, 抄送 and 印发机关 with the date.
        "issuer": region.reporting_unit_name,
        "number": number,
        "copy_to": settings.JIEFANG_DOCUMENT_COPY_TO,
        "period": period.label,
        # What the figures stand at, after “截至”: “2026年11月底”, or today for a month
        # still running (“2026年12月4日”).
        "as_of": period.as_of_label,
        "today": chinese_date(timezone.localdate()),
    }


def minutes_context(meeting, issue=False):
    """The variables of 会议纪要: the meeting, the district's figures, each lead official's
    projects, the decisions, the problems raised and those carried over. `issue` gives the
    minutes their 发文字号 (a sample for a template check has none)."""
    packet = meeting_packet(meeting, photos=False, drawn=False)
    period = packet["period"]
    sections = []
    for section in packet["sections"]:
        official = section.official
        sections.append(
            {
                "heading": f"{official.name} {official.position}".strip()
                if official
                else _("No lead official"),
                "projects": [
                    {
                        "name": p.name,
                        "annual_plan": money(p.annual_plan),
                        "ytd": money(p.ytd),
                        "rate": pct(p.completion_rate),
                        "schedule": pct(p.time_schedule),
                        "light": str(p.light.label),
                        "progress": lines(p.report_progress or ""),
                    }
                    for p in section.projects
                ],
            }
        )
    number = document_number(
        meeting.region, "minutes", f"meeting:{meeting.pk}", meeting.date.year, issue
    )
    return _common(period, meeting.region, number) | {
        "meeting": {
            "title": str(meeting),
            "date": chinese_date(meeting.date),
            "venue": meeting.venue,
            "chair": meeting.chair,
            # Empty when not recorded, so that the template leaves the phrase out.
            "attendees": lines(meeting.attendees) if meeting.attendees.strip() else "",
        },
        "figures": figures(packet["total"], period),
        "sections": sections,
        "decisions": lines(meeting.minutes or _("(none recorded)")),
        "problems": [problem_row(p) for p in packet["raised"]],
        "carried_over": [problem_row(p) for p in packet["earlier_open"]],
    }


def _movement(entry):
    if entry.movement is None:
        return "—"
    if entry.movement > 0:
        return f"↑{entry.movement}"
    return f"↓{-entry.movement}" if entry.movement < 0 else "="


def bulletin_context(period, region, issue=False):
    """The variables of 月度通报: the figures, the ranking, the red-light projects with their
    reasons, the overdue problems and the projects not reported on time (none before the
    month's due date: the packet's rule, reports_late_at, as of today)."""
    as_of = period.as_of
    today = timezone.localdate()
    projects = Project.objects.in_region(region)
    _rows, total = projects.summary(period)
    ranked = ranking(period, projects, today=today)
    red = (
        projects.with_stored_progress(period)
        .filter(light_rank=Light.RED.rank)
        .select_related("lead_official")
        .order_by("code")
    )
    late = {}
    for project, _liaisons, submitted_on, days in reports_late_at(projects, period, today):
        official = project.lead_official.name if project.lead_official else _("No lead official")
        late.setdefault(official, []).append(
            _("%(name)s (in %(days)s days late)") % {"name": project.name, "days": days}
            if submitted_on
            else _("%(name)s (not reported, %(days)s days late)")
            % {"name": project.name, "days": days}
        )
    overdue = (
        Problem.objects.in_region(region)
        .with_overdue(as_of)
        .filter(is_overdue=True)
        .select_related("project", "responsible_unit")
        .order_by("-escalation", "deadline", "pk")
    )
    number = document_number(region, "bulletin", f"bulletin:{period.key}", today.year, issue)
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
        **{
            name: [
                {
                    "rank": entry.rank,
                    "name": entry.name,
                    "score": str(entry.score),
                    "movement": _movement(entry),
                }
                for entry in entries
            ]
            for name, entries in (
                ("officials", ranked.officials),
                ("zones", ranked.zones),
                ("units", ranked.units),
            )
        },
        "red_projects": [
            {
                "name": p.name,
                "official": p.lead_official.name if p.lead_official else "",
                "reason": str(p.light_reason),
            }
            for p in red
        ],
        "overdue_problems": [problem_row(p) for p in overdue],
        "late_reporters": [
            {"official": official, "projects": "、".join(names)} for official, names in late.items()
        ],
    }


def frozen(context):
    """`context` as JSON, to be kept with a held meeting: text as it is, a multi-line field
    as the document's own escaped text (so that it comes back exactly)."""
    if isinstance(context, Listing):
        return {"__lines__": context.xml}
    if isinstance(context, dict):
        return {key: frozen(value) for key, value in context.items()}
    if isinstance(context, list | tuple):
        return [frozen(value) for value in context]
    if context is None or isinstance(context, bool | int | str):
        return context
    return str(context)


def thawed(data):
    """The context `frozen` kept, ready to fill the document again."""
    if isinstance(data, dict):
        if set(data) == {"__lines__"}:
            listing = Listing.__new__(Listing)
            listing.xml = data["__lines__"]
            return listing
        return {key: thawed(value) for key, value in data.items()}
    if isinstance(data, list):
        return [thawed(value) for value in data]
    return data


def _render(data, context):
    return sandbox.fill(data, context, finalize=_clean)


def why(error):
    """The Chinese reason a template failed, naming the variable, the tag or the limit."""
    if isinstance(error, docx_file.Refused):
        return error.reason
    if isinstance(error, sandbox.LimitExceeded):
        return _(
            "filling it goes past the limits of a document (%(steps)s loop turns, macros "
            "%(depth)s deep, %(size)s MB of text)"
        ) % {
            "steps": sandbox.MAX_STEPS,
            "depth": sandbox.MAX_DEPTH,
            "size": sandbox.MAX_TEXT // docx_file.MB,
        }
    if isinstance(error, SecurityError):
        name = getattr(error, "name", None)
        if name is None:
            match = re.search(r"attribute '([^']+)'", str(error))
            name = match.group(1) if match else "?"
        return _("it uses “%(name)s”, which a Word template may not use") % {"name": name}
    if isinstance(error, UndefinedError):
        match = re.search(r"'([^']+)' is undefined|attribute '([^']+)'", str(error))
        name = next((group for group in match.groups() if group), "") if match else ""
        return _("it uses the variable “%(name)s”, which this document does not have") % {
            "name": name
        }
    if isinstance(error, TemplateError):
        line = getattr(error, "lineno", None)
        return _("a tag is malformed (near line %(line)s of the document's text)") % {
            "line": line or "?"
        }
    if isinstance(error, ZeroDivisionError):
        return _("a tag divides by zero with this document's figures")
    if isinstance(error, zipfile.BadZipFile | KeyError | etree.XMLSyntaxError):
        return _("it is not a Word document (.docx) that can be read")
    return _("a tag cannot be computed with this document's figures")


def sample_context(kind, region):
    """The context of `region`'s latest meeting's minutes (of a region beneath it for a
    region above districts), or of its latest month's bulletin."""
    if kind == "minutes":
        meeting = Meeting.objects.in_region(region).order_by("-date").first()
        return minutes_context(meeting) if meeting else None
    return bulletin_context(MonthlyReport.objects.latest_period(), region)


def try_template(kind, data, region):
    """Why the template in `data` cannot fill `region`'s document, in Chinese, or None."""
    context = sample_context(kind, region)
    try:
        if context is None:
            sandbox.check(data)
        else:
            _render(data, context)
    except Exception as error:  # the template is a program from outside: anything may fail
        return why(error)
    return None


def render(kind, context, region):
    """(bytes of `region`'s document, the Chinese problem with the office's template or
    None): filled in the region's own template, or the nearest above it, or the default."""
    default = (DEFAULTS / f"{kind}.docx").read_bytes()
    uploaded = DocumentTemplate.for_region(kind, region)
    if uploaded is None:
        return _render(default, context), None
    try:
        with uploaded.file.open("rb") as handle:
            return _render(handle.read(), context), None
    except Exception as error:  # whatever the office's template does, the default is used
        logger.info("The office's %s template was not used", kind, exc_info=True)
        problem = _(
            "The office's template for %(document)s was not used: %(reason)s. The default "
            "template was used; correct the template in the administration."
        ) % {"document": uploaded.get_kind_display(), "reason": why(error)}
        return _render(default, context), problem
