"""The monthly ranking and 通报 under a region's monthly score rules: the rules in force for
the month decide (a month before them keeps the settings' ranking exactly), the meeting keeps
them with its ranking, and the workbook's columns follow them. Districts see nothing of
each other's scores."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.meetings.bulletin import bulletin_context
from projects.models import Official, Project, Region, ScoreRule
from projects.progress.period import Period, quantize
from projects.register.ranking import ranking
from projects.register.ranking_entries import MEASURES
from projects.register.ranking_record import ranking_from_json, ranking_to_json
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

MAY, JUNE = Period(2013, 5), Period(2013, 6)
TODAY = datetime.date(2013, 7, 20)


def monthly(measure, weight, since=datetime.date(2013, 6, 1), region=None):
    return ScoreRule.objects.create(
        measure=measure,
        weight=weight,
        valid_from=since,
        period="month",
        region=region or Region.objects.single_district(),
    )


def board(result):
    return [(e.name, e.rank, e.score, e.scores) for e in result.officials]


def test_a_month_before_the_rules_is_ranked_as_without_them(demo):
    """May's ranking is the same, score for score, before and after June's rules exist; June
    is ranked on the rules' measures and weights."""
    before = board(ranking(MAY, today=TODAY))
    monthly("completion", 70)
    monthly("overdue", 30)
    monthly("lights", 0)
    may = ranking(MAY, today=TODAY)
    assert board(may) == before and may.measures == tuple(MEASURES) and may.weights is None
    june = ranking(JUNE, today=TODAY)
    assert june.measures == ("completion", "overdue", "lights")
    assert june.weights == {"completion": 70, "overdue": 30, "lights": 0}
    rows, _total = Project.objects.all().summary(JUNE, by="lead_official")
    rates = {row["lead_official"]: row["completion_rate"] for row in rows}
    for entry in june.officials:
        assert entry.scores["completion"] == min(Decimal(100), rates[entry.key])
        weighted = (70 * entry.scores["completion"] + 30 * entry.scores["overdue"]) / 100
        assert entry.score == quantize(weighted)  # lights shown, weight 0
    # Movement compares with May's ranking, under May's rules (none).
    may_ranks = {e.key: e.rank for e in may.officials}
    assert all(e.previous_rank == may_ranks.get(e.key) for e in june.officials)
    # Units on the problem measures of the rules only.
    assert all(set(e.scores) == {"overdue"} for e in june.units)


def test_the_meeting_keeps_the_rules_with_its_ranking(demo):
    monthly("gap", 60)
    monthly("supervised", 40)
    kept = ranking_from_json(ranking_to_json(ranking(JUNE, today=TODAY)))
    assert kept.measures == ("gap", "supervised") and kept.weights == {"gap": 60, "supervised": 40}
    assert [str(label) for label, _score in kept.officials[0].measure_scores] == [
        "序时进度完成情况",
        "督办事项",
    ]
    # A ranking kept before the rules existed reads back on the settings' measures.
    old = ranking_to_json(ranking(MAY, today=TODAY))
    del old["measures"], old["weights"]
    assert ranking_from_json(old).measures == tuple(MEASURES)


def test_the_bulletin_and_the_workbook_follow_the_rules(client, demo_users):
    monthly("completion", 100)
    region = Region.objects.single_district()
    result = ranking(JUNE, Project.objects.in_region(region))
    bulletin = bulletin_context(JUNE, region)
    assert [row["name"] for row in bulletin["officials"]] == [e.name for e in result.officials]
    assert [row["score"] for row in bulletin["officials"]] == [
        str(e.score) for e in result.officials
    ]
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:ranking"), {"year": 2013, "month": 6})
    assert "年度计划完成率 100" in response.content.decode()
    export = client.get(reverse("projects:ranking"), {"year": 2013, "month": 6, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["牵头领导"]
    assert [c.value for c in sheet[3]] == ["名次", "名称", "得分", "得分:年度计划完成率", "较上月"]
    for row, entry in zip(
        sheet.iter_rows(min_row=4, values_only=True), result.officials, strict=True
    ):
        assert row[1] == entry.name and Decimal(str(row[3])) == entry.scores["completion"]


def test_two_sibling_districts_score_under_their_own_rules_and_see_nothing_of_each_other(
    client,
):
    """解放区's office sees its own officials' scores under its own rules; 山阳区's the
    same of its own; changing 山阳区's rules leaves 解放区's scores as they were."""
    setup_demo(year=2013, city=True)
    url = reverse("projects:scores")
    query = {"year": 2013, "quarter": 2}
    mine = set(Official.objects.filter(region__code="410802").values_list("name", flat=True))
    theirs = set(Official.objects.filter(region__code="410811").values_list("name", flat=True))

    def officials(username):
        client.force_login(User.objects.get(username=username))
        table = client.get(url, query).context["table"]
        return {
            score.name: score.total
            for kind, _title, scores in table.boards
            if kind == "official"
            for score in scores
        }

    jiefang = officials("office")
    assert set(jiefang) == mine
    assert set(officials("shanyang")) == theirs
    ScoreRule.objects.filter(region__code="410811").update(weight=1)
    assert officials("office") == jiefang
    # The city scores both districts under its own rules, with a board of districts.
    client.force_login(User.objects.get(username="jiaozuo"))
    table = client.get(url, query).context["table"]
    kinds = {kind: scores for kind, _title, scores in table.boards}
    assert {score.name for score in kinds["district"]} == {"解放区", "山阳区"}
    assert set(score.name for score in kinds["official"]) >= mine | theirs
