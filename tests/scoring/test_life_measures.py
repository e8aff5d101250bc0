"""The measures of a project's life in 考核评分: 开工率 and 竣工率 as /starts/ shows them for
the quarter's last month (per official, zone and the district), 入库 checked by hand (a project started on the quarter's last day
is due, one of 499.99万元 is not), and a query count that stays flat with more projects."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Official, Project, Region, ScoreRule, StatsStatus, Zone
from projects.scoring.measures import REGISTRY, Figures, Window, measure_choices
from projects.scoring.scores import score_table
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

Q2 = Window.quarter(2013, 2)
AFTER_Q2 = datetime.date(2013, 7, 20)
LIFE = ("starts", "completions", "in_stats")


def life_rules():
    ScoreRule.objects.all().delete()
    for measure, weight in zip(LIFE, (40, 30, 30), strict=True):
        ScoreRule.objects.create(
            measure=measure,
            weight=weight,
            valid_from=datetime.date(2013, 4, 1),
            period="quarter",
            region=Region.objects.single_district(),
        )


def test_the_measures_are_registered_and_offered_to_the_admin():
    assert set(LIFE) <= set(REGISTRY)
    assert set(LIFE) <= {name for name, _label in measure_choices()}
    assert [REGISTRY[name].heading for name in LIFE] == ["开工率", "竣工率", "入库率"]


def test_start_and_completion_rates_are_the_starts_pages(client, demo_users):
    """Each official's 开工率 and 竣工率 on /scores/ for Q2 are the figures of /starts/ for
    June, as are each zone's."""
    life_rules()
    client.force_login(User.objects.get(username="observer"))
    table = client.get(reverse("projects:scores"), {"year": 2013, "quarter": 2}).context["table"]
    rates = client.get(reverse("projects:start_rates"), {"year": 2013, "month": 6}).context["rates"]
    officials = {
        score.key: {line.measure: line for line in score.lines}
        for kind, _title, scores in table.boards
        if kind == "official"
        for score in scores
    }
    compared = 0
    for row in rates.officials:
        lines = officials[row.key]
        for name, rate, done, planned in (
            ("starts", row.start_rate, row.started, row.planned_starts),
            ("completions", row.completion_rate, row.completed, row.planned_completions),
        ):
            assert lines[name].value == rate
            if rate is not None:
                compared += 1
                assert lines[name].detail == f"{done}/{planned}"
                assert lines[name].points == min(rate, 100)
            else:
                assert lines[name].points is None
    assert compared  # the demo plans starts or completions in 2013
    figures = Figures(Q2, Project.objects.all(), today=AFTER_Q2)
    names = figures.names("zone")
    starts = REGISTRY["starts"](figures, "zone")
    completions = REGISTRY["completions"](figures, "zone")
    for row in rates.zones:
        (key,) = [key for key, name in names.items() if name == row.label]
        assert (starts[key].value if key in starts else None) == row.start_rate
        assert (completions[key].value if key in completions else None) == row.completion_rate
    # The demo's one district: the page's total.
    (district,) = REGISTRY["starts"](figures, "district").values()
    assert district.value == rates.total.start_rate
    assert district.detail == f"{rates.total.started}/{rates.total.planned_starts}"


@pytest.fixture
def small(zone):
    """Two officials: 甲 with four projects of which three are due to be 入库, 乙 with a
    project of 499.99万元 only."""
    first = Official.objects.create(name="甲")
    second = Official.objects.create(name="乙")

    def project(code, total, official, start=None, status=StatsStatus.PENDING, month=None):
        return make_project(
            zone,
            code,
            total,
            lead_official=official,
            actual_start=start,
            stats_status=status,
            stats_month=month,
        )

    # Started on the quarter's last day, 入库 in June: due and in.
    project("S-1", "1000.00", first, datetime.date(2013, 6, 30), StatsStatus.IN_STATS,
            datetime.date(2013, 6, 1))  # fmt: skip
    # Started in May, 入库 only in July: due, not in by the quarter's end.
    project("S-2", "500.00", first, datetime.date(2013, 5, 2), StatsStatus.IN_STATS,
            datetime.date(2013, 7, 1))  # fmt: skip
    # Started in April, materials submitted only: due, not in.
    project("S-3", "800.00", first, datetime.date(2013, 4, 1), StatsStatus.SUBMITTED)
    # Started on the day after the quarter: not due.
    project("S-4", "900.00", first, datetime.date(2013, 7, 1))
    # Not started: not due.
    project("S-5", "900.00", first)
    # Below 500万元: never due, though started and pending.
    project("S-6", "499.99", second, datetime.date(2013, 4, 1))
    return first, second


def test_the_share_in_the_statistics_checks_by_hand(small):
    first, second = small
    figures = Figures(Q2, Project.objects.all(), today=AFTER_Q2)
    assert figures.stats_counts("official") == {first.pk: (3, 1)}
    result = REGISTRY["in_stats"](figures, "official")
    assert set(result) == {first.pk}  # 乙 has none due: no figure
    assert result[first.pk].value == Decimal("33.33")
    assert result[first.pk].detail == "1/3"
    assert result[first.pk].points == Decimal("33.33")
    # The same projects by zone and by district.
    zone = Zone.objects.get()
    assert REGISTRY["in_stats"](figures, "zone")[zone.pk].detail == "1/3"
    district = Project.objects.get(code="S-1").region_id
    assert REGISTRY["in_stats"](figures, "district")[district].detail == "1/3"
    # By the third quarter's end S-2 and S-4 count as well: 2 in of 4 due.
    later = Figures(Window.quarter(2013, 3), Project.objects.all())
    assert REGISTRY["in_stats"](later, "official")[first.pk].detail == "2/4"


def test_the_life_measures_run_the_same_queries_for_few_or_many_projects(zone):
    official = Official.objects.create(name="甲")
    make_project(zone, "F-0", "1000.00", lead_official=official,
                 planned_start=datetime.date(2013, 3, 1), actual_start=datetime.date(2013, 3, 1))  # fmt: skip

    def count():
        with CaptureQueriesContext(connection) as queries:
            figures = Figures(Q2, Project.objects.all(), today=AFTER_Q2)
            for kind in ("official", "zone", "district"):
                for name in LIFE:
                    REGISTRY[name](figures, kind)
        return len(queries)

    few = count()
    assert few <= 6  # one query per kind for the rates, one for 入库
    for index in range(15):
        other = Zone.objects.create(name=f"功能区{index}", order=10 + index)
        make_project(
            other,
            f"F-{index + 1}",
            "600.00",
            lead_official=Official.objects.create(name=f"领导{index}"),
            planned_start=datetime.date(2013, 5, 1),
            planned_completion=datetime.date(2013, 12, 1),
            actual_start=datetime.date(2013, 5, 1) if index % 2 else None,
            stats_status=StatsStatus.IN_STATS if index % 3 else StatsStatus.PENDING,
            stats_month=datetime.date(2013, 5, 1) if index % 3 else None,
        )
    assert count() == few


def test_the_scores_page_with_the_life_rules_runs_flat(client, demo_users):
    life_rules()
    zone = Zone.objects.create(name="测试功能区", order=9)
    client.force_login(User.objects.get(username="observer"))
    url = reverse("projects:scores")

    def count():
        client.get(url, {"year": 2013, "quarter": 2})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"year": 2013, "quarter": 2})
            assert response.status_code == 200 and "开工率" in response.content.decode()
        return len(queries)

    few = count()
    for index in range(10):
        make_project(
            zone,
            f"G-{index}",
            "700.00",
            lead_official=Official.objects.create(name=f"新领导{index}"),
            planned_start=datetime.date(2013, 4, 1),
            actual_start=datetime.date(2013, 4, 2),
        )
    assert count() == few
    table = score_table(Q2, Project.objects.all(), today=AFTER_Q2)
    assert [rule.measure for rule in table.rules] == list(LIFE)
