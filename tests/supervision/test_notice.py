"""督办单: the supervision notice of a problem at the 督办 level, on one A4 page."""

import datetime
import re
import subprocess

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from projects.models import Problem, ProblemUpdate

pytestmark = pytest.mark.django_db

SUPERVISED = "项目用地指标尚未落实，影响开工"  # due 2013-05-30, still open


def office(client):
    client.force_login(User.objects.get(username="office"))


def test_the_notice_is_filled_from_the_data(client, demo_users):
    office(client)
    problem = Problem.objects.get(description=SUPERVISED)
    ProblemUpdate.objects.create(
        problem=problem,
        kind="progress",
        note="已向市自然资源局报送用地指标申请",
        author=User.objects.get(username="liuweidong"),
    )
    today = timezone.localdate()
    response = client.get(reverse("projects:problem_notice", args=[problem.pk]))
    html = response.content.decode()
    for text in (
        "督办单",
        f"解督〔{today.year}〕1号",  # the first 督办单 issued this year
        "解放区“四区联建”办公室",
        "JF2013-002 动漫产业园",
        "刘卫东",
        "区发展和改革委员会",
        SUPERVISED,
        "2013-05-30",
        f"已逾期 {(today - datetime.date(2013, 5, 30)).days} 天",
        "已向市自然资源局报送用地指标申请",
        "签发人（签字）：",
        "责任单位签收人（签字）：",
    ):
        assert text in html, text
    # The problem page offers it to the office.
    detail = client.get(reverse("projects:problem_detail", args=[problem.pk])).content.decode()
    assert reverse("projects:problem_notice", args=[problem.pk]) in detail


def test_only_a_problem_at_the_supervision_level_has_a_notice(client, demo_users):
    office(client)
    problem = Problem.objects.get(description=SUPERVISED)
    problem.deadline = timezone.localdate() - datetime.timedelta(days=8)  # 催办, not yet 督办
    problem.save()
    url = reverse("projects:problem_notice", args=[problem.pk])
    assert client.get(url).status_code == 404
    detail = client.get(reverse("projects:problem_detail", args=[problem.pk])).content.decode()
    assert url not in detail and "催办" in detail
    problem.deadline = timezone.localdate() - datetime.timedelta(days=14)
    problem.save()
    assert client.get(url).status_code == 200


def test_the_notice_prints_on_one_a4_page(client, demo_users, tmp_path):
    office(client)
    problem = Problem.objects.get(description=SUPERVISED)
    response = client.get(reverse("projects:problem_notice_pdf", args=[problem.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")  # the title is letter-spaced
    for expected in ("督办单", "动漫产业园", "区发展和改革委员会", "督办要求", "签发人"):
        assert expected in text, expected


def test_notices_are_numbered_per_year_in_the_order_first_issued(client, demo_users):
    """解督〔2026〕1号 for the first 督办单 of the year, 2号 for the next; printed again, a
    notice keeps its number; a new year starts again at 1."""
    import time_machine

    office(client)
    first = Problem.objects.get(description=SUPERVISED)
    second = Problem.objects.create(
        project=first.project,
        description="第二个督办问题",
        deadline=datetime.date(2013, 5, 1),
        responsible_unit=first.responsible_unit,
    )

    def number(problem):
        html = client.get(reverse("projects:problem_notice", args=[problem.pk])).content.decode()
        return re.search(r"解督〔\d+〕\d+号", html).group(0)

    year = timezone.localdate().year
    assert number(second) == f"解督〔{year}〕1号"
    assert number(first) == f"解督〔{year}〕2号"
    assert number(second) == f"解督〔{year}〕1号"  # reprinted: the same number
    with time_machine.travel(datetime.datetime(year + 1, 1, 5, 9), tick=False):
        office(client)  # the session of last year has expired
        third = Problem.objects.create(
            project=first.project,
            description="第三个督办问题",
            deadline=datetime.date(2013, 5, 1),
            responsible_unit=first.responsible_unit,
        )
        assert number(third) == f"解督〔{year + 1}〕1号"
        assert number(first) == f"解督〔{year}〕2号"


def test_the_notice_links_its_pdf_and_the_former_link_still_leads_there(client, demo_users):
    """The PDF of a 督办单 is notice.pdf beside its page; a bookmark of the former ?pdf=1
    link is sent there, and neither answers a problem not yet at the 督办 level."""
    office(client)
    problem = Problem.objects.get(description=SUPERVISED)
    pdf = reverse("projects:problem_notice_pdf", args=[problem.pk])
    assert pdf == f"/problems/{problem.pk}/notice.pdf"
    page = client.get(reverse("projects:problem_notice", args=[problem.pk])).content.decode()
    assert f'href="{pdf}">PDF</a>' in page and "?pdf=1" not in page
    former = client.get(reverse("projects:problem_notice", args=[problem.pk]), {"pdf": "1"})
    assert (former.status_code, former.url) == (301, pdf)
    problem.deadline = timezone.localdate() - datetime.timedelta(days=8)  # 催办 only
    problem.save()
    assert client.get(pdf).status_code == 404
