"""The packet and the 通报 carry the same 开工率 and 竣工率 as /starts/."""

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Meeting

pytestmark = pytest.mark.django_db


def test_packet_and_bulletin_agree_with_the_page(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    period = {"year": 2013, "month": 5}
    total = client.get(reverse("projects:start_rates"), period).context["rates"].total
    assert (total.planned_starts, total.started, total.start_rate) == (10, 6, 60)
    meeting = Meeting.objects.get(year=2013, number=5, region__code="410802")
    packet = client.get(reverse("projects:meeting_print", args=[meeting.pk])).content.decode()
    assert "本年计划开工 10 个，已开工 6 个，开工率 60.00%（目标 60.00%）" in packet
    response = client.get(reverse("projects:bulletin_docx"), period)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as document:
        text = re.sub(r"<[^>]+>", "", document.read("word/document.xml").decode())
    assert "本年计划开工10个，已开工6个，开工率60.00%（目标60.00%）" in text
