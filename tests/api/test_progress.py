"""progress/ has the progress workbook's figures, project by project; updated_since gives
exactly what changed; bad parameters answer 400 with a Chinese message naming them."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.exchange.workbook import progress_workbook
from projects.models import Light, MonthlyReport, Project
from projects.progress.period import Period
from tests.api.conftest import JIEFANG, bearer, token_of
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

PERIOD = {"year": 2013, "month": 5}


@pytest.fixture
def key(db):
    setup_demo(year=2013)
    return token_of(JIEFANG)


def progress(client, key, **params):
    response = client.get(reverse("api:progress_list"), {**PERIOD, **params}, **bearer(key))
    assert response.status_code == 200, response.content
    return {row["name"]: row for row in response.json()["results"]}


def cents(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_figures_are_the_workbooks_for_every_project_of_the_demo(client, key):
    book = openpyxl.load_workbook(io.BytesIO(progress_workbook(Period(2013, 5))))
    sheet = book["进展情况"]
    rows = progress(client, key)
    compared = 0
    for cells in sheet.iter_rows(min_row=5, values_only=True):
        if not isinstance(cells[0], int):
            continue  # the 合计 and zone rows, the notes
        row = rows[cells[1]]
        money = {
            "total_investment": cells[4],
            "annual_plan": cells[5],
            "month_amount": cells[6],
            "ytd": cells[7],
            "cumulative": cells[11],
        }
        for name, value in money.items():
            assert cents(row[name]) == cents(value), (cells[1], name)
        for name, value in {"completion_rate": cells[8], "time_schedule": cells[9]}.items():
            expected = None if value is None else cents(Decimal(str(value)) * 100)
            assert cents(row[name]) == expected, (cells[1], name)
        assert cents(row["gap"]) == cents(cells[10])
        month = row["physical_progress_month"]
        text = row["physical_progress"] or ""
        if text and month != 5:
            text = f"({month}月){text}"
        assert text == (cells[14] or "")
        assert str(Light(row["light"]).label) == cells[18]
        compared += 1
    assert compared == Project.objects.count() == len(rows) == 10


def test_money_is_a_decimal_string_in_wan_yuan_and_dates_are_iso(client, key):
    row = progress(client, key)["翰林国际旅游度假区一期"]
    assert row["total_investment"] == "200000.00" and row["year"] == 2013 and row["month"] == 5
    project = client.get(reverse("api:project_detail", args=["JF2013-001"]), **bearer(key)).json()
    assert project["planned_start"] == "2013-03-01"
    assert project["milestones"][0]["planned_date"] == "2013-02-20"


def test_the_light_filter_gives_that_lights_projects(client, key):
    every = progress(client, key)
    red = progress(client, key, light="red")
    assert red and set(red) == {name for name, row in every.items() if row["light"] == "red"}


def test_updated_since_gives_exactly_what_changed(client, key):
    since = timezone.now()
    assert progress(client, key, updated_since=since.isoformat()) == {}
    report = MonthlyReport.objects.get(project__code="JF2013-003", year=2013, month=5)
    report.physical_progress = "地下室结构施工至0层"
    report.save()
    changed = progress(client, key, updated_since=since.isoformat())
    assert list(changed) == ["和平街市场整体改造"]
    assert changed["和平街市场整体改造"]["physical_progress"] == "地下室结构施工至0层"
    # The register hears of a change of the project itself, not of its reports.
    projects = client.get(
        reverse("api:project_list"), {"updated_since": since.isoformat()}, **bearer(key)
    ).json()["results"]
    assert projects == []
    project = Project.objects.get(code="JF2013-002")
    project.owner = "新业主"
    project.save()
    projects = client.get(
        reverse("api:project_list"), {"updated_since": since.isoformat()}, **bearer(key)
    ).json()["results"]
    assert [row["code"] for row in projects] == ["JF2013-002"]
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert progress(client, key, updated_since=later) == {}


@pytest.mark.parametrize(
    "params, parameter, message",
    [
        ({"year": "abc"}, "year", "参数 year：输入整数。"),
        ({"year": "1999"}, "year", "参数 year：确保该值大于或等于2000。"),
        ({"month": "13"}, "month", "参数 month：确保该值小于或等于12。"),
        ({"region": "999999"}, "region", "参数 region：没有代码为 999999 的行政区划。"),
        ({"light": "blue"}, "light", None),
        ({"level": "galaxy"}, "level", None),
        ({"updated_since": "yesterday"}, "updated_since", None),
        ({"page_size": "many"}, "page_size", None),
        ({"cursor": "garbage"}, None, None),
    ],
)
def test_a_bad_parameter_answers_400_in_chinese_naming_it(client, key, params, parameter, message):
    # The register has no month nor light; the region tree no filter but the month.
    for name in ("api:progress_list", "api:project_list", "api:region_list"):
        if name == "api:project_list" and set(params) & {"year", "month", "light"}:
            continue
        if name == "api:region_list" and not set(params) <= {"year", "month"}:
            continue
        query = {**PERIOD, **params}
        response = client.get(reverse(name), query, **bearer(key))
        assert response.status_code in (400, 404), (name, params)
        detail = response.json()["detail"]
        assert any("\u4e00" <= char <= "\u9fff" for char in detail), detail
        if parameter:
            assert response.status_code == 400 and parameter in detail
            assert parameter in response.json()["errors"]
        if message:
            assert detail == message


def test_a_bad_parameter_changes_nothing_and_the_session_user_gets_the_same_answer(client, key):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("api:progress_list"), {"year": "abc"})
    assert response.status_code == 400 and response.json()["detail"] == "参数 year：输入整数。"
