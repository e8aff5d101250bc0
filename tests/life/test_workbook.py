"""The register workbook's 开工率 sheet agrees with /starts/."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_sheet_and_the_page_give_the_same_figures(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    period = {"year": 2013, "month": 6}
    page = client.get(reverse("projects:start_rates"), period).context["rates"]
    response = client.get(reverse("projects:progress_xlsx"), period)
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    sheet = book["开工率"]
    assert "第2季度" in sheet["A1"].value and "截至2013年6月" in sheet["A2"].value
    rows = {
        row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1] is not None
    }
    for line in [page.total, *page.zones, *page.officials]:
        label = line.label or "合计"
        cells = rows[label]
        assert cells[1:3] == (line.planned_starts, line.started), label
        assert cells[5:7] == (line.planned_completions, line.completed), label
        if line.start_rate is not None:
            assert round(cells[3] * 100, 2) == float(line.start_rate), label
        assert round(cells[4] * 100, 2) == float(line.start_target), label
    assert rows["合计"][1:4] == (10, 6, 0.6)
    assert sheet.cell(4, 4).number_format.endswith("%")
