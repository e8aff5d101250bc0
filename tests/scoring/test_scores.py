"""考核评分: the rules in force for a period (its first day decides), a score that checks by
hand from its measures, the measures agreeing with the engine, the page and its workbook
agreeing cell by cell, and a query count that does not grow with the rows."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Official, Project, Region, ScoreRule, Zone
from projects.progress.period import Period, quantize
from projects.scoring.measures import REGISTRY, Window
from projects.scoring.scores import score_table
from tests.conftest import make_project, plan, report

pytestmark = pytest.mark.django_db

Q2 = Window.quarter(2013, 2)
AFTER_Q2 = datetime.date(2013, 7, 20)  # every report of the quarter due by then
APRIL_1 = datetime.date(2013, 4, 1)


@pytest.fixture
def register(demo):
    """The demo register without its 考核办法: each test sets its own."""
    ScoreRule.objects.all().delete()


def rule(measure, weight, since=APRIL_1, period="quarter", region=None):
    return ScoreRule.objects.create(
        measure=measure,
        weight=weight,
        valid_from=since,
        period=period,
        region=region or Region.objects.single_district(),
    )


def in_force(window, period="quarter"):
    region = Region.objects.single_district()
    return {(r.measure, r.weight) for r in ScoreRule.objects.in_force(region, period, window.start)}


def test_a_rule_valid_from_the_quarters_first_day_applies_to_it(db):
    """A rule from April 1st judges the second quarter; one from April 2nd only the third;
    the first quarter, before any rule, has none."""
    rule("gap", 60)
    rule("gap", 40, since=datetime.date(2013, 4, 2))
    assert in_force(Q2) == {("gap", 60)}
    assert in_force(Window.quarter(2013, 3)) == {("gap", 40)}
    assert in_force(Window.quarter(2013, 1)) == set()
    # Months are judged by their own first day, and monthly rules only.
    assert in_force(Window.month(Period(2013, 4)), "month") == set()


def test_a_later_set_of_rules_replaces_the_earlier_whole(db):
    """A 考核办法 is the rules sharing a valid_from: a measure left out of the later set is
    no longer scored, and the earlier quarters keep theirs."""
    rule("gap", 50, since=datetime.date(2013, 1, 1))
    rule("reports", 50, since=datetime.date(2013, 1, 1))
    rule("gap", 100, since=datetime.date(2013, 7, 1))
    assert in_force(Q2) == {("gap", 50), ("reports", 50)}
    assert in_force(Window.quarter(2013, 3)) == {("gap", 100)}


def test_a_quarter_before_any_rule_has_no_scores(register):
    rule("gap", 100, since=datetime.date(2013, 7, 1))
    table = score_table(Q2, Project.objects.all(), today=AFTER_Q2)
    assert table.rules == [] and table.boards == []


def check_by_hand(score):
    """A score is the sum of its measures' weighted points, each points × weight ÷ the
    weights of the measures that apply, rounded to cents."""
    applied = sum(line.weight for line in score.lines if line.points is not None)
    for line in score.lines:
        if line.points is None:
            assert line.weighted is None
        else:
            assert line.weighted == quantize(line.points * line.weight / applied)
    assert score.total == sum(line.weighted for line in score.lines if line.weighted is not None)


def test_each_score_checks_by_hand_and_a_weight_of_0_counts_for_nothing(register):
    for measure, weight in (("gap", 40), ("completion", 30), ("reports", 20), ("overdue", 10)):
        rule(measure, weight)
    rule("lights", 0)
    table = score_table(Q2, Project.objects.all(), today=AFTER_Q2)
    boards = {kind: scores for kind, _title, scores in table.boards}
    assert list(boards) == ["unit", "official"]  # one district: no districts board
    officials = boards["official"]
    assert len(officials) == 4
    for score in [*officials, *boards["unit"]]:
        check_by_hand(score)
    for score in officials:
        lines = {line.measure: line for line in score.lines}
        assert lines["lights"].points is not None and lines["lights"].weighted == 0
        # Every measure applies to an official: the weights add up to 100.
        assert score.total == sum(quantize(line.points * line.weight / 100) for line in score.lines)
    # Units are judged on their problems only: 逾期问题 alone, at 100 % of the weight.
    for score in boards["unit"]:
        (overdue,) = [line for line in score.lines if line.points is not None]
        assert overdue.measure == "overdue" and score.total == overdue.points
    totals = [score.total for score in officials]
    assert totals == sorted(totals, reverse=True) and officials[0].rank == 1


def test_the_measures_are_the_engines_figures(register):
    for measure in ("completion", "gap", "reports", "problems", "supervised"):
        rule(measure, 20)
    table = score_table(Q2, Project.objects.all(), today=AFTER_Q2)
    officials = dict(
        (score.key, {line.measure: line for line in score.lines})
        for kind, _title, scores in table.boards
        if kind == "official"
        for score in scores
    )
    rows, _total = Project.objects.all().summary(Period(2013, 6), by="lead_official")
    owed = {}
    for month in (4, 5, 6):
        for key, (expected, _missing, on_time) in (
            Project.objects.all().report_counts(Period(2013, month), by="lead_official").items()
        ):
            before = owed.get(key, (0, 0))
            owed[key] = (before[0] + expected, before[1] + on_time)
    for row in rows:
        lines = officials[row["lead_official"]]
        assert lines["completion"].value == row["completion_rate"]
        assert lines["gap"].points == quantize(min(100, max(0, 100 - row["gap"])))
        expected, on_time = owed[row["lead_official"]]
        assert lines["reports"].detail == f"{on_time}/{expected}"


def test_the_page_and_the_workbook_agree_cell_by_cell(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:scores")
    response = client.get(url, {"year": 2013, "quarter": 2})
    html = response.content.decode()
    table = response.context["table"]
    assert "季度考核评分" in html and "2013年第2季度" in html and "2013-04-01" in html
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"year": 2013, "quarter": 2, "export": "xlsx"}).content)
    )
    assert book.sheetnames == ["责任单位", "牵头领导"]
    for kind, _title, scores in table.boards:
        sheet = book[{"unit": "责任单位", "official": "牵头领导"}[kind]]
        assert "2013年第2季度" in sheet["A2"].value
        assert [c.value for c in sheet[4]][:4] == ["名次", "名称", "得分", "考核项"]
        rows = iter(sheet.iter_rows(min_row=5, values_only=True))
        for score in scores:
            assert f'data-key="{score.key}"' in html and score.name in html
            for line in score.lines:
                rank, name, total, label, value, _unit, _detail, points, weight, weighted = next(
                    rows
                )
                assert (rank, name, label) == (score.rank, score.name, str(line.label))
                assert Decimal(str(total)) == score.total
                assert weight == line.weight
                for cell, figure in ((value, line.value), (points, line.points)):
                    assert cell == "—" if figure is None else Decimal(str(cell)) == figure
                if line.weighted is not None:
                    assert Decimal(str(weighted)) == line.weighted
                    assert f'<span class="weighted">{line.weighted}</span>' in html
        assert next(rows, None) is None
    # The sheet's rows of a score add up to it, as a hand check would.
    sheet = book["牵头领导"]
    first = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == 1]
    assert sum(Decimal(str(row[9])) for row in first if row[9] != "—") == Decimal(str(first[0][2]))


def test_the_demo_shows_a_quarters_scores(client, demo_users):
    """The demo's 考核办法: Q1 2013 weighs reporting and problems, from Q2 the pace."""
    client.force_login(User.objects.get(username="office"))
    first = client.get(reverse("projects:scores"), {"year": 2013, "quarter": 1}).context["table"]
    second = client.get(reverse("projects:scores"), {"year": 2013, "quarter": 2}).context["table"]
    assert first.valid_from == datetime.date(2013, 1, 1) and first.rules[0].measure == "reports"
    assert second.valid_from == APRIL_1 and second.rules[0].measure == "gap"
    officials = [scores for kind, _t, scores in second.boards if kind == "official"][0]
    assert len(officials) == 4 and all(score.total is not None for score in officials)


def test_a_month_on_the_page_opens_its_quarter_and_bad_input_says_so(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:scores")
    assert client.get(url, {"year": 2013, "month": 5}).context["window"] == Q2
    response = client.get(url, {"year": 2013, "quarter": 5})
    assert response.status_code == 200
    assert "请选择2000至2100年之间的年份和1至4季度" in response.content.decode()
    assert response.context["window"].year == Period.collecting().year


def test_no_rules_say_who_sets_them(client, demo_users):
    ScoreRule.objects.all().delete()
    client.force_login(User.objects.get(username="observer"))
    html = client.get(reverse("projects:scores"), {"year": 2013, "quarter": 2}).content.decode()
    assert 'id="no-rules"' in html and "考核规则" in html


def test_the_page_runs_the_same_queries_for_few_or_many_officials(client, demo_users):
    zone = Zone.objects.create(name="测试功能区", order=9)
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:scores")

    def count():
        client.get(url, {"year": 2013, "quarter": 2})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": 2013, "quarter": 2}).status_code == 200
        return len(queries)

    few = count()
    for index in range(20):
        official = Official.objects.create(name=f"新领导{index}")
        project = make_project(zone, f"Q-{index}", lead_official=official)
        plan(project, 2013, "100.00")
        report(project, 2013, 5, "10.00")
    assert count() == few


def test_every_measure_is_registered_with_a_label_and_a_heading():
    assert {"completion", "gap", "reports", "problems", "overdue", "supervised"} <= set(REGISTRY)
    for measure in REGISTRY.values():
        assert measure.label and measure.heading and measure.kinds
