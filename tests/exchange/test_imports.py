"""Excel import: templates, dry runs, row-level errors, nothing half-written, hostile files."""

import datetime
import io
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from projects.exchange.template import OPTIONAL_HEADERS, PROGRESS_HEADERS, PROJECT_HEADERS
from projects.exchange.writing import run_import
from projects.models import AnnualPlan, MonthlyReport, Project

pytestmark = pytest.mark.django_db


def workbook(rows, headers=PROJECT_HEADERS, extra=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if extra:
        extra(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def project_row(code="JF2013-101", name="新建项目", total=5000, year=2013, plan=1200, **over):  # noqa: PLR0913
    row = dict(
        zip(
            PROJECT_HEADERS,
            [
                code,
                name,
                "特色商业区",
                "某公司",
                "新建",
                total,
                "2013-06-01",
                "2014-12-31",
                "陈立新",
                "区商务局",
                year,
                plan,
            ],
            strict=True,
        )
    )
    row.update(over)
    return [row[h] for h in PROJECT_HEADERS]


def messages(result):
    return [str(p) for p in result.errors]


@pytest.fixture
def office(demo):
    return User.objects.create_user("importer", password="x", is_staff=True)


def test_templates_have_headers_and_an_explanation_sheet(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    for kind, headers in (("projects", PROJECT_HEADERS), ("progress", PROGRESS_HEADERS)):
        response = client.get(reverse("projects:import_template"), {"kind": kind})
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        optional = OPTIONAL_HEADERS[kind]
        assert [c.value for c in book.worksheets[0][1]] == headers + optional
        explained = {row[0] for row in book["说明"].iter_rows(min_row=2, values_only=True)}
        assert explained == set(headers + optional)


def test_export_then_import_reports_every_row_unchanged(demo, tmp_path):
    path = tmp_path / "register.xlsx"
    call_command("export_projects", output=str(path), stdout=io.StringIO())
    result = run_import("projects", path.read_bytes(), dry_run=True)
    assert result.ok, messages(result)
    assert (len(result.create), len(result.update)) == (0, 0)
    assert len(result.unchanged) == Project.objects.count() + AnnualPlan.objects.count()


def test_dry_run_writes_nothing_and_the_real_run_writes_with_the_user(demo, office):
    data = workbook(
        [
            project_row(),
            project_row("JF2013-001", "翰林国际旅游度假区一期（改）", 200000, 2013, 30000),
        ]
    )
    before = (Project.objects.count(), AnnualPlan.objects.count(), Project.history.count())
    result = run_import("projects", data, dry_run=True)
    assert result.ok, messages(result)
    assert [r[2] for r in result.create] == ["JF2013-101", "JF2013-101 · 2013 年度计划"]
    assert [r[2] for r in result.update] == ["JF2013-001"]
    assert (Project.objects.count(), AnnualPlan.objects.count(), Project.history.count()) == before
    result = run_import("projects", data, user=office, dry_run=False)
    assert result.written
    new = Project.objects.get(code="JF2013-101")
    assert new.zone.name == "特色商业区" and new.lead_official.name == "陈立新"
    assert new.annual_plans.get().planned_investment == Decimal("1200.00")
    assert new.planned_start == datetime.date(2013, 6, 1)
    changed = Project.objects.get(code="JF2013-001")
    assert changed.name == "翰林国际旅游度假区一期（改）"
    assert changed.history.latest("history_date").history_user == office


def test_one_bad_row_among_good_ones_writes_nothing_and_names_the_row(demo, office):
    rows = [
        project_row("JF2013-201"),
        project_row("JF2013-202", 功能区="不存在区"),
        project_row("JF2013-203", 牵头领导="张三"),
        project_row("JF2013-204", 计划开工="2014-01-01", 计划竣工="2013-01-01"),
    ]
    result = run_import("projects", workbook(rows), user=office, dry_run=False)
    assert not result.written
    assert not Project.objects.filter(code__startswith="JF2013-20").exists()
    text = messages(result)
    assert "工作表「项目」第 3 行「功能区」列：系统中没有名为「不存在区」的功能区。" in text
    assert "工作表「项目」第 4 行「牵头领导」列：系统中没有名为「张三」的牵头领导。" in text
    assert "工作表「项目」第 5 行「计划竣工」列：计划竣工日期不能早于计划开工日期。" in text


def test_command_exits_non_zero_on_errors_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([project_row(功能区="火星")]))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_projects", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Project.objects.filter(code="JF2013-101").exists()
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([project_row()]))
    out = io.StringIO()
    call_command("import_projects", str(good), "--dry-run", stdout=out)
    assert "试运行" in out.getvalue() and not Project.objects.filter(code="JF2013-101").exists()


def progress_book(rows, headers=PROGRESS_HEADERS):
    return workbook(rows, headers)


def test_progress_import_updates_a_month_and_records_the_user(demo, office):
    data = progress_book(
        [
            ["JF2013-001", 2013, 5, 2400, "会所主体施工至3层", ""],
            ["JF2013-001", 2013, 6, 2500, "封顶", ""],
        ]
    )
    result = run_import("progress", data, user=office, dry_run=False)
    assert result.written, messages(result)
    may = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    assert may.amount == Decimal("2400.00")
    record = may.history.latest("history_date")
    assert record.history_user == office and record.history_type == "~"
    assert (
        MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=6).submitted_by
        == office
    )


def test_progress_errors_are_all_listed(demo):
    data = progress_book(
        [
            ["JF9999", 2013, 5, 1, "", ""],
            ["JF2013-001", 2013, 13, 1, "", ""],
            ["JF2013-001", 2013, 6, -1, "", ""],
            ["JF2013-001", 2099, 1, 1, "", ""],
        ]
    )
    text = messages(run_import("progress", data, dry_run=True))
    assert "工作表「项目」第 2 行「项目编号」列：系统中没有编号为「JF9999」的项目。" in text
    assert "工作表「项目」第 3 行「月」列：月份必须在 1 到 12 之间。" in text
    assert "工作表「项目」第 4 行「本月完成投资(万元)」列：金额不能为负数。" in text
    assert "工作表「项目」第 5 行「月」列：该月份尚未开始，不能填报。" in text


# -- hostile files ------------------------------------------------------------------------


def refused(data, kind="projects"):
    result = run_import(kind, data, dry_run=True)
    assert not result.ok
    return " ".join(messages(result))


def rezip(data, change):
    """Rewrite an xlsx, letting `change(name, bytes)` alter members."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = change(item.filename, source.read(item))
            if content is not None:
                target.writestr(item.filename, content)
        extra = change("__extra__", b"")
        if extra:
            for name, content in extra:
                target.writestr(name, content)
    return out.getvalue()


def test_not_an_xlsx(demo):
    assert "不是 Excel 工作簿" in refused("项目编号，项目名称\nA，B".encode())


def test_corrupt_zip(demo):
    assert "文件已损坏" in refused(workbook([project_row()])[:400])


def test_macro_workbook(demo):
    def add_macro(name, content):
        if name == "__extra__":
            return [("xl/vbaProject.bin", b"\x00" * 64)]
        return content

    assert "含宏的工作簿" in refused(rezip(workbook([project_row()]), add_macro))


def test_xml_entity_attack(demo):
    def add_entity(name, content):
        if name == "xl/worksheets/sheet1.xml":
            doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            if content.startswith(b"<?xml"):
                end = content.index(b"?>") + 2
                return content[:end] + doctype + content[end:]
            return doctype + content
        return None if name == "__extra__" else content

    assert "XML 实体" in refused(rezip(workbook([project_row()]), add_entity))


def test_zip_bomb(demo):
    def add_bomb(name, content):
        if name == "__extra__":
            return [("xl/media/padding.bin", b"\x00" * (60 * 1024 * 1024))]
        return content

    assert "压缩炸弹" in refused(rezip(workbook([project_row()]), add_bomb))


@pytest.mark.slow
def test_too_many_rows(demo):
    rows = [project_row(f"X{i:05d}") for i in range(20_001)]
    assert "超过 20000 行" in refused(workbook(rows))


def test_formula_without_cached_value(demo):
    data = workbook([project_row(total="=1000*5")])
    assert "公式但没有计算结果" in refused(data)


def test_cell_over_the_excel_limit(demo):
    varied = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(32_767)).encode()

    def lengthen(name, content):  # openpyxl itself will not write more than Excel allows
        if name == "xl/worksheets/sheet1.xml":
            return content.replace(varied, varied + "尾".encode())
        return None if name == "__extra__" else content

    data = rezip(workbook([project_row(建设内容及规模=varied.decode())]), lengthen)
    assert "内容超过 32767 个字符" in refused(data)


def test_merged_cells_in_the_data_area(demo):
    data = workbook(
        [project_row(), project_row("JF2013-102")], extra=lambda s: s.merge_cells("B2:B3")
    )
    assert "合并单元格 B2:B3" in refused(data)


def test_thousands_separator_is_accepted_and_said_percent_is_refused(demo):
    result = run_import("projects", workbook([project_row(total="1,234.50")]), dry_run=True)
    assert result.ok, messages(result)
    assert result.create[0][3].total_investment == Decimal("1234.50")
    assert "已将「1,234.50」读作 1234.50" in " ".join(result.notes)
    assert "「85%」是百分数" in refused(workbook([project_row(total="85%")]))


@pytest.mark.parametrize(
    "value", ["2013-06-01", "2013/6/1", "2013年6月1日", 41426, datetime.datetime(2013, 6, 1)]
)
def test_dates_as_text_serial_numbers_or_dates(demo, value):
    result = run_import("projects", workbook([project_row(计划开工=value)]), dry_run=True)
    assert result.ok, messages(result)
    assert result.create[0][3].planned_start == datetime.date(2013, 6, 1)


def test_bad_date_text_is_refused(demo):
    assert "不是有效日期" in refused(workbook([project_row(计划开工="六月一日")]))


def test_missing_or_renamed_header(demo):
    headers = ["编号" if h == "项目编号" else h for h in PROJECT_HEADERS]
    text = refused(workbook([project_row()], headers=headers))
    assert "缺少或改动了表头：项目编号" in text


def test_extra_columns_are_ignored_with_a_note(demo):
    data = workbook([[*project_row(), "备注内容"]], headers=[*PROJECT_HEADERS, "备注"])
    result = run_import("projects", data, dry_run=True)
    assert result.ok and "已忽略多余的列：备注。" in result.notes


@pytest.mark.slow
def test_memory_stays_under_200_mib_for_a_large_upload(tmp_path):
    """A 5 MB workbook of 19,900 rows, imported for real (read, checked, 39,800 records and
    their change log written) in a process of its own, peaks under 200 MiB."""
    import random

    chance = random.Random(2013)
    characters = [chr(code) for code in range(0x4E00, 0x9FA5)]
    rows = [
        project_row(f"M{i:05d}", 建设内容及规模="".join(chance.choices(characters, k=85)))
        for i in range(19_900)
    ]
    path = tmp_path / "large.xlsx"
    path.write_bytes(workbook(rows))
    assert 4.5 * 1024 * 1024 < path.stat().st_size <= 5 * 1024 * 1024
    script = (
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0); call_command('loaddata', 'demo', verbosity=0);"
        "from projects.exchange.writing import run_import;"
        "result = run_import('projects', open(sys.argv[1], 'rb').read(), dry_run=False);"
        "assert result.written and len(result.create) == 39800, result.errors[:3];"
        # VmHWM, the peak of this program's own memory: ru_maxrss would also count the
        # test process it was forked from, as it stood before exec.
        "import re; print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "jiefang.settings",
        "JIEFANG_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'memory.sqlite3'}",
    }
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    peak_kib = int(out.strip().splitlines()[-1])
    assert peak_kib < 200 * 1024


@pytest.mark.slow
def test_progress_is_reported_while_reading_and_checking(demo):
    reports = []
    data = workbook([project_row(f"P{i:04d}") for i in range(2500)])
    run_import(
        "projects", data, progress=lambda text, fraction=None: reports.append((text, fraction))
    )
    assert reports == [
        ("已读取 1000 / 2500 行", 0.4),
        ("已读取 2000 / 2500 行", 0.8),
        ("共读取 2500 行", 1),
        ("已检查 1000 / 2500 行", 0.4),
        ("已检查 2000 / 2500 行", 0.8),
        ("已检查 2500 行", 1),
    ]


@pytest.mark.slow
def test_the_command_prints_progress_on_a_terminal(demo, tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    path.write_bytes(workbook([project_row(f"P{i:04d}") for i in range(1500)]))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    out = io.StringIO()
    call_command("import_projects", str(path), "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["已读取 1000 / 1500 行", "共读取 1500 行", "已检查 1000 / 1500 行"]
    assert "试运行：未写入任何数据。" in lines


# -- the web: upload, preview, confirm ------------------------------------------------------


def test_web_upload_previews_then_confirms(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    upload = SimpleUploadedFile("项目.xlsx", workbook([project_row()]))
    response = client.post(reverse("projects:import"), {"kind": "projects", "file": upload})
    html = response.content.decode()
    assert "预览：尚未写入任何数据" in html and "JF2013-101" in html
    assert not Project.objects.filter(code="JF2013-101").exists()
    token = response.context["token"]
    response = client.post(
        reverse("projects:import"), {"kind": "projects", "token": token}, follow=True
    )
    assert "已导入：新建 2" in response.content.decode()
    project = Project.objects.get(code="JF2013-101")
    assert project.history.get().history_user == office


def test_web_upload_lists_every_error(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    upload = SimpleUploadedFile(
        "bad.xlsx",
        workbook([project_row(功能区="火星"), project_row("JF2013-102", 牵头领导="李四")]),
    )
    response = client.post(reverse("projects:import"), {"kind": "projects", "file": upload})
    errors = response.context["result"].errors
    assert len(errors) == 2 and "token" not in response.context or not response.context["token"]
    assert "第 2 行" in str(errors[0]) and "第 3 行" in str(errors[1])


def test_a_row_saved_by_someone_else_during_the_import_fails_it_and_writes_nothing(
    demo, office, monkeypatch
):
    from projects.exchange import checking

    data = workbook(
        [
            project_row(),
            project_row("JF2013-001", "翰林国际旅游度假区一期（改）", 200000, 2013, 30000),
        ]
    )
    checked = checking.Importer.run

    def check_then_a_colleague_saves(self, *args, **kwargs):
        result = checked(self, *args, **kwargs)
        colleague = Project.objects.get(code="JF2013-001")
        colleague.owner = "同事改的建设单位"
        colleague.save()
        return result

    monkeypatch.setattr(checking.Importer, "run", check_then_a_colleague_saves)
    history = Project.history.count()
    result = run_import("projects", data, user=office, dry_run=False)
    assert not result.written
    assert messages(result) == ["导入期间有记录被他人修改，未写入任何数据。请重新导入。"]
    assert not Project.objects.filter(code="JF2013-101").exists()
    kept = Project.objects.get(code="JF2013-001")
    assert (kept.name, kept.owner) == ("翰林国际旅游度假区一期", "同事改的建设单位")
    assert Project.history.count() == history + 1  # the colleague's save only


def test_updates_are_checked_like_new_rows(demo):
    first, second = Project.objects.get(code="JF2013-001"), Project.objects.get(code="JF2013-002")
    assert first.annual_plans.filter(year=2013).exists()
    late = project_row("JF2013-001", first.name, 200000, 2013, -5, 计划竣工="2012-01-01")
    long_name = project_row("JF2013-002", "名" * 300, year=None, plan=None)
    result = run_import("projects", workbook([late, long_name]), dry_run=True)
    text = messages(result)
    assert "工作表「项目」第 2 行「计划竣工」列：计划竣工日期不能早于计划开工日期。" in text
    assert any(t.startswith("工作表「项目」第 2 行「年度计划投资(万元)」列") for t in text), text
    assert any(t.startswith("工作表「项目」第 3 行「项目名称」列") for t in text), text
    assert [r[2] for r in result.update] == []
    second.refresh_from_db()
    assert second.name != "名" * 300


@pytest.mark.slow
def test_the_web_page_can_follow_the_check_of_a_large_upload(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    token = "0123456789abcdef0123456789abcdef"
    progress_url = reverse("projects:import_progress")
    assert client.get(progress_url, {"token": token}).json() == {"text": "", "percent": None}
    data = workbook([project_row(f"P{i:04d}") for i in range(2100)])
    upload = SimpleUploadedFile("big.xlsx", data)
    response = client.post(
        reverse("projects:import"), {"kind": "projects", "file": upload, "progress": token}
    )
    assert response.status_code == 200
    assert client.get(progress_url, {"token": token}).json() == {
        "text": "已检查 2100 行",
        "percent": 100,
    }
    # the progress of one user's upload is not another's to read
    client.force_login(User.objects.create_user("other-office", is_staff=True))
    other = client.get(progress_url, {"token": token})
    assert other.status_code == 403
    colleague = User.objects.create_user("colleague")
    colleague.groups.add(Group.objects.get(name="project_office"))
    client.force_login(colleague)
    assert client.get(progress_url, {"token": token}).json() == {"text": "", "percent": None}


def test_the_preview_says_what_changes_in_words_and_lists_at_most_500_rows(
    client, demo, office, monkeypatch
):
    from django.contrib.auth.models import Group

    from projects.exchange import preview

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    first = Project.objects.get(code="JF2013-001")
    plan_2013 = first.annual_plans.get(year=2013).planned_investment
    first.annual_plans.get(year=2013).months.all().delete()  # a linear plan may change freely
    changed = project_row(
        "JF2013-001",
        "翰林国际（改）",
        first.total_investment,
        2013,
        plan_2013 + 1,
        牵头领导="（清空）",
    )
    changed[PROJECT_HEADERS.index("功能区")] = first.zone.name
    changed[PROJECT_HEADERS.index("建设单位")] = first.owner
    changed[PROJECT_HEADERS.index("建设内容及规模")] = first.scope
    changed[PROJECT_HEADERS.index("计划开工")] = first.planned_start
    changed[PROJECT_HEADERS.index("计划竣工")] = first.planned_completion
    changed[PROJECT_HEADERS.index("责任单位")] = first.responsible_unit.name
    monkeypatch.setattr(preview, "PREVIEW_ROWS", 2)
    rows = [changed, project_row("JF2013-101"), project_row("JF2013-102")]
    upload = SimpleUploadedFile("项目.xlsx", workbook(rows))
    response = client.post(reverse("projects:import"), {"kind": "projects", "file": upload})
    listed = [
        [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr><td>.*?</tr>", response.content.decode())
    ]
    assert listed[0] == [
        "2",
        "JF2013-001",
        "更新",
        f"项目名称：{first.name} → 翰林国际（改）；"
        f'<strong class="import-cleared">【清空】 牵头领导：{first.lead_official.name} → —</strong>',
    ]
    assert listed[1] == [
        "2",
        "JF2013-001 · 2013 年度计划",
        "更新",
        f"年度计划投资(万元)：{plan_2013} → {plan_2013 + 1}",
    ]
    assert [row[1] for row in listed[2:]] == ["JF2013-101", "JF2013-101 · 2013 年度计划"]
    assert "另有 2 条未在此列出；确认后全部写入。" in response.content.decode()


def test_unconfirmed_uploads_expire_and_belong_to_their_uploader(client, demo, office, settings):
    import time
    from pathlib import Path

    from django.contrib.auth.models import Group

    group = Group.objects.get(name="project_office")
    office.groups.add(group)
    colleague = User.objects.create_user("colleague")
    colleague.groups.add(group)
    client.force_login(office)

    def upload(code):
        data = {
            "kind": "projects",
            "file": SimpleUploadedFile("p.xlsx", workbook([project_row(code)])),
        }
        return client.post(reverse("projects:import"), data).context["token"]

    old = upload("JF2013-101")
    old_file = Path(settings.MEDIA_ROOT) / "imports" / str(office.pk) / f"{old}.xlsx"
    assert old_file.exists()
    day_ago = time.time() - 25 * 3600
    os.utime(old_file, (day_ago, day_ago))
    fresh = upload("JF2013-102")
    assert not old_file.exists()  # swept away by the next upload
    response = client.post(
        reverse("projects:import"), {"kind": "projects", "token": old}, follow=True
    )
    assert "上传的文件已失效" in response.content.decode()
    assert not Project.objects.filter(code="JF2013-101").exists()

    client.force_login(colleague)
    response = client.post(
        reverse("projects:import"), {"kind": "projects", "token": fresh}, follow=True
    )
    assert "上传的文件已失效" in response.content.decode()
    assert not Project.objects.filter(code="JF2013-102").exists()
    client.force_login(office)
    client.post(reverse("projects:import"), {"kind": "projects", "token": fresh})
    assert Project.objects.filter(code="JF2013-102").exists()
    stale = upload("JF2013-103")
    os.utime(old_file.with_name(f"{stale}.xlsx"), (day_ago, day_ago))
    response = client.post(
        reverse("projects:import"), {"kind": "projects", "token": stale}, follow=True
    )
    assert "上传的文件已失效" in response.content.decode()  # too old, though not yet swept
    assert not Project.objects.filter(code="JF2013-103").exists()


def test_the_preview_says_which_fields_new_projects_are_given(demo):
    """The template has no 项目类别 or 状态 column: the preview says what new projects get."""
    result = run_import("projects", workbook([project_row()]), dry_run=True)
    assert result.ok, messages(result)
    note = next(str(n) for n in result.notes if "项目类别" in str(n))
    assert "1 个新项目" in note and "商贸服务业" in note and "谋划" in note
    unchanged = run_import(
        "projects", workbook([project_row("JF2013-001", "翰林国际旅游度假区一期")]), dry_run=True
    )
    assert not any("项目类别" in str(n) for n in unchanged.notes)


def test_the_progress_template_does_not_promise_to_create_projects(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    for kind, expected in (("projects", "否则新建"), ("progress", "被拒绝")):
        response = client.get(reverse("projects:import_template"), {"kind": kind})
        guide = dict(
            openpyxl.load_workbook(io.BytesIO(response.content))["说明"].iter_rows(
                min_row=2, values_only=True
            )
        )
        assert expected in guide["项目编号"], kind
    assert "新建" not in guide["项目编号"].replace("新项目", "")


@pytest.mark.parametrize("previewed", [999, 2300], ids=["an-update", "an-unchanged-row"])
def test_confirm_refuses_rows_changed_since_the_preview(client, office, demo_users, previewed):
    """The preview showed 2300 → 999 (or 2300 unchanged); then the lead saved 555 through the
    form; the office confirms: the import is refused, naming the row, and 555 stays."""
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    may = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    assert may.amount == 2300
    upload = SimpleUploadedFile(
        "进展.xlsx",
        progress_book(
            [
                ["JF2013-001", 2013, 5, previewed, may.physical_progress, may.problems],
                ["JF2013-002", 2013, 6, 100, "新的一月", ""],
            ]
        ),
    )
    token = client.post(reverse("projects:import"), {"kind": "progress", "file": upload}).context[
        "token"
    ]
    lead = Client()
    lead.force_login(User.objects.get(username="chenlixin"))
    saved = lead.post(
        reverse("projects:report_edit", args=[may.pk]),
        {
            "year": 2013,
            "month": 5,
            "amount": "555",
            "physical_progress": may.physical_progress,
            "problems": may.problems,
            "loaded_version": may.version,
        },
    )
    assert saved.status_code == 302
    response = client.post(reverse("projects:import"), {"kind": "progress", "token": token})
    errors = [str(e) for e in response.context["result"].errors]
    assert len(errors) == 1 and "第 2 行" in errors[0] and "预览之后" in errors[0], errors
    may.refresh_from_db()
    assert may.amount == 555
    assert not MonthlyReport.objects.filter(project__code="JF2013-002", month=6).exists()


def test_confirm_goes_through_when_nothing_changed_since_the_preview(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    upload = SimpleUploadedFile(
        "进展.xlsx", progress_book([["JF2013-001", 2013, 5, 999, "会所主体施工至3层", ""]])
    )
    token = client.post(reverse("projects:import"), {"kind": "progress", "file": upload}).context[
        "token"
    ]
    client.post(reverse("projects:import"), {"kind": "progress", "token": token})
    assert MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5).amount == 999


def blank_optional_row(project, plan, **over):
    """`project`'s row with its name changed and every optional cell left blank."""
    blank = dict.fromkeys(["建设单位", "计划开工", "计划竣工", "牵头领导", "责任单位"]) | {
        "建设内容及规模": "  "
    }
    row = project_row(
        project.code,
        f"{project.name}（改）",
        project.total_investment,
        plan.year,
        plan.planned_investment,
        **(blank | over),
    )
    row[PROJECT_HEADERS.index("功能区")] = project.zone.name
    return row


def test_blank_optional_cells_keep_what_an_existing_project_holds(demo, office):
    """A row whose optional cells are blank changes only what it fills in: 建设单位, 建设内容,
    the dates, the lead official, the unit and the national code are kept."""
    project = Project.objects.get(code="JF2013-001")
    project.national_code = "2013-410802-70-01-000123"
    project.save()
    kept = {
        name: getattr(project, name)
        for name in (
            "owner",
            "scope",
            "planned_start",
            "planned_completion",
            "lead_official_id",
            "responsible_unit_id",
            "national_code",
        )
    }
    assert all(kept.values())
    plan = project.annual_plans.get(year=2013)
    headers = [*PROJECT_HEADERS, "全国投资项目代码"]
    data = workbook([[*blank_optional_row(project, plan), None]], headers=headers)
    result = run_import("projects", data, user=office, dry_run=False)
    assert result.written, messages(result)
    ((*_entry, changes),) = [entry for entry in result.update if entry[0] == "project"]
    assert list(changes) == ["name"] and not changes["name"].cleared
    project.refresh_from_db()
    assert project.name.endswith("（改）")
    assert {name: getattr(project, name) for name in kept} == kept


def test_the_clearing_marker_empties_a_value_and_the_preview_marks_it_in_red(client, demo, office):
    """（清空） (or (清空)) clears a stored value; the preview shows each clearing in red with the
    words 【清空】 and counts them; confirmed, the values are empty."""
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    project = Project.objects.get(code="JF2013-001")
    owner, unit = project.owner, project.responsible_unit.name
    plan = project.annual_plans.get(year=2013)
    row = blank_optional_row(
        project, plan, 建设单位="（清空）", 责任单位="（ 清空 ）", 计划竣工="（清空）"
    )
    upload = SimpleUploadedFile("项目.xlsx", workbook([row]))
    response = client.post(reverse("projects:import"), {"kind": "projects", "file": upload})
    html = response.content.decode()
    assert f'<strong class="import-cleared">【清空】 建设单位：{owner} → —</strong>' in html
    assert f'<strong class="import-cleared">【清空】 责任单位：{unit} → —</strong>' in html
    assert '<strong class="import-cleared">【清空】 计划竣工：' in html
    assert "本次导入将清空系统中已有的 3 项内容（下表以【清空】标出）。" in html
    assert f"项目名称：{project.name} → {project.name}（改）" in html  # not marked
    assert "【清空】 项目名称" not in html
    token = response.context["token"]
    assert (
        client.post(reverse("projects:import"), {"kind": "projects", "token": token}).status_code
        == 302
    )
    project.refresh_from_db()
    assert (project.owner, project.responsible_unit, project.planned_completion) == ("", None, None)
    assert project.scope and project.planned_start and project.lead_official


def test_a_required_column_cannot_be_cleared(demo):
    project = Project.objects.get(code="JF2013-001")
    plan = project.annual_plans.get(year=2013)
    row = blank_optional_row(project, plan)
    row[PROJECT_HEADERS.index("功能区")] = "（清空）"
    row[PROJECT_HEADERS.index("项目名称")] = "（清空）"
    result = run_import("projects", workbook([row]), dry_run=False)
    assert not result.written
    assert "工作表「项目」第 2 行「功能区」列：功能区为必填项，不能清空。" in messages(result)
    assert "工作表「项目」第 2 行「项目名称」列：项目名称为必填项，不能清空。" in messages(result)
    project.refresh_from_db()
    assert project.zone.name != "（清空）" and project.name != "（清空）"


def test_the_template_says_blank_keeps_and_how_to_clear(client, demo, office):
    from django.contrib.auth.models import Group

    office.groups.add(Group.objects.get(name="project_office"))
    client.force_login(office)
    response = client.get(reverse("projects:import_template"), {"kind": "projects"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    notes = dict(book["说明"].iter_rows(min_row=2, values_only=True))
    for heading in ("建设单位", "建设内容及规模", "计划开工", "计划竣工", "牵头领导", "责任单位"):
        assert "已有项目留空则保留系统中的原值" in notes[heading]
        assert "（清空）" in notes[heading]


def test_only_an_account_with_the_right_imports(demo, tmp_path):
    """The import's writes are one action (exchange.actions.import_workbook) for the page and
    the commands: an account without the right to import is refused in Chinese, at the
    check as at the write, and nothing is written; the office's account imports."""
    from django.core.exceptions import PermissionDenied

    from projects.exchange.actions import import_workbook
    from tests.conftest import user_in

    observer = user_in("observer", "reader")
    office = user_in("project_office", "importing-office")
    data = workbook([project_row()])
    for dry_run in (True, False):
        with pytest.raises(PermissionDenied, match="您无权导入表格"):
            import_workbook(observer, "projects", data, dry_run=dry_run)
    path = tmp_path / "good.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="您无权导入表格"):
        call_command("import_projects", str(path), "--user", "reader", stdout=io.StringIO())
    assert not Project.objects.filter(code="JF2013-101").exists()
    result = import_workbook(office, "projects", data, dry_run=False)
    assert result.ok and Project.objects.filter(code="JF2013-101").exists()
