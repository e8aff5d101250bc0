"""What an attacker or a careless workbook does to the import: every case is refused (or read
right) with a Chinese message naming the cell, never a 500 and never openpyxl's English."""

import datetime
import io
import re
import struct
import zipfile

import openpyxl
import pytest

from projects.exchange.template import PROGRESS_HEADERS
from projects.exchange.writing import run_import
from projects.models import Project
from tests.exchange.test_imports import messages, project_row, refused, rezip, workbook

pytestmark = pytest.mark.django_db

LATIN = re.compile(r"[A-Za-z]{4,}")  # an English word in a message


def progress_book(rows):
    return workbook(rows, PROGRESS_HEADERS)


def no_english(text):
    """The messages may quote what the cell held, never explain in English."""
    return not any(word in text for word in ("Error", "error", "invalid", "expected", "Traceback"))


@pytest.mark.parametrize("amount", ["1E+30", "NaN", "INF", "-Infinity", 1e30, "9" * 40])
def test_absurd_amounts_are_refused_by_cell(demo, amount):
    text = refused(progress_book([["JF2013-001", 2013, 6, amount, "", ""]]), "progress")
    assert "第 2 行" in text and "本月完成投资" in text and "不是以万元计的金额" in text
    assert no_english(text)


def test_a_number_in_a_date_column_is_not_a_date(demo):
    text = refused(workbook([project_row(计划开工=2013)]))
    assert "「2013」是数字，不是日期" in text


def hidden_first(state, formula=False):
    """A workbook whose first sheet (sheet1.xml) is hidden with other rows, and whose visible
    second sheet (sheet2.xml) holds the rows to import."""
    book = openpyxl.Workbook()
    old = book.active
    old.title = "旧数据"
    from projects.exchange.template import PROJECT_HEADERS

    old.append(PROJECT_HEADERS)
    old.append(project_row("JF2013-901", "隐藏表里的项目"))
    old.sheet_state = state
    sheet = book.create_sheet("项目")
    sheet.append(PROJECT_HEADERS)
    sheet.append(project_row("JF2013-902", "看得见的项目", total="=1000*5" if formula else 5000))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_the_visible_sheet_is_imported_not_a_hidden_first_one(demo, state):
    result = run_import("projects", hidden_first(state), dry_run=True)
    assert result.ok, messages(result)
    assert [entry[2] for entry in result.create if entry[0] == "project"] == ["JF2013-902"]


def test_the_formula_check_reads_the_imported_sheet_wherever_it_is(demo):
    """The data sheet is sheet2.xml: its formula without a cached value is still found."""
    assert "公式但没有计算结果" in refused(hidden_first("hidden", formula=True))


def lying_directory(data, name="xl/worksheets/sheet1.xml"):
    """Rewrite the zip so that `name`'s headers claim it unpacks to 1 KB."""
    blob = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := blob.find(signature, start)) != -1:
            header_name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            length_at = start + (26 if signature == b"PK\x03\x04" else 28)
            (length,) = struct.unpack("<H", blob[length_at : length_at + 2])
            if bytes(blob[header_name_at : header_name_at + length]) == name.encode():
                blob[start + offset : start + offset + 4] = struct.pack("<I", 1024)
            start += 4
    return bytes(blob)


def test_a_zip_whose_directory_lies_about_sizes_is_refused_without_unpacking_it(demo):
    padding = " " * (40 * 1024 * 1024)  # 40 MB of spaces: a few dozen KB compressed

    def pad(name, content):
        if name == "xl/worksheets/sheet1.xml":
            return content.replace(b"<sheetData>", b"<sheetData>" + padding.encode(), 1)
        return None if name == "__extra__" else content

    data = lying_directory(rezip(workbook([project_row()]), pad))
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    text = refused(data)
    assert "已损坏" in text or "压缩" in text
    assert no_english(text)


def test_a_damaged_sheet_says_so_in_chinese(demo):
    def truncate(name, content):
        if name == "xl/worksheets/sheet1.xml":
            return content[: len(content) // 2]
        return None if name == "__extra__" else content

    text = refused(rezip(workbook([project_row(), project_row("JF2013-102")]), truncate))
    assert "已损坏" in text and no_english(text) and not LATIN.search(text.replace("Excel", ""))


def test_codes_differing_in_width_case_or_spaces_are_one_project(demo):
    rows = [project_row(code) for code in ("HX-dup2", "HX-DUP2", "ＨＸ-ＤＵＰ２", " hx - dup2 ")]
    result = run_import("projects", workbook(rows), dry_run=True)
    assert result.ok, messages(result)
    assert [entry[2] for entry in result.create if entry[0] == "project"] == ["HX-DUP2"]
    progress = progress_book([["jf2013-001", 2013, 6, 100, "", ""]])
    assert run_import("progress", progress, dry_run=True).ok


def test_every_fault_of_a_row_is_listed(demo):
    row = project_row(功能区="火星", 年度="二〇一三", **{"总投资(万元)": "很多"})
    text = refused(workbook([row]))
    for column in ("功能区", "总投资", "年度"):
        assert f"「{column}" in text, (column, text)
    text = refused(progress_book([["JF2013-001", "去年", 6, -5, "", ""]]), "progress")
    assert "「年」" in text and "不能为负" in text, text


def test_nothing_is_written_from_a_refused_workbook(demo):
    before = Project.objects.count()
    run_import("projects", hidden_first("hidden", formula=True), dry_run=False)
    assert Project.objects.count() == before
    assert datetime.date.today()  # the import ran to its refusal without raising
