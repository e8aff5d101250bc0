"""Chinese text uses full-width punctuation (，：；（）？！) throughout: the catalogue the pages
are written from, and the Word documents the office signs; numbers, times, codes and
addresses keep their half-width forms (1,000  10:30  https://  %(name)s)."""

import io
import re
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import setup_demo

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
HAN = r"[\u3400-\u9fff]"
# What keeps half-width forms: placeholders, template tags, addresses, markup, entities.
KEPT = re.compile(
    r"%\([a-z_0-9]+\)[sdfr]|%[sd]|\{\{[^}]*\}\}|\{[a-z_0-9]*\}|[a-z]+://\S+|<[^>]+>|&[a-z]+;"
)


def half_width(text):
    """The half-width marks of a Chinese text that should be full-width, with their context."""
    if not re.search(HAN, text):
        return []
    text = KEPT.sub("\x00", text)
    found = []
    for match in re.finditer(r"[,;:()?!]", text):
        mark, start = match.group(), match.start()
        before, after = text[start - 1 : start], text[start + 1 : start + 2]
        if mark in ",:" and before.isdigit() and after.isdigit():
            continue  # 1,000 and 10:30
        following = text[start + 1 :].lstrip(" ")[:1]
        if mark in ",:" and not re.match(HAN, before) and not re.match(HAN, following):
            continue  # Latin text or placeholders on both sides: Authorization: Bearer
        if mark in "()":
            inner = re.search(r"\(([^()]*)\)", text[start:] if mark == "(" else "")
            chinese = re.search(HAN, before + after) or (inner and re.search(HAN, inner.group(1)))
            if not chinese:
                continue  # (A3) beside Latin text
        if mark in "?!" and not re.match(HAN, before):
            continue
        found.append(text[max(0, start - 8) : start + 8].replace("\x00", "…"))
    return found


def catalogue_entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        if block.startswith("#~"):
            continue
        msgstr = "".join(
            re.findall(
                r'"((?:[^"\\]|\\.)*)"', "\n".join(re.findall(r"^msgstr.*(?:\n\".*)*", block, re.M))
            )
        )
        if msgstr:
            yield msgstr.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_the_rule_sees_half_width_marks_in_chinese_and_spares_the_rest():
    assert half_width("金额单位:万元") and half_width("陈立新(区长)") and half_width("未报,逾期")
    assert half_width("有问题吗?")
    for kept in (
        "共1,000万元",
        "10:30开会",
        "见 https://xm.gov.cn/a?b=1",
        "%(name)s项",
    ):
        assert half_width(kept) == [], kept


def test_the_catalogue_uses_full_width_punctuation_in_chinese():
    wrong = {entry: marks for entry in catalogue_entries() if (marks := half_width(entry))}
    assert wrong == {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["projects:bulletin_docx", "meeting_minutes"])
def test_the_documents_use_full_width_punctuation(client, name):
    setup_demo()
    client.force_login(User.objects.get(username="office"))
    if name == "meeting_minutes":
        from projects.models import Meeting

        url = reverse("projects:meeting_minutes_docx", args=[Meeting.objects.first().pk])
    else:
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    wrong = {text: marks for text in texts if (marks := half_width(text))}
    assert wrong == {}


def page_text(html):
    """What a page says: its text without markup, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_the_pages_and_the_packet_use_full_width_punctuation(client):
    """Form labels (用户名：), the packet's cover (日期：) and its officials (牵头领导：) and the
    report form's headings: a Chinese label ends with a full-width colon."""
    from projects.models import Meeting, Project

    setup_demo(year=2013)
    login = page_text(client.get(reverse("login")).text)
    client.force_login(User.objects.get(username="office"))
    meeting = Meeting.objects.first()
    meeting.venue, meeting.chair = "区政府三楼会议室", "区长"
    meeting.save()
    pages = {
        "login": login,
        "packet": page_text(client.get(reverse("projects:meeting_print", args=[meeting.pk])).text),
        "report": page_text(
            client.get(
                reverse("projects:report_create", args=[Project.objects.first().pk]),
                {"year": 2013, "month": 5},
            ).text
        ),
    }
    assert "用户名：" in pages["login"] and "牵头领导：" in pages["packet"]
    wrong = {name: marks for name, text in pages.items() if (marks := half_width(text))}
    assert wrong == {}
