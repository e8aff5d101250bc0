"""统计入库: which projects are flagged 未入库, the status's rules, the materials checklist and
the workbook's 入库状态, 列统投资, 差额 and 到位资金 columns read back cell by cell."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from projects.exchange.workbook import ProgressWorkbook, progress_workbook
from projects.models import (
    FundingSource,
    Project,
    ReportPhoto,
    StatsFigure,
    StatsStatus,
)
from projects.models.stats import unlisted_condition
from projects.progress.period import Period
from tests.conftest import make_project, report

pytestmark = pytest.mark.django_db

STARTED = {"status": Project.Status.UNDER_CONSTRUCTION, "actual_start": datetime.date(2013, 3, 1)}


def test_a_started_project_of_500_or_more_not_in_the_statistics_is_flagged(zone):
    """500万元 exactly counts, 499.99 does not; not started or already 入库 is not flagged."""
    flagged = make_project(zone, "S-1", total="500.00", **STARTED)
    by_status = make_project(zone, "S-2", total="800.00", status=Project.Status.UNDER_CONSTRUCTION)
    submitted = make_project(zone, "S-3", total="900.00", stats_status="submitted", **STARTED)
    make_project(zone, "S-4", total="499.99", **STARTED)
    make_project(zone, "S-5", total="9000.00", status=Project.Status.TO_START)
    make_project(
        zone,
        "S-6",
        total="9000.00",
        stats_status=StatsStatus.IN_STATS,
        stats_month=datetime.date(2013, 4, 1),
        **STARTED,
    )
    unlisted = set(Project.objects.filter(unlisted_condition()).values_list("code", flat=True))
    assert unlisted == {flagged.code, by_status.code, submitted.code}
    # The property on one project says the same as the condition on the list.
    assert {p.code for p in Project.objects.all() if p.stats_overdue} == unlisted


def test_the_project_list_flags_and_filters_unlisted_projects(client, demo, observer_user):
    """The demo's 唐人中心 (报送, not 入库) and 焦作影视城 (未报送) are flagged in red, as an
    overdue milestone's date is, and ?stats=unlisted lists exactly them."""
    client.force_login(observer_user)
    url = reverse("projects:project_list")
    response = client.get(url, {"year": 2013, "month": 5, "stats": "unlisted"})
    codes = {row.record.code for row in response.context["table"].page.object_list}
    assert codes == {"JF2013-004", "JF2013-007"}
    html = response.content.decode()
    assert html.count('<small class="overdue stats-overdue">未入库</small>') == 2
    response = client.get(url, {"year": 2013, "month": 5, "stats": "in_stats"})
    codes = {row.record.code for row in response.context["table"].page.object_list}
    assert codes == {"JF2013-001", "JF2013-003", "JF2013-008", "JF2013-009"}
    html = client.get(url, {"year": 2013, "month": 5}).content.decode()
    assert html.count("stats-overdue") == 2


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"stats_status": "in_stats"}, "stats_month", "请填写入库月份。"),
        (
            {"stats_status": "pending", "stats_month": datetime.date(2013, 4, 1)},
            "stats_month",
            "只有已入库的项目才有入库月份，请留空。",
        ),
        ({"stats_status": "not_required"}, "stats_status", "总投资500万元及以上的项目必须入库"),
        (
            {"stats_status": "in_stats", "stats_month": datetime.date(2999, 1, 1)},
            "stats_month",
            "入库月份不能晚于本月。",
        ),
    ],
)
def test_the_statistics_status_refuses_nonsense_in_chinese(zone, fields, field, message):
    project = make_project(zone, total="600.00")
    for name, value in fields.items():
        setattr(project, name, value)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        project.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_the_month_of_entry_is_kept_as_a_month(zone):
    project = make_project(zone, total="600.00")
    project.stats_status = StatsStatus.IN_STATS
    project.stats_month = datetime.date(2013, 4, 17)
    project.full_clean()
    assert project.stats_month == datetime.date(2013, 4, 1)


def test_a_small_project_may_be_not_required(zone):
    project = make_project(zone, total="499.99", stats_status=StatsStatus.NOT_REQUIRED)
    project.full_clean()


def test_the_project_page_shows_the_materials_and_a_dated_site_photo_counts(
    client, zone, office_user
):
    """立项文件 at hand, 施工合同 not; a photo with the day it was taken, on any of the project's
    reports, is the dated site photo."""
    project = make_project(zone, total="800.00", has_approval_document=True, **STARTED)
    client.force_login(office_user)
    url = reverse("projects:project_detail", args=[project.pk])
    html = client.get(url, {"year": 2013, "month": 5}).content.decode()
    assert "<dt>立项文件</dt><dd>✓ 已具备</dd>" in html
    assert "<dt>施工合同</dt><dd>✗ 未具备</dd>" in html
    assert "<dt>带拍摄日期的现场照片（取自月报）</dt><dd>✗ 未具备</dd>" in html
    assert 'id="stats-overdue"' in html
    monthly = report(project, 2013, 3, "10.00")
    ReportPhoto.objects.create(
        report=monthly, image="photos/a.jpg", thumbnail="photos/a-t.jpg", width=1, height=1
    )
    html = client.get(url, {"year": 2013, "month": 5}).content.decode()
    assert "<dt>带拍摄日期的现场照片（取自月报）</dt><dd>✗ 未具备</dd>" in html  # no date
    ReportPhoto.objects.create(
        report=monthly,
        image="photos/b.jpg",
        thumbnail="photos/b-t.jpg",
        width=1,
        height=1,
        taken_at=timezone.now(),
    )
    html = client.get(url, {"year": 2013, "month": 5}).content.decode()
    assert "<dt>带拍摄日期的现场照片（取自月报）</dt><dd>✓ 已具备</dd>" in html


def test_the_project_page_compares_the_statistics_with_the_reports(client, demo, observer_user):
    """翰林国际 reported 9,000 in January–May; the bureau counted 6,500 + 2,000."""
    client.force_login(observer_user)
    project = Project.objects.get(code="JF2013-001")
    html = client.get(
        reverse("projects:project_detail", args=[project.pk]), {"year": 2013, "month": 5}
    ).content.decode()
    assert "<dt>1-5月填报完成投资</dt><dd>9,000.00</dd>" in html
    assert "<dt>1-5月列统投资</dt><dd>8,500.00</dd>" in html
    assert "<dt>列统与填报差额</dt><dd>-500.00</dd>" in html
    assert "已入库 2013-04" in html


def sheet_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content))["进展情况"]
    return sheet, {row[1].value: row for row in sheet.iter_rows(min_row=5) if row[1].value}


def test_the_workbook_keeps_the_standard_headers_and_adds_the_statistics_at_the_end(demo):
    content = progress_workbook(Period(2013, 5))
    sheet, rows = sheet_rows(content)
    standard = [label or below for _key, label, below, *_rest in ProgressWorkbook.COLUMNS[:19]]
    assert [sheet.cell(3, i).value for i in range(1, 20)][:7] == standard[:7]
    assert sheet.cell(3, 19).value == "进度状态"
    assert [sheet.cell(3, i).value for i in range(20, 24)] == [
        "入库状态",
        "列统投资",
        "列统与填报差额",
        "到位资金",
    ]
    assert sheet.cell(4, 21).value == "1-5月"
    hanlin = rows["翰林国际旅游度假区一期"]
    assert hanlin[19].value == "已入库（2013-04）"
    assert hanlin[20].value == 8500 and hanlin[20].number_format == hanlin[4].number_format
    assert hanlin[21].value == -500
    assert hanlin[22].value == 40000  # 30,000 own funds + 10,000 bank loans received
    tangren = rows["唐人中心"]
    assert tangren[19].value == "已报送" and tangren[20].value is None
    assert tangren[21].value is None and tangren[22].value == 25000
    assert rows["焦作影视城综合改造一期"][19].value == "未入库"
    assert rows["焦作影视城综合改造一期"][22].value is None
    # The 合计 row adds the columns up: 列统 8,500 + 8,000 + 3,500 + 9,200.
    total = rows["合计"]
    assert total[20].value == 29200
    assert total[21].value == -500 - 1000 + 0 + 200
    assert total[22].value == 40000 + 28000 + 25000 + 14000


def test_the_workbook_in_100_million_divides_the_new_columns_too(demo):
    content = ProgressWorkbook(Project.objects.all(), Period(2013, 5), unit="亿元").content()
    _sheet, rows = sheet_rows(content)
    assert rows["翰林国际旅游度假区一期"][20].value == pytest.approx(0.85)
    assert rows["合计"][22].value == pytest.approx(10.7)


def test_the_zone_rows_add_up_their_projects(demo):
    """特色商业区's group row: 列统 of 和平街 8,000 + 锦江 3,500; 到位 of 和平街 28,000 +
    唐人中心 25,000."""
    _sheet, rows = sheet_rows(progress_workbook(Period(2013, 5)))
    zone = next(row for name, row in rows.items() if str(name).endswith("特色商业区(5个)"))
    assert zone[20].value == 11500 and zone[22].value == 53000


def test_statistics_figures_refuse_negative_amounts_in_chinese(demo):
    figure = StatsFigure(
        project=Project.objects.get(code="JF2013-001"), year=2013, month=6, amount=Decimal("-1")
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "金额不能为负数" in " ".join(error.value.message_dict["amount"])
    assert not StatsFigure.objects.filter(month=6).exists()
    source = FundingSource(
        project=Project.objects.get(code="JF2013-001"), kind="own", planned=10, received=-5
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "金额不能为负数" in " ".join(error.value.message_dict["received"])


def test_a_statistics_figure_of_a_later_month_is_not_counted_before_it(demo):
    project = Project.objects.get(code="JF2013-001")
    StatsFigure.objects.create(project=project, year=2013, month=6, amount=Decimal("100"))
    _sheet, rows = sheet_rows(progress_workbook(Period(2013, 5)))
    assert rows["翰林国际旅游度假区一期"][20].value == 8500
