"""How the progress workbook prints: converted to PDF by LibreOffice (as an office would print
it from WPS or Excel), every project's full name and text is on paper, not cut off; each sheet
says what it is; the wide sheet runs across two pages, not three.

Skipped without LibreOffice unless JIEFANG_REQUIRE_LIBREOFFICE is set (as in CI)."""

import re

import pytest

from projects.exchange.workbook import progress_workbook
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


def test_every_project_prints_whole(demo, tmp_path):
    Project.objects.filter(code="JF2013-001").update(name=LONG_NAME, scope=LONG_SCOPE)
    pages = printed(progress_workbook(Period(2013, 5)), tmp_path)
    everything = squeezed("".join(pages))
    for name, owner, scope in Project.objects.values_list("name", "owner", "scope"):
        assert squeezed(name) in everything, name
        assert squeezed(owner) in everything, owner
        assert squeezed(scope) in everything, scope
    # The progress sheet is two pages across: 序号 to 序时进度 beside 落后序时 to 进度状态, the
    # second repeating 项目名称; no page holds a lone column.
    first, second = pages[0], pages[1]
    assert "解放区“四区联建”重点项目进展情况表" in first and "总投资" in first
    assert "进度状态" in second and "形象进度" in second and "项目名称" in second
    assert "进度状态" not in first
    assert all("页" in page for page in pages)  # the footer: 第 N 页,共 M 页
    titles = ["进展汇总(按功能区)", "问题清单", "时间节点"]
    for title in titles:
        page = next(p for p in pages if f"重点项目{title}" in p)
        assert "截至2013年5月" in page and "填报单位" in page, title
