"""The progress engine: completion, time schedule, gap and the pace light at its boundaries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import Light, Milestone, MonthlyReport, Project
from projects.progress.period import Period
from tests.conftest import make_project, milestone, plan, report

pytestmark = pytest.mark.django_db

JUNE = Period(2013, 6)  # time schedule 50.00 %, as of 2013-06-30


def progress(project, period=JUNE):
    return Project.objects.with_progress(period).get(pk=project.pk)


def on_pace(zone, code, ytd, annual="10000.00"):
    project = make_project(zone, code)
    plan(project, 2013, annual)
    report(project, 2013, 6, ytd)
    return project


@pytest.mark.parametrize(
    "ytd, rate, gap, light",
    [
        ("4001.00", "40.01", "9.99", Light.GREEN),
        ("4000.00", "40.00", "10.00", Light.YELLOW),
        ("2000.00", "20.00", "30.00", Light.YELLOW),
        ("1999.00", "19.99", "30.01", Light.RED),
    ],
)
def test_light_at_gap_boundaries(zone, ytd, rate, gap, light):
    """Below 10 points behind is green, 10 to 30 yellow, more than 30 red."""
    row = progress(on_pace(zone, "G", ytd))
    assert row.completion_rate == Decimal(rate)
    assert row.time_schedule == Decimal("50.00")
    assert row.gap == Decimal(gap)
    assert row.light == light


@pytest.mark.parametrize(
    "days_overdue, light",
    [(0, Light.GREEN), (1, Light.YELLOW), (30, Light.YELLOW), (31, Light.RED)],
)
def test_light_at_milestone_delay_boundaries(zone, days_overdue, light):
    """A milestone overdue 1-30 days at the as-of date is yellow, more than 30 red."""
    project = on_pace(zone, "M", "5000.00")
    milestone(project, "开工", JUNE.as_of - datetime.timedelta(days=days_overdue))
    row = progress(project)
    assert row.light == light
    assert row.overdue_milestones == (1 if days_overdue else 0)
    assert row.max_delay == (days_overdue or None)


def test_milestone_done_late_keeps_its_delay_but_is_not_overdue(zone):
    project = on_pace(zone, "L", "5000.00")
    done = milestone(project, "开工", datetime.date(2013, 3, 1), actual=datetime.date(2013, 3, 20))
    row = progress(project)
    assert row.light == Light.GREEN
    assert row.overdue_milestones == 0
    assert done.delay_at(JUNE.as_of) == 19
    assert done.status_at(JUNE.as_of) == done.State.LATE


def test_milestone_done_after_the_as_of_date_was_overdue_then(zone):
    """Looking back at June, a milestone reached in July counts as overdue in June."""
    project = on_pace(zone, "A", "5000.00")
    milestone(project, "开工", datetime.date(2013, 5, 1), actual=datetime.date(2013, 7, 10))
    row = progress(project)
    assert row.overdue_milestones == 1
    assert row.max_delay == 60
    assert row.light == Light.RED


def test_no_annual_plan_leaves_rate_empty_and_milestones_decide(zone):
    project = make_project(zone, "N")
    report(project, 2013, 6, "800.00")
    row = progress(project)
    assert row.annual_plan is None
    assert row.completion_rate is None and row.gap is None
    # Nothing to judge the pace by: 无计划 (grey), not a green 正常.
    assert row.light == Light.NONE
    assert "无法判断" in str(row.light_reason)
    milestone(project, "开工", datetime.date(2013, 5, 1))
    assert progress(project).light == Light.RED
    Milestone.objects.filter(project=project).update(planned_date=datetime.date(2013, 12, 1))
    assert progress(project).light == Light.GREEN  # a milestone on time: judged by it


def test_no_plan_is_counted_grey_everywhere(zone, client, office_user):
    """The dashboard, the summary and the workbook count 无计划 apart from 正常."""
    make_project(zone, "G")
    plan(make_project(zone, "P"), 2013, "1200.00")
    rows, total = Project.objects.summary(2013, 6)
    assert (total["none"], total["count"]) == (1, 2)
    assert total["none"] + total["green"] + total["yellow"] + total["red"] == total["count"]
    client.force_login(office_user)
    page = client.get("/", {"year": 2013, "month": 6}).content.decode()
    assert "light-none" in page and "light=none" in page
    listed = client.get("/projects/", {"year": 2013, "month": 6, "light": "none"})
    assert [p.code for p in listed.context["table"].data] == ["G"]


def test_month_without_report_counts_nothing_for_that_month(zone):
    project = make_project(zone, "R")
    plan(project, 2013, "1200.00")
    for month in range(1, 5):
        report(project, 2013, month, "100.00")
    row = progress(project, Period(2013, 5))
    assert row.month_amount == Decimal("0.00")
    assert row.ytd == Decimal("400.00")
    assert row.completion_rate == Decimal("33.33")
    assert row.gap == Decimal("8.34")


def test_cumulative_counts_earlier_years_but_not_later_months(zone):
    project = on_pace(zone, "C", "500.00")
    report(project, 2012, 12, "3000.00")
    report(project, 2013, 7, "999.00")
    row = progress(project)
    assert row.ytd == Decimal("500.00")
    assert row.cumulative == Decimal("3500.00")


def test_project_starting_mid_year_is_judged_from_its_start(zone):
    """A linear plan that starts in July is due from July: nothing is behind in June, and in
    September a third of the plan is due (3 of 6 months: 50.00 %)."""
    project = make_project(zone, "S", planned_start=datetime.date(2013, 7, 1))
    plan(project, 2013, "6000.00")
    row = progress(project)
    assert (row.time_schedule, row.completion_rate, row.gap) == (Decimal("0.00"),) * 3
    assert row.light == Light.GREEN
    report(project, 2013, 7, "500.00")
    july = progress(project, Period(2013, 7))
    assert july.time_schedule == Decimal("16.67")  # 1 of 6 months
    assert july.planned_to_date == Decimal("1000.00")
    assert july.gap == Decimal("8.34") and july.light == Light.GREEN
    september = progress(project, Period(2013, 9))
    assert september.time_schedule == Decimal("50.00")
    assert september.light == Light.RED  # 500 of 6000 is 8.33 %, 41.67 points behind


def test_month_in_progress_is_judged_at_today(zone):
    today = timezone.localdate()
    period = Period(today.year, today.month)
    assert period.as_of == today
    project = make_project(zone, "T")
    milestone(project, "今天到期", today)
    assert progress(project, period).light == Light.GREEN
    milestone(project, "昨天到期", today - datetime.timedelta(days=1))
    row = progress(project, period)
    assert (row.light, row.max_delay) == (Light.YELLOW, 1)


def test_next_milestone_is_the_earliest_not_done(zone):
    project = on_pace(zone, "X", "5000.00")
    milestone(project, "征迁完成", datetime.date(2013, 3, 1), actual=datetime.date(2013, 3, 1))
    milestone(project, "开工", datetime.date(2013, 8, 1))
    milestone(project, "封顶", datetime.date(2014, 8, 1))
    row = progress(project)
    assert (row.next_milestone, row.next_milestone_date) == ("开工", datetime.date(2013, 8, 1))


def test_problem_counts_open_and_overdue(demo):
    """The demo's problems: 动漫产业园's deadline passed on 2013-05-30, 丹尼斯's is in June."""
    rows = {p.code: p for p in Project.objects.with_progress(2013, 5)}
    assert (rows["JF2013-002"].open_problems, rows["JF2013-002"].overdue_problems) == (1, 1)
    assert (rows["JF2013-005"].open_problems, rows["JF2013-005"].overdue_problems) == (1, 0)
    assert rows["JF2013-008"].open_problems == 0  # solved on the spot and closed


def test_summary_totals_equal_the_sum_of_the_rows(demo):
    rows = list(Project.objects.with_progress(2013, 5))
    zones, total = Project.objects.summary(2013, 5)
    assert total["count"] == len(rows) == sum(z["count"] for z in zones)
    for key in ("total_investment", "ytd", "cumulative"):
        assert total[key] == sum(getattr(r, key) for r in rows)
    assert total["annual_plan"] == sum(r.annual_plan or 0 for r in rows)
    lights = [r.light for r in rows]
    assert (total["green"], total["yellow"], total["red"]) == (
        lights.count(Light.GREEN),
        lights.count(Light.YELLOW),
        lights.count(Light.RED),
    )
    assert total["completion_rate"] == Decimal("34.56")  # 54,600 / 158,000


def test_thresholds_are_settings(zone, settings):
    settings.JIEFANG_LIGHT_YELLOW_GAP = 5
    assert progress(on_pace(zone, "S5", "4400.00")).light == Light.YELLOW


def test_period_defaults_to_the_latest_reported_month(zone):
    project = make_project(zone, "D")
    report(project, 2013, 4, "1.00")
    report(project, 2012, 11, "1.00")
    assert MonthlyReport.objects.latest_period() == Period(2013, 4)


def test_no_time_schedule_without_a_plan_and_zero_before_the_start(client, zone, office_user):
    """Without a plan for the year 序时进度 is “—” like the completion rate, for the project and
    for a total with no plan, on every page, in Excel and in Word; a project with a plan that
    starts after the month has 0.00 for both, everywhere."""
    import io

    import openpyxl
    from django.urls import reverse

    from projects.exchange.workbook import progress_workbook
    from projects.meetings.documents import minutes_context
    from projects.models import Meeting, Official

    october = Period(2013, 10)
    lone, starting = (Official.objects.create(name=n) for n in ("无计划领导", "未开工领导"))
    unplanned = make_project(zone, "N-1", lead_official=lone, status="to_start")
    later = make_project(
        zone,
        "N-2",
        lead_official=starting,
        status="to_start",
        planned_start=datetime.date(2014, 3, 1),
    )
    plan(later, 2013, "1200.00")
    expected = {unplanned.pk: (None, None), later.pk: (Decimal("0.00"), Decimal("0.00"))}
    for rows in (
        Project.objects.with_progress(october),
        Project.objects.with_stored_progress(october),
    ):
        assert {p.pk: (p.completion_rate, p.time_schedule) for p in rows} == expected
    groups, _total = Project.objects.filter(zone=zone).summary(october, by="lead_official")
    totals = {g["lead_official"]: (g["completion_rate"], g["time_schedule"]) for g in groups}
    assert totals == {lone.pk: (None, None), starting.pk: (Decimal("0.00"), Decimal("0.00"))}

    client.force_login(office_user)
    for project, shown in ((unplanned, "—"), (later, "0.00")):
        page = client.get(project.get_absolute_url(), {"year": 2013, "month": 10})
        assert f"序时进度（%）</span><strong>{shown}</strong>" in page.content.decode()
        official = client.get(
            reverse("projects:official_detail", args=[project.lead_official_id]),
            {"year": 2013, "month": 10},
        )
        assert f"序时进度（%）</span><strong>{shown}</strong>" in official.content.decode()

    sheet = openpyxl.load_workbook(io.BytesIO(progress_workbook(october)))["进展情况"]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=5) if isinstance(r[0].value, int)}
    assert [rows[unplanned.name][i].value for i in (8, 9)] == [None, None]
    assert [rows[later.name][i].value for i in (8, 9)] == [0, 0]

    meeting = Meeting.objects.create(
        year=2013, month=10, number=10, date=datetime.date(2013, 11, 5)
    )
    minutes = {
        row["name"]: (row["rate"], row["schedule"])
        for section in minutes_context(meeting)["sections"]
        for row in section["projects"]
    }
    assert minutes == {unplanned.name: ("—", "—"), later.name: ("0.00", "0.00")}
