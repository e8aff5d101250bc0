"""A superior's system downloads a meeting's documents with its token: the packet, the
minutes and the bulletin exactly as the office printed them once the meeting is held, and
never a sibling district's."""

import shutil
import subprocess

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.meetings import record
from projects.models import Meeting, Project
from tests.api.conftest import CITY, JIEFANG, SHANYANG, bearer
from tests.meetings.test_frozen_record import docx_text

pytestmark = pytest.mark.django_db

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENTS = ("packet", "minutes", "bulletin")


def held(code):
    """The region's meeting of May 2013, frozen as when the office locks the month."""
    meeting = Meeting.objects.get(region__code=code, year=2013, month=5)
    record.freeze(meeting)
    return meeting


def download(client, key, name, meeting):
    return client.get(reverse(f"api:meeting_{name}", args=[meeting.pk]), **bearer(key))


def pdf_text(content, tmp_path):
    path = tmp_path / "packet.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_meeting_list_points_to_documents_a_token_can_download(client, tokens):
    meeting = Meeting.objects.get(region__code=JIEFANG, year=2013, month=5)
    url = reverse("api:meeting_list")

    def row():
        rows = client.get(url, {"region": JIEFANG}, **bearer(tokens[JIEFANG])).json()["results"]
        return next(row for row in rows if row["id"] == meeting.pk)

    assert row()["frozen_at"] is None  # not held yet: its documents follow today's figures
    record.freeze(meeting)
    listed = row()
    assert listed["frozen_at"] is not None
    assert set(listed["documents"]) == {"packet_pdf", "minutes_docx", "bulletin_docx"}
    minutes = client.get(listed["documents"]["minutes_docx"], **bearer(tokens[JIEFANG]))
    assert minutes.status_code == 200 and minutes["Content-Type"] == WORD
    assert "例会纪要" in docx_text(minutes.content)
    bulletin = client.get(listed["documents"]["bulletin_docx"], **bearer(tokens[JIEFANG]))
    assert bulletin.status_code == 200 and "通报" in docx_text(bulletin.content)


def test_a_token_gets_the_frozen_documents_as_the_office_printed_them(client, tokens):
    """The minutes and bulletin a token downloads are the meeting page's, word for word, and
    stay so after a new project is imported into the month."""
    meeting = held(JIEFANG)
    office = User.objects.get(username="office")
    page = type(client)()
    page.force_login(office)
    printed = {
        "minutes": docx_text(
            page.get(reverse("projects:meeting_minutes_docx", args=[meeting.pk])).content
        ),
        "bulletin": docx_text(
            page.get(reverse("projects:meeting_bulletin_docx", args=[meeting.pk])).content
        ),
    }
    Project.objects.filter(region__code=JIEFANG, code="JF2013-001").update(name="会后改名的项目")
    for name, text in printed.items():
        response = download(client, tokens[JIEFANG], name, meeting)
        assert response.status_code == 200, name
        assert docx_text(response.content) == text, name
    assert "会后改名的项目" not in printed["minutes"] + printed["bulletin"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_a_token_gets_the_frozen_packet_as_a_pdf(client, tokens, tmp_path):
    meeting = held(JIEFANG)
    before = download(client, tokens[JIEFANG], "packet", meeting)
    assert before.status_code == 200 and before["Content-Type"] == "application/pdf"
    first = Project.objects.get(code="JF2013-001")
    Project.objects.filter(pk=first.pk).update(name="会后改名的项目")
    after = download(client, tokens[JIEFANG], "packet", meeting)
    text = pdf_text(after.content, tmp_path)
    assert text == pdf_text(before.content, tmp_path)
    assert first.name[:6] in text.replace("\n", "") and "会后改名的项目" not in text


def test_a_siblings_meeting_documents_are_not_found_and_the_city_reads_both(client, tokens):
    jiefang, shanyang = held(JIEFANG), held(SHANYANG)
    for name in ("minutes", "bulletin"):
        refused = download(client, tokens[SHANYANG], name, jiefang)
        assert refused.status_code == 404, name
        assert refused.json()["detail"]  # JSON, in Chinese, like every error of the API
        assert download(client, tokens[JIEFANG], name, shanyang).status_code == 404, name
        for meeting in (jiefang, shanyang):
            assert download(client, tokens[CITY], name, meeting).status_code == 200, name
    assert download(client, tokens[SHANYANG], "packet", jiefang).status_code == 404


def test_an_issue_that_does_not_exist_is_not_found(client, tokens):
    meeting = held(JIEFANG)
    url = reverse("api:meeting_minutes", args=[meeting.pk])
    assert client.get(url, {"issue": 0}, **bearer(tokens[JIEFANG])).status_code == 200
    response = client.get(url, {"issue": 7}, **bearer(tokens[JIEFANG]))
    assert response.status_code == 404 and "没有这一版本" in response.json()["detail"]
