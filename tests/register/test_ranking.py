"""The monthly ranking (排名通报): the same figures as the engine, ties sharing a rank, the
boundaries (no projects, no reports), movement, the page and its export read back."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Official, Project
from projects.progress.period import Period
from projects.register.ranking import ranking, top_and_bottom
from tests.conftest import make_project, plan, report

pytestmark = pytest.mark.django_db

MAY = Period(2013, 5)


def test_scores_come_from_the_engines_figures(demo):
    result = ranking(MAY)
    rows, _total = Project.objects.filter(lead_official__isnull=False).summary(
        MAY, by="lead_official"
    )
    gaps = {row["lead_official"]: row["gap"] for row in rows}
    assert {e.key for e in result.officials} == set(gaps)
    for entry in result.officials:
        assert entry.scores["gap"] == min(Decimal(100), max(Decimal(0), 100 - gaps[entry.key]))
        figures = entry.figures
        # Of the projects that owe the month's report, not every project of the official.
        expected = Project.objects.filter(lead_official=entry.key).expected_to_report(MAY)
        assert figures["expected"] == expected.count()
        assert entry.scores["reports"] == round(
            Decimal(100) * figures["reported"] / figures["expected"], 2
        )
    scores = [e.score for e in result.officials]
    assert scores == sorted(scores, reverse=True)
    assert [e.rank for e in result.officials][0] == 1
    assert len(result.zones) == 4 and result.units  # units on their problems


def test_equal_scores_share_a_rank_and_an_official_without_projects_is_not_ranked(zone):
    first, second, third = (Official.objects.create(name=n) for n in ("甲", "乙", "丙"))
    Official.objects.create(name="没有项目的领导")
    for index, official in enumerate((first, second, third)):
        project = make_project(zone, f"T-{index}", lead_official=official)
        plan(project, 2013, "1200.00")
        report(project, 2013, 5, "500.00" if official != third else "100.00")
    entries = ranking(MAY).officials
    assert [(e.name, e.rank) for e in entries] == [("乙", 1), ("甲", 1), ("丙", 3)]
    assert "没有项目的领导" not in [e.name for e in entries]


def test_a_month_without_reports_ranks_on_what_exists_and_says_so(demo):
    result = ranking(Period(2013, 6))
    assert result.notes and "尚无填报" in str(result.notes[0])
    assert all("reports" not in e.scores for e in result.officials)
    assert all(e.score is not None for e in result.officials)


def test_movement_against_last_month(demo):
    may = {e.key: e for e in ranking(MAY).officials}
    april = {e.key: e.rank for e in ranking(Period(2013, 4), with_movement=False).officials}
    for key, entry in may.items():
        assert entry.previous_rank == april.get(key)
        if entry.previous_rank:
            assert entry.movement == april[key] - entry.rank


def test_red_and_black_lists_do_not_overlap(demo, settings):
    settings.JIEFANG_RANKING_TOP = 3
    entries = ranking(MAY).officials
    top, bottom = top_and_bottom(entries)
    assert top == entries[:3] and not set(map(id, top)) & set(map(id, bottom))
    assert bottom[-1] is entries[-1]


def test_the_page_and_its_export_agree_with_the_ranking(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:ranking"), {"year": 2013, "month": 5})
    html = response.content.decode()
    assert response.status_code == 200 and "红榜" in html and "黑榜" in html
    result = ranking(MAY)
    for entry in result.officials:
        assert entry.name in html
    export = client.get(reverse("projects:ranking"), {"year": 2013, "month": 5, "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["牵头领导", "功能区", "责任单位"]
    sheet = book["牵头领导"]
    assert [c.value for c in sheet[3]][:3] == ["名次", "名称", "得分"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == len(result.officials)
    for index, (row, entry) in enumerate(zip(rows, result.officials, strict=True), start=4):
        assert row[0] == entry.rank and row[1] == entry.name
        assert Decimal(str(row[2])) == entry.score
        assert row[3] is not None and Decimal(str(row[3])) == entry.scores["gap"]
        # 较上月 as arrows, as on the page and in the 通报, never 0/1/-1.
        assert row[7] == entry.movement_label and row[7][0] in "↑↓=—"
        # One number format per column: every score with two decimals, the rank whole.
        formats = [sheet.cell(index, column).number_format for column in range(1, 8)]
        assert formats[0] == "0" and set(formats[2:7]) == {"0.00"}


def test_the_page_runs_the_same_queries_for_few_or_many_officials(client, demo_users):
    from projects.models import Zone

    zone = Zone.objects.create(name="测试功能区", order=9)
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:ranking")

    def count():
        client.get(url, {"year": 2013, "month": 5})  # the months are in the progress table
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": 2013, "month": 5}).status_code == 200
        return len(queries)

    few = count()
    for index in range(20):
        official = Official.objects.create(name=f"新领导{index}")
        project = make_project(zone, f"Q-{index}", lead_official=official)
        plan(project, 2013, "100.00")
        report(project, 2013, 5, "10.00")
    assert count() == few


def test_the_packet_has_a_ranking_page(client, demo_users):
    from projects.models import Meeting

    client.force_login(User.objects.get(username="observer"))
    meeting = Meeting.objects.get(year=2013, number=5)
    html = client.get(reverse("projects:meeting_print", args=[meeting.pk])).content.decode()
    section = html[
        html.index('id="ranking"') : html.index("</section>", html.index('id="ranking"'))
    ]
    first = ranking(MAY).officials[0]
    assert "月度排名通报" in section and first.name in section and str(first.score) in section


def test_a_report_after_the_due_date_does_not_count_as_on_time(zone):
    """May 2013's reports were due on 5 June (the 3rd working day): one in on the 5th counts,
    one in on the 6th does not."""
    import datetime
    import zoneinfo

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert MAY.due_date == datetime.date(2013, 6, 5)
    on_time, late = (Official.objects.create(name=n) for n in ("按时", "迟报"))
    for index, (official, day) in enumerate(((on_time, 5), (late, 6))):
        project = make_project(
            zone, f"T-{index}", lead_official=official, status="under_construction"
        )
        plan(project, 2013, "1200.00")
        report(
            project,
            2013,
            5,
            "500.00",
            submitted_at=datetime.datetime(2013, 6, day, 23, 30, tzinfo=shanghai),
        )
    scores = {e.name: e.scores["reports"] for e in ranking(MAY).officials}
    assert scores == {"按时": Decimal(100), "迟报": Decimal(0)}


def entries_scoring(*scored):
    """Ranked entries with these (name, score) pairs, as ranking() ranks them."""
    from projects.register.ranking import _rank
    from projects.register.ranking_entries import Entry

    entries = [
        Entry(key=i, name=name, scores={"problems": Decimal(score)})
        for i, (name, score) in enumerate(scored)
    ]
    return _rank(entries, {"problems": Decimal(1)})


def test_a_red_list_needs_a_positive_score_and_a_lead(settings):
    """A unit scoring 0.00, or two sharing rank 1 with 0.00, is not on the 红榜 (it is on the
    黑榜); when everyone scores the same nobody leads; ties at the edge are all on, by name."""
    settings.JIEFANG_RANKING_TOP = 3
    top, bottom = top_and_bottom(entries_scoring(("区发改委", "0.00")))
    assert top == [] and [e.name for e in bottom] == ["区发改委"]
    top, bottom = top_and_bottom(entries_scoring(("乙局", "0.00"), ("甲局", "0.00")))
    assert top == [] and [(e.rank, e.name) for e in bottom] == [(1, "乙局"), (1, "甲局")]
    top, _bottom = top_and_bottom(entries_scoring(("甲", "80"), ("乙", "80"), ("丙", "80")))
    assert top == []
    top, bottom = top_and_bottom(
        entries_scoring(("丁", "90"), ("丙", "80"), ("乙", "80"), ("甲", "80"), ("戊", "10"))
    )
    assert [(e.rank, e.name) for e in top] == [(1, "丁"), (2, "丙"), (2, "乙"), (2, "甲")]
    assert [e.name for e in bottom] == ["戊"]
    top, _bottom = top_and_bottom(entries_scoring(("甲", "100"), ("乙", "0.00")))
    assert [e.name for e in top] == ["甲"]


def test_the_page_shows_no_unit_with_nothing_on_the_red_list(client, demo_users):
    """The ranking page's 红榜 of units holds no unit scoring 0.00."""
    from projects.models import Problem

    Problem.objects.filter(deadline__isnull=False).update(status="open", closed_at=None)
    client.force_login(User.objects.get(username="observer"))
    page = client.get(reverse("projects:ranking"), {"year": 2013, "month": 6}).context
    units = page["boards"][2]
    assert units[1] and all(entry.score == 0 for entry in units[1])
    assert units[2] == []  # nobody on the 红榜


def test_the_ranking_costs_the_same_queries_for_5_projects_as_for_25(client, demo_users):
    """More projects, each of its own official, some in on time, some late, some missing and
    some with problems, cost the ranking no query more; and 按时填报 never joins projects to
    their reports (it adds up the progress table's totals): the reports are read only to
    see whether the month has any."""
    import datetime
    import zoneinfo

    from projects.models import Problem, Zone

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    zone = Zone.objects.create(name="测试功能区", order=9)
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:ranking")

    def add(start, count):
        for index in range(start, start + count):
            official = Official.objects.create(name=f"规模领导{index:02d}")
            project = make_project(
                zone, f"S-{index:03d}", lead_official=official, status="under_construction"
            )
            plan(project, 2013, "1200.00")
            if index % 3 < 2:
                day = datetime.datetime(2013, 6, 4 + 3 * (index % 3), 9, tzinfo=shanghai)
                report(project, 2013, 5, "100.00", submitted_at=day)
            Problem.objects.create(
                project=project, description="需协调", deadline=datetime.date(2013, 5, 20)
            )

    def count():
        client.get(url, {"year": 2013, "month": 5})  # the months are in the progress table
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": 2013, "month": 5}).status_code == 200
        return queries

    add(0, 5)
    few = count()
    add(5, 20)
    many = count()
    assert len(many) == len(few)
    reading_reports = [q["sql"] for q in many if "projects_monthlyreport" in q["sql"]]
    assert len(reading_reports) == 2  # this month and last: any report at all?
    assert all("LIMIT 1" in sql for sql in reading_reports)


def test_a_problem_closed_on_its_deadline_in_beijing_time_is_in_time(zone):
    """A problem due on 20 May closed at 23:30 that day (Beijing time, 15:30 UTC) counts as
    closed by its deadline; one closed at 00:30 the next day does not."""
    import datetime
    import zoneinfo

    from projects.models import Problem

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    for name, closed in (
        ("当天", datetime.datetime(2013, 5, 20, 23, 30, tzinfo=shanghai)),
        ("次日", datetime.datetime(2013, 5, 21, 0, 30, tzinfo=shanghai)),
    ):
        project = make_project(zone, f"P-{name}", lead_official=Official.objects.create(name=name))
        Problem.objects.create(
            project=project,
            description="需协调",
            deadline=datetime.date(2013, 5, 20),
            status="closed",
            closed_at=closed,
        )
    result = ranking(MAY)
    scores = {
        e.name: (e.scores["problems"], e.figures["problems_on_time"]) for e in result.officials
    }
    assert scores == {"当天": (Decimal(100), 1), "次日": (Decimal(0), 0)}


def test_the_page_shows_fifty_places_a_table_and_the_download_has_all(client, demo_users):
    """With 60 officials ranked, the officials' table shows places 1–50 and the next page the
    other ten, its link keeping the month; the red and black lists and the Excel download
    stay whole."""
    import io

    import openpyxl

    from projects.models import Zone

    zone = Zone.objects.create(name="测试功能区", order=9)
    for index in range(56):  # with the demo's four: 60 officials
        official = Official.objects.create(name=f"排名领导{index:02d}")
        project = make_project(zone, f"Q-{index:03d}", lead_official=official)
        plan(project, 2013, "1200.00")
        report(project, 2013, 5, f"{index}.00")
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:ranking")
    first = client.get(url, {"year": 2013, "month": 5})
    officials = [entry.name for entry in ranking(MAY).officials]
    assert len(officials) == 60
    _title, page, _top, bottom = first.context["boards"][0]
    assert [e.name for e in page] == officials[:50] and bottom[-1].name == officials[-1]
    html = first.content.decode()
    assert 'href="?year=2013&amp;month=5&amp;page=2#ranking-1"' in html
    second = client.get(url, {"year": 2013, "month": 5, "page": 2})
    assert [e.name for e in second.context["boards"][0][1]] == officials[50:]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"year": 2013, "month": 5, "export": "xlsx"}).content)
    )
    names = [row[1] for row in book["牵头领导"].iter_rows(min_row=4, values_only=True)]
    assert names == officials


def test_movement_is_from_the_places_printed_at_last_months_held_meeting(zone):
    """Once April's meeting is held, May's 较上月 starts from April's ranking as printed (the
    places announced then, and shown on April's page ever after), even when a late
    correction to April's figures would rank April otherwise today."""
    import datetime

    from projects.meetings import record
    from projects.models import Meeting

    ahead, behind = (Official.objects.create(name=n) for n in ("领先", "落后"))
    reports = {}
    for index, official in enumerate((ahead, behind)):
        project = make_project(zone, f"T-{index}", lead_official=official)
        plan(project, 2013, "1200.00")
        reports[official] = report(project, 2013, 4, "390.00" if official == ahead else "100.00")
        report(project, 2013, 5, "100.00")
    april = Period(2013, 4)
    projects = Project.objects.in_region(zone.region)
    printed = {e.name: e.rank for e in ranking(april, projects).officials}
    assert printed == {"领先": 1, "落后": 2}
    meeting = Meeting.objects.create(
        region=zone.region, year=2013, month=4, number=4, date=datetime.date(2013, 5, 10)
    )
    record.freeze(meeting)
    late = reports[behind]
    late.amount = Decimal("900.00")
    late.save()
    now = {e.name: e.rank for e in ranking(april, projects, with_movement=False).officials}
    assert now == {"领先": 2, "落后": 1}  # April as it would rank today

    may = {e.name: e for e in ranking(MAY, projects).officials}
    assert {name: e.previous_rank for name, e in may.items()} == printed
    # Without a held meeting (a set of projects that is no district's register), the month
    # before is ranked as it stands.
    some = {e.name: e for e in ranking(MAY, projects.filter(code__startswith="T-")).officials}
    assert {name: e.previous_rank for name, e in some.items()} == now


def test_the_summary_counts_reports_as_the_report_counts_do(demo):
    """The ranking's reports on time come with each group's figures (one read, not two):
    the same numbers report_counts() gives, for the whole register and for some projects."""
    for projects in (Project.objects.all(), Project.objects.filter(status="under_construction")):
        for by in ("zone", "lead_official"):
            counts = projects.report_counts(MAY, by=by)
            rows, total = projects.summary(MAY, by=by)
            for row in rows:
                expected, _missing, on_time = counts.get(row[by], (0, 0, 0))
                assert (row["reports_expected"], row["reports_on_time"]) == (expected, on_time)
            assert total["reports_expected"] == sum(c[0] for c in counts.values()) > 0
            brief, _total = projects.summary(MAY, by=by, brief=True)
            brief = sorted(brief, key=lambda row: row[by])
            full = sorted(rows, key=lambda row: row[by])
            assert [{name: row[name] for name in brief[0]} for row in full] == brief
            # Read brief with their names (this month's board), each group's own name.
            named, _total = projects.summary(MAY, by=by, brief=True, named=True)
            assert sorted((row[by], row["name"]) for row in named) == sorted(
                (row[by], row[f"{by}__name"]) for row in full
            )
