"""The demo register brought to the present, so that `make run` opens on a living register.

The article's story stands at the end of May 2013: reports through May, the meeting of May 28,
problems due around it, milestones just reached or coming. Brought to today, last month plays
the story's May:

- plans and reports move to last month's year; the months after May are reported at each
  project's own pace (its January–May completion against its monthly plan), those after last
  month removed; this month is reported for every other project of each lead official;
- the meeting reviews last month; it, the problems, the milestones and the projects' dates
  keep their distance in days from "now" (deadlines a day past, ten and twenty days ahead).

`setup_demo --year 2013` keeps the story where the article put it.
"""

import datetime
import json
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.db.models import F, Sum
from django.utils import timezone

from projects.models import (
    AnnualPlan,
    FactorNeed,
    Meeting,
    Milestone,
    MonthlyPlan,
    MonthlyReport,
    Problem,
    Project,
    ScoreRule,
    Stage,
    StageChange,
    StatsFigure,
    clear_progress,
)
from projects.progress.period import Period

from . import city_demo

STORY = Period(2013, 5)
STORY_NOW = datetime.date(2013, 5, 31)
PROJECT_DATES = ["planned_start", "planned_completion", "actual_start", "actual_completion"]
MILESTONE_DATES = ["baseline_date", "planned_date", "actual_date"]


@cache
def demo_codes():
    """The codes of the demo's projects: fixtures/demo.json's, and the city demo's second
    district's (setup_demo --city)."""
    with open(settings.BASE_DIR / "fixtures" / "demo.json", encoding="utf-8") as handle:
        return city_demo.CODES | frozenset(
            row["fields"]["code"] for row in json.load(handle) if row["model"] == "projects.project"
        )


def load_demo():
    """fixtures/demo.json, model by model in bulk: what `loaddata demo` writes, without its
    row-at-a-time UPDATE-then-INSERT (the demo is loaded into an empty register, so every row
    is new). The progress table is forgotten once afterwards, as after any bulk write."""
    with open(settings.BASE_DIR / "fixtures" / "demo.json", encoding="utf-8") as handle:
        rows = list(serializers.deserialize("json", handle))
    models = {}
    for row in rows:
        models.setdefault(type(row.object), []).append(row.object)
    for model, objects in models.items():  # the fixture lists a row's targets before it
        model.objects.bulk_create(objects)
    for row in rows:
        for name, values in row.m2m_data.items():
            getattr(row.object, name).set(values)
    connection = connections[router.db_for_write(Project)]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
    clear_progress()


def holds_a_real_register(also=()):
    """True when the register holds a project that is neither the demo's nor one of `also`'s
    code prefixes (the load test's own LT- projects)."""
    real = Project.objects.exclude(code__in=demo_codes())
    for prefix in also:
        real = real.exclude(code__startswith=prefix)
    return real.exists()


@transaction.atomic
def bring_to_today(today=None):
    """Move the freshly loaded demo story to `today` (see the module's docstring)."""
    today = today or timezone.localdate()
    last = Period(today.year, today.month).shifted(-1)
    years = last.year - STORY.year
    AnnualPlan.objects.update(year=F("year") + years)
    MonthlyReport.objects.update(year=F("year") + years)
    StatsFigure.objects.update(year=F("year") + years)
    days = datetime.timedelta(days=(today - STORY_NOW).days)
    started = _started_in_reports_year(years, days)
    _move_dates(Project, PROJECT_DATES, days)
    Project.objects.bulk_update(started, ["planned_start", "actual_start"])
    _move_dates(StageChange, ["on"], days)
    # A start stays on the project's start day (moved by whole years, as the reports).
    starts = {project.pk: project.actual_start for project in started}
    changes = list(StageChange.objects.filter(project__in=starts, to_stage=Stage.NEW_START))
    for change in changes:
        change.on = starts[change.project_id]
    StageChange.objects.bulk_update(changes, ["on"])
    _move_dates(Milestone, MILESTONE_DATES, days)
    _move_dates(Problem, ["deadline", "closed_at"], days)
    # 考核办法 move by whole years, as the reports: a rule from the story's April 1st is
    # in force from April 1st of the reports' year.
    rules = list(ScoreRule.objects.all())
    for rule in rules:
        rule.valid_from = rule.valid_from.replace(year=rule.valid_from.year + years)
    ScoreRule.objects.bulk_update(rules, ["valid_from"])
    _move_dates(FactorNeed, ["deadline", "met_on"], days)
    _move_stats_months(last)
    Meeting.objects.update(date=F("date") + days, year=last.year, month=last.month)
    # The meeting that reviews last month is the year's meeting of that month, as in the story.
    for meeting in Meeting.objects.all():
        meeting.number = last.month
        meeting.title = meeting.title.replace(
            f"{STORY.year}年第{STORY.month}次", f"{last.year}年第{last.month}次"
        )
        meeting.save(update_fields=["number", "title"])
    reports = list(MonthlyReport.objects.all())
    for report in reports:
        report.submitted_at = _submitted(Period(report.year, report.month), today)
    MonthlyReport.objects.bulk_update(reports, ["submitted_at"])
    # Each project's pace, from the story's months that last month's year has reached.
    pace = _pace(last.year, range(1, min(STORY.month, last.month) + 1))
    MonthlyReport.objects.filter(year=last.year, month__gt=last.month).delete()
    StatsFigure.objects.filter(year=last.year, month__gt=last.month).delete()
    months = range(STORY.month + 1, last.month + 1)
    this_month = [] if today.month == 1 else [today.month]
    _report_at_pace(last.year, pace, months, this_month, today)
    clear_progress()  # the moves above are set-based: pages rebuild the table when read


def _started_in_reports_year(years, days):
    """The started projects with their start dates moved as the reports are (by whole years,
    so a project started in the story's March starts in March of the reports' year), but never
    later than the day-for-day move (never in the future)."""
    started = list(Project.objects.filter(actual_start__isnull=False))
    for project in started:
        for name in ("planned_start", "actual_start"):
            value = getattr(project, name)
            if value is not None:
                by_year = value.replace(year=value.year + years, day=min(value.day, 28))
                setattr(project, name, min(by_year, value + days))
    return started


def _move_stats_months(last):
    """The months projects entered the statistics keep their distance in months from the
    story's May (to last month)."""
    shift = (last.year - STORY.year) * 12 + last.month - STORY.month
    projects = list(Project.objects.filter(stats_month__isnull=False))
    for project in projects:
        index = project.stats_month.year * 12 + project.stats_month.month - 1 + shift
        project.stats_month = datetime.date(index // 12, index % 12 + 1, 1)
    Project.objects.bulk_update(projects, ["stats_month"])


def _move_dates(model, names, days):
    """Each date (or time) field of `model` moved by `days`, in one UPDATE."""
    model.objects.update(**{name: F(name) + days for name in names})


def _submitted(period, today):
    """A report's submission time: the 3rd of the next month, or an hour ago for this month."""
    following = datetime.date(period.year + (period.month == 12), period.month % 12 + 1, 3)
    moment = datetime.datetime.combine(min(following, today), datetime.time(9))
    now = timezone.now()
    return min(timezone.make_aware(moment), now - datetime.timedelta(hours=1))


def _plans(year):
    """{project: {month: planned amount}} of the plans split by month."""
    plans = {}
    for month in MonthlyPlan.objects.filter(annual_plan__year=year).select_related("annual_plan"):
        plans.setdefault(month.annual_plan.project_id, {})[month.month] = month.amount
    return plans


def _pace(year, months):
    """{project: completed over planned in `months`} for the projects with a split plan."""
    done = dict(
        MonthlyReport.objects.filter(year=year, month__in=months)
        .values("project")
        .annotate(total=Sum("amount"))
        .values_list("project", "total")
    )
    pace = {}
    for project, plan in _plans(year).items():
        planned = sum((plan.get(m, 0) for m in months), Decimal(0))
        pace[project] = (done.get(project) or Decimal(0)) / planned if planned else Decimal(1)
    return pace


def _report_at_pace(year, pace, months, this_month, today):
    """Reports for `months` from every project with a plan split by month, and for this month
    from every other one, each at its own pace against the plan."""
    plans = _plans(year)
    texts = dict(
        MonthlyReport.objects.filter(year=year, month=STORY.month).values_list(
            "project", "physical_progress"
        )
    )
    reports = []
    seen = {}  # projects so far of each lead official: every other one has reported this month
    for project, lead in Project.objects.order_by("code").values_list("pk", "lead_official"):
        plan = plans.get(project)
        if not plan:
            continue
        index = seen[lead] = seen.get(lead, -1) + 1
        for month in [*months, *(this_month if index % 2 == 0 else [])]:
            reports.append(
                MonthlyReport(
                    project_id=project,
                    year=year,
                    month=month,
                    amount=(plan.get(month, Decimal(0)) * pace[project]).quantize(Decimal("0.01")),
                    physical_progress=texts.get(project, ""),
                    submitted_at=_submitted(Period(year, month), today),
                )
            )
    MonthlyReport.objects.bulk_create(reports)
