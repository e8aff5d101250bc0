"""Every workbook the app writes goes through one safe writer: control characters from Word
are cleaned (never a 500), formulas and error literals stay text. Text is also cleaned on the
way in, from forms, the admin and imports."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from projects.exchange.reading import to_text
from projects.models import Meeting, MonthlyReport, Official, Problem, Project, Zone

pytestmark = pytest.mark.django_db

DIRTY = "第一行\x0b第二行\x1b[31m\x08\x01\x0c末行"
CLEAN = "第一行\n第二行[31m\n末行"
HOSTILE = ['=HYPERLINK("http://evil","点我")', "#N/A", "#DIV/0!", "+1", "@SUM(A1)"]

EXPORTS = [
    ("projects:progress_xlsx", {"year": 2013, "month": 5}),
    ("projects:project_list", {"year": 2013, "month": 5, "export": "xlsx"}),
    ("projects:official_list", {"year": 2013, "month": 5, "export": "xlsx"}),
    ("projects:zone_list", {"year": 2013, "month": 5, "export": "xlsx"}),
    ("projects:problem_list", {"export": "xlsx"}),
    ("projects:meeting_list", {"export": "xlsx"}),
    ("projects:import_template", {"kind": "projects"}),
]


def every_string_cell(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield cell


def soil(text):
    """Text stored before cleaning existed, or by a path that skips save()."""
    project = Project.objects.get(code="JF2013-001")
    Project.objects.filter(pk=project.pk).update(name=f"项目{text}", owner=text, scope=text)
    MonthlyReport.objects.filter(project=project, year=2013, month=5).update(
        physical_progress=text, problems=text
    )
    Problem.objects.filter(project=project).update(description=text)
    Meeting.objects.filter(year=2013, number=5).update(title=text)
    Zone.objects.filter(pk=project.zone_id).update(name=f"区{text}")
    Official.objects.filter(pk=project.lead_official_id).update(name=f"领导{text}")


@pytest.mark.parametrize("name, params", EXPORTS, ids=[name for name, _ in EXPORTS])
def test_every_export_survives_control_characters(client, demo_users, name, params):
    soil(DIRTY)
    client.force_login(User.objects.get(username="office"))
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    texts = [cell.value for cell in every_string_cell(response.content)]
    assert not any(ch in text for text in texts for ch in "\x0b\x1b\x08\x01\x0c")
    if name != "projects:import_template" and name != "projects:meeting_list":
        assert any(CLEAN in text for text in texts), name


def test_the_export_projects_command_survives_control_characters(demo_users, tmp_path):
    soil(DIRTY)
    output = tmp_path / "projects.xlsx"
    call_command("export_projects", output=str(output))
    texts = [cell.value for cell in every_string_cell(output.read_bytes())]
    assert f"项目{CLEAN}" in texts


@pytest.mark.parametrize("text", HOSTILE)
def test_every_writer_keeps_formulas_and_error_literals_as_text(client, demo_users, text, tmp_path):
    soil(text)
    output = tmp_path / "projects.xlsx"
    call_command("export_projects", output=str(output))
    client.force_login(User.objects.get(username="office"))
    contents = [output.read_bytes()] + [
        client.get(reverse(name), params).content for name, params in EXPORTS
    ]
    for content in contents:
        cells = [c for c in every_string_cell(content) if text in c.value]
        for cell in cells:
            assert cell.data_type == "s", (cell.coordinate, cell.value)
        book = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                assert not any(c.data_type in ("f", "e") for c in row)


def test_text_comes_in_clean_from_the_report_form(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    project = Project.objects.get(code="JF2013-001")
    response = client.post(
        reverse("projects:report_create", args=[project.pk]) + "?year=2013&month=6",
        {"year": 2013, "month": 6, "amount": "10", "physical_progress": DIRTY, "problems": DIRTY},
    )
    assert response.status_code == 302
    report = project.reports.get(year=2013, month=6)
    assert (report.physical_progress, report.problems) == (CLEAN, CLEAN)


def test_text_comes_in_clean_from_the_admin(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    meeting = Meeting.objects.get(year=2013, number=5)
    meeting.minutes = DIRTY
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.minutes == CLEAN


def test_imported_text_is_cleaned():
    assert to_text(DIRTY) == CLEAN
    assert to_text(datetime.date(2013, 5, 1)) == "2013-05-01"
