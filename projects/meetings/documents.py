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
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import Listing
from jinja2 import TemplateError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree

from projects.models import (
    DocumentNumber,
    DocumentTemplate,
    Escalation,
    Light,
    Official,
    Problem,
    Project,
)
from projects.models.base import clean_text
from projects.models.levels import meeting_level, of_level
from projects.templatetags.jiefang import money, pct

from . import docx_file, sandbox

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


def cap():
    """How many red projects, problems and officials a document names (the worst first)."""
    return max(settings.JIEFANG_DOCUMENT_NAMES, 1)


def light_reason(row):
    """Project.light_reason of a row read with values()."""
    return str(Project.light_reason.fget(SimpleNamespace(**row)))


REASON_FIELDS = (
    "light_rank",
    "gap",
    "completion_rate",
    "time_schedule",
    "overdue_milestones",
    "max_delay",
)
# The worst first: the widest gap behind the time schedule, then the longest delay.
WORST = (
    F("gap").desc(nulls_last=True),
    F("max_delay").desc(nulls_last=True),
    "code",
)


def counts(row):
    """A group's projects per light, as the documents say them."""
    return {name: row.get(name, 0) for name in ("count", "green", "yellow", "red", "none")}


def _more(total, named):
    return max(total - named, 0)


def meeting_projects(meeting):
    """The projects a meeting hears: its region's (a city's meeting its 市重点)."""
    projects = Project.objects.in_region(meeting.region)
    level = meeting_level(meeting.region)
    return projects.filter(of_level(level)) if level is not None else projects


def _official_heading(name, position):
    return f"{name} {position or ''}".strip() if name else _("No lead official")


def _project_row(p):
    return {
        "name": p["name"],
        "annual_plan": money(p["annual_plan"]),
        "ytd": money(p["ytd"]),
        "rate": pct(p["completion_rate"]),
        "schedule": pct(p["time_schedule"]),
        "light": str(Light.from_rank(p["light_rank"]).label),
        "progress": lines(p["report_progress"] or ""),
    }


def minutes_context(meeting, issue=False):
    """The variables of 会议纪要: the meeting, the region's figures, per lead official the
    counts, the projects (every one in a meeting of at most JIEFANG_DOCUMENT_FULL_LIST
    projects, else the red ones, the worst first, up to JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL) and the problems assigned,
    the decisions, the problems raised and those carried over (the most overdue first, up to
    the cap). Read with values(): nothing here grows faster than the rows it lists. `issue`
    gives the minutes their 发文字号 (a sample for a template check has none)."""
    period = meeting.period
    as_of = period.as_of
    limit = cap()
    per_official = max(settings.JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL, 1)
    projects = meeting_projects(meeting)
    _zones, total = projects.summary(period)
    official_rows, _total = projects.summary(period, by="lead_official")
    full = total["count"] <= settings.JIEFANG_DOCUMENT_FULL_LIST
    rows = projects.with_stored_progress(period)
    if not full:
        rows = rows.filter(light_rank=Light.RED.rank).annotate(
            place=Window(RowNumber(), partition_by=[F("lead_official")], order_by=WORST)
        )
        rows = rows.filter(place__lte=per_official)
    rows = rows.with_report_text(period).values(
        "lead_official",
        "name",
        "annual_plan",
        "ytd",
        "completion_rate",
        "time_schedule",
        "light_rank",
        "report_progress",
    )
    rows = rows.order_by("lead_official__name", "zone__order", "code") if full else rows
    listed = {}
    for row in rows:
        listed.setdefault(row["lead_official"], []).append(row)
    problems = Problem.objects.filter(project__in=projects.values("pk"))
    raised_by = dict(
        problems.filter(meeting=meeting)
        .values_list("project__lead_official")
        .annotate(n=Count("pk"))
        .order_by()
    )
    earlier = problems.open_at(as_of).filter(
        Q(meeting__isnull=True) | Q(meeting__date__lt=meeting.date)
    )
    open_by = dict(earlier.values_list("project__lead_official").annotate(n=Count("pk")).order_by())
    overdue_by = dict(
        earlier.overdue_at(as_of)
        .values_list("project__lead_official")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = {
        official["pk"]: official
        for official in Official.objects.filter(
            pk__in=[row["lead_official"] for row in official_rows if row["lead_official"]]
        ).values("pk", "name", "position")
    }
    sections = []
    for row in official_rows:
        key = row["lead_official"]
        official = names.get(key, {})
        projects_listed = listed.get(key, [])
        sections.append(
            {
                "sort": (official.get("name") is None, official.get("name") or ""),
                "heading": _official_heading(official.get("name"), official.get("position")),
                "counts": counts(row),
                "projects": [_project_row(p) for p in projects_listed],
                "more_red": _more(row["red"], len(projects_listed)) if not full else 0,
                "problems": {
                    "raised": raised_by.get(key, 0),
                    "open": open_by.get(key, 0),
                    "overdue": overdue_by.get(key, 0),
                },
            }
        )
    sections.sort(key=lambda section: section["sort"])
    for section in sections:
        del section["sort"]
    number = document_number(
        meeting.region, "minutes", f"meeting:{meeting.pk}", meeting.date.year, issue
    )
    problems = problems.with_overdue(as_of).select_related("project", "responsible_unit")
    raised = problems.filter(meeting=meeting).order_by("deadline", "pk")
    carried = problems.filter(pk__in=earlier.values("pk")).order_by("deadline", "pk")
    raised_count, carried_count = sum(raised_by.values()), sum(open_by.values())
    return _common(period, meeting.region, number) | {
        "meeting": {
            "title": str(meeting),
            "date": chinese_date(meeting.date),
            "venue": meeting.venue,
            "chair": meeting.chair,
            # Empty when not recorded, so that the template leaves the phrase out.
            "attendees": lines(meeting.attendees) if meeting.attendees.strip() else "",
        },
        "figures": figures(total, period),
        "sections": sections,
        "full_list": full,
        "names": per_official,
        "decisions": lines(meeting.minutes or _("(none recorded)")),
        "problems": [problem_row(p) for p in raised[:limit]],
        "problems_more": _more(raised_count, limit),
        "carried_over": [problem_row(p) for p in carried[:limit]],
        "carried_over_more": _more(carried_count, limit),
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


def fill(data, context):
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


def render(kind, context, region):
    """(bytes of `region`'s document, the Chinese problem with the office's template or
    None): filled in the region's own template, or the nearest above it, or the default."""
    default = (DEFAULTS / f"{kind}.docx").read_bytes()
    uploaded = DocumentTemplate.for_region(kind, region)
    if uploaded is None:
        return fill(default, context), None
    try:
        with uploaded.file.open("rb") as handle:
            return fill(handle.read(), context), None
    except Exception as error:  # whatever the office's template does, the default is used
        logger.info("The office's %s template was not used", kind, exc_info=True)
        problem = _(
            "The office's template for %(document)s was not used: %(reason)s. The default "
            "template was used; correct the template in the administration."
        ) % {"document": uploaded.get_kind_display(), "reason": why(error)}
        return fill(default, context), problem
