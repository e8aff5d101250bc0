"""How the progress workbook prints: converted to PDF by LibreOffice (as an office would print
it from WPS or Excel), every project's full name and text is on paper, not cut off; each sheet
says what it is; every sheet prints one page wide (A3 for the wide progress sheet) with its
text at 9 pt or more.

Skipped without LibreOffice unless JIEFANG_REQUIRE_LIBREOFFICE is set (as in CI)."""

import re

import pytest

from projects.exchange.workbook import ProgressWorkbook, progress_workbook
from projects.models import Project
from projects.progress.period import Period
from tests.libreoffice import printed_pages

pytestmark = pytest.mark.django_db

LONG_NAME = "解放区老城区棚户区改造及配套基础设施建设暨历史文化街区保护利用工程"
LONG_SCOPE = "改造棚户区住房1200户,新建安置房18栋,配套建设道路、管网、学校和社区服务中心"


def printed(content, tmp_path):
    source = tmp_path / "book.xlsx"
    source.write_bytes(content)
    return printed_pages(source, tmp_path)


def squeezed(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_every_project_prints_whole(demo, tmp_path):
    Project.objects.filter(code="JF2013-001").update(name=LONG_NAME, scope=LONG_SCOPE)
    pages = printed(progress_workbook(Period(2013, 5)), tmp_path)
    everything = squeezed("".join(pages))
    for name, owner, scope in Project.objects.values_list("name", "owner", "scope"):
        assert squeezed(name) in everything, name
        assert squeezed(owner) in everything, owner
        assert squeezed(scope) in everything, scope
    # One page wide: each page of the progress sheet holds the first and the last column; its
    # first its whole title. The demo's ten projects (one with a long name and scope) take at
    # most two pages, the notes (注) whole on one of them.
    progress = pages[: next(i for i, page in enumerate(pages) if "进展汇总" in page)]
    assert len(progress) <= 2
    assert "解放区“四区联建”重点项目进展情况表" in progress[0]
    for page in progress:
        assert "序号" in page and "总投资" in page and "进度状态" in page
    assert any(squeezed(ProgressWorkbook.NOTES) in squeezed(page) for page in progress)
    assert len(pages) == len(progress) + 4  # the other sheets: a page each
    assert all("页" in page for page in pages)  # the footer: 第 N 页,共 M 页
    titles = ["进展汇总(按功能区)", "问题清单", "时间节点", "开工率和竣工率(第2季度目标)"]
    for title in titles:
        page = next(p for p in pages if f"重点项目{title}" in p)
        assert "截至2013年5月" in page and "填报单位" in page, title


def word_heights(pdf, page):
    """The most common height of a word's box on `page` (the body text's)."""
    import collections
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heights = [
        round(float(y2) - float(y1), 1)
        for y1, y2 in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', html)
    ]
    return collections.Counter(heights).most_common(1)[0][0]


@pytest.mark.slow
def test_every_sheet_prints_one_page_wide_at_9_pt_or_more(demo, tmp_path):
    """The body text on every printed page is at least 9 pt: measured against a cell of the
    same 10 pt font printed at 100 % on this machine's fonts."""
    import subprocess

    from openpyxl import Workbook

    from projects.exchange.xlsx import BODY_FONT
    from tests.libreoffice import soffice

    reference = Workbook()
    reference.active["A1"] = "参照文字参照文字"
    reference.active["A1"].font = BODY_FONT
    reference.save(tmp_path / "reference.xlsx")
    book = tmp_path / "book.xlsx"
    book.write_bytes(progress_workbook(Period(2013, 5)))
    for source in (tmp_path / "reference.xlsx", book):
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    at_100 = word_heights(tmp_path / "reference.pdf", 1)
    pages = len(printed_pages(book, tmp_path))
    for page in range(1, pages + 1):
        assert word_heights(tmp_path / "book.pdf", page) >= 0.9 * at_100 - 0.05, page
