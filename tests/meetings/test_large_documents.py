"""The Word documents of a large register (#34): the 通报 names the worst red projects up to
the office's number and counts the rest per zone; the 纪要 gives each lead official's counts
and worst red projects; both still print in LibreOffice; a document of more projects than a
request should wait for is built in the background, and it is the same document."""

import io
import re

import docx
import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

from projects.exports import jobs
from projects.meetings import docx_file
from projects.models import ExportJob, Light, Meeting, Official, Project, Zone
from projects.progress.period import Period
from tests.conftest import make_projects
from tests.libreoffice import printed_pages

pytestmark = pytest.mark.django_db

MANY = 45  # red projects added to the demo's district, past the default 30


@pytest.fixture
def office(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    return client


@pytest.fixture
def many_red(demo_users):
    """MANY projects of one new official in the demo's first zone, each far behind its time
    schedule in June 2013 (one small report in January against a plan of 1,200): red."""
    zone = Zone.objects.filter(region__code="410802").order_by("order").first()
    official = Official.objects.create(name="滞后领导", position="副区长", region=zone.region)
    return make_projects(zone, MANY, month=1, official=official, prefix="RED")


def read(content):
    return docx.Document(io.BytesIO(content))


def rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def text_of(document):
    return "\n".join(p.text for p in document.paragraphs)


def red_now(period):
    return Project.objects.with_progress(period).filter(light_rank=Light.RED.rank)


def bulletin(office, year=2013, month=6):
    response = office.get(reverse("projects:bulletin_docx"), {"year": year, "month": month})
    assert response.status_code == 200, response
    return read(response.content)


def test_the_bulletin_names_the_worst_red_projects_up_to_the_cap_and_counts_the_rest(
    office, many_red
):
    period = Period(2013, 6)
    red = list(red_now(period))
    assert len(red) > 30 + 10
    document = bulletin(office)
    table = next(t for t in document.tables if rows(t)[0] == ["项目", "牵头领导", "原因"])
    named = [row[0] for row in rows(table)[1:]]
    assert len(named) == 30  # JIEFANG_DOCUMENT_NAMES
    # The worst by gap: none left out is further behind than one named.
    gaps = {p.name: p.gap if p.gap is not None else -1 for p in red}
    assert min(gaps[name] for name in named) >= max(
        gap for name, gap in gaps.items() if name not in named
    )
    # The rest counted per zone: “……另有N个项目严重滞后”, adding up to those left out.
    note = next(p.text for p in document.paragraphs if "另有" in p.text and "严重滞后" in p.text)
    counted = [int(n) for n in re.findall(r"另有(\d+)个项目严重滞后", note)]
    assert sum(counted) == len(red) - 30
    zones = {p.zone.name for p in red if p.name not in named}
    assert all(zone in note for zone in zones)
    assert "重点项目进展情况表" in note  # where the full list is


@override_settings(JIEFANG_DOCUMENT_NAMES=200)
def test_a_cap_above_the_red_projects_names_them_all_and_counts_none(office, many_red):
    document = bulletin(office)
    table = next(t for t in document.tables if rows(t)[0] == ["项目", "牵头领导", "原因"])
    assert {row[0] for row in rows(table)[1:]} == {p.name for p in red_now(Period(2013, 6))}
    assert "另有" not in text_of(document)


@override_settings(JIEFANG_DOCUMENT_FULL_LIST=20, JIEFANG_DOCUMENT_NAMES_PER_OFFICIAL=5)
def test_the_minutes_of_a_large_meeting_give_each_official_counts_and_worst_red_projects(
    office, many_red
):
    meeting = Meeting.objects.get(region__code="410802", year=2013, month=5)
    response = office.get(reverse("projects:meeting_minutes_docx", args=[meeting.pk]))
    document = read(response.content)
    text = text_of(document)
    assert "全部项目见重点项目进展情况表" in text
    engine = {p.name: p for p in Project.objects.with_progress(meeting.period)}
    tables = [t for t in document.tables if len(rows(t)[0]) == 7 and rows(t)[0][0] == "项目"]
    listed = [row for table in tables for row in rows(table)[1:]]
    assert listed and all(engine[row[0]].light == Light.RED for row in listed)
    assert all(len(rows(table)) - 1 <= 5 for table in tables)
    # The official with MANY red projects: counted, 5 named, the rest said.
    red_may = sum(1 for p in engine.values() if p.lead_official_id == many_red[0].lead_official_id)
    assert f"分包项目{MANY}个" in "".join(text.split())
    assert f"另有{red_may - 5}个项目严重滞后" in text


@pytest.mark.slow
def test_a_capped_bulletin_prints_in_libreoffice(office, many_red, tmp_path):
    source = tmp_path / "bulletin.docx"
    response = office.get(reverse("projects:bulletin_docx"), {"year": 2013, "month": 6})
    source.write_bytes(response.content)
    flat = "".join("".join(printed_pages(source, tmp_path)).split())
    assert "重点项目推进情况的通报" in flat and "另有" in flat and "严重滞后" in flat


@override_settings(JIEFANG_BACKGROUND_DOCUMENT_OVER=5)
def test_a_large_document_is_built_in_the_background_and_is_the_same_document(office, many_red):
    url = reverse("projects:bulletin_docx")
    response = office.get(url, {"year": 2013, "month": 6})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.kind == "bulletin" and job.project_count == Project.objects.count()
    page = office.get(response.url).content.decode()
    assert "文档正在后台生成" in page
    assert jobs.run(job.pk).status == ExportJob.Status.DONE
    download = office.get(reverse("projects:export_download", args=[job.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"].lower()
    assert "''%e6%9c%88%e5%ba%a6%e9%80%9a%e6%8a%a5" in disposition  # 月度通报
    assert disposition.endswith(".docx")
    built = read(b"".join(download.streaming_content))
    with override_settings(JIEFANG_BACKGROUND_DOCUMENT_OVER=10**6):
        direct = bulletin(office)
    assert text_of(built) == text_of(direct)
    assert [rows(t) for t in built.tables] == [rows(t) for t in direct.tables]


@override_settings(JIEFANG_BACKGROUND_DOCUMENT_OVER=5)
def test_the_minutes_of_a_large_meeting_queue_once_per_request(office):
    meeting = Meeting.objects.get(region__code="410802", year=2013, month=5)
    url = reverse("projects:meeting_minutes_docx", args=[meeting.pk])
    first, again = office.get(url), office.get(url)
    assert first.url == again.url  # the same job while it waits
    job = ExportJob.objects.get()
    assert job.kind == "minutes" and f"meeting={meeting.pk}" in job.query
    assert office.get(url, {"issue": "7"}).status_code == 404  # no such issue: said now


def test_the_filled_body_is_parsed_with_its_document_not_moved_into_it(monkeypatch, office):
    """lxml moving a large tree between documents is quadratic: the body is never moved."""
    moved = []
    monkeypatch.setattr(docx_file.DocxTemplate, "map_tree", lambda *a: moved.append(a))
    meeting = Meeting.objects.get(region__code="410802", year=2013, month=5)
    response = office.get(reverse("projects:meeting_minutes_docx", args=[meeting.pk]))
    assert response.status_code == 200 and moved == []
    assert "例会纪要" in text_of(read(response.content))


def test_the_meeting_page_links_to_the_workbook_with_the_full_lists(office):
    meeting = Meeting.objects.get(region__code="410802", year=2013, month=5)
    page = office.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    link = reverse("projects:progress_xlsx") + "?year=2013&amp;month=5"
    assert f'id="progress-workbook" href="{link}"' in page and "进展情况表" in page
