"""The responsible unit answers for its problems: it sees only its own, posts progress and
asks for closure; the lead official may do the same for their projects; the office closes
(销号) or sends back with a reason. Every step is on the problem's page with who and when."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Meeting, Problem, ProblemUpdate, Unit
from projects.supervision.filters import ProblemFilterSet

pytestmark = pytest.mark.django_db

MINE = "商户过渡安置场地不足"  # 焦北街道办事处's, on 陈立新's JF2013-003
OTHERS = "项目用地指标尚未落实，影响开工"  # 区发展和改革委员会's, on 刘卫东's JF2013-002


def problem(description):
    return Problem.objects.get(description=description)


def login(client, username):
    client.force_login(User.objects.get(username=username))


def answer(client, description, note, kind="progress"):
    return client.post(
        reverse("projects:problem_answer", args=[problem(description).pk]),
        {"kind": kind, "note": note},
        follow=True,
    )


def test_a_unit_contact_sees_only_the_units_problems(client, demo_users):
    login(client, "jiaobei")
    response = client.get(reverse("projects:my_problems"))
    assert [p.description for p in response.context["object_list"]] == [MINE]
    html = response.content.decode()
    assert "督办" in html  # due 2013-06-20, long past: the level shows on the card
    register = client.get(reverse("projects:problem_list")).context["table"].data
    assert [p.description for p in register] == [MINE]
    assert (
        client.get(reverse("projects:problem_detail", args=[problem(OTHERS).pk])).status_code == 404
    )
    # The register's other pages are not theirs; the dashboard takes them to their problems.
    assert client.get(reverse("projects:project_list")).status_code == 403
    assert client.get(reverse("projects:dashboard")).url == reverse("projects:my_problems")
    menu = client.get(reverse("projects:my_problems")).content.decode()
    assert "我的问题" in menu and "重点项目</a>" not in menu


def test_the_whole_round_unit_asks_office_sends_back_unit_asks_again_office_closes(
    client, demo_users
):
    login(client, "jiaobei")
    html = answer(client, MINE, "已与焦北街道协调临时安置点两处").content.decode()
    assert "处理进展已记录。" in html and "已与焦北街道协调临时安置点两处" in html
    html = answer(client, MINE, "商户已全部过渡安置", kind="closure_requested").content.decode()
    assert "已申请销号，等待项目办审核。" in html
    assert problem(MINE).closure_requested_at is not None
    # Asking twice changes nothing.
    html = answer(client, MINE, "再次申请", kind="closure_requested").content.decode()
    assert "已申请过销号" in html
    assert problem(MINE).updates.count() == 2

    login(client, "office")
    mine = client.get(reverse("projects:my_problems")).context["object_list"]
    assert mine[0].description == MINE  # the request waits at the top of the office's list
    page = client.get(reverse("projects:problem_detail", args=[problem(MINE).pk]))
    assert page.context["close_form"].initial["closing_note"] == "商户已全部过渡安置"
    html = client.post(
        reverse("projects:problem_return", args=[problem(MINE).pk]),
        {"reason": "请附安置协议"},
        follow=True,
    ).content.decode()
    assert "销号申请已退回" in html and "请附安置协议" in html
    assert problem(MINE).closure_requested_at is None

    login(client, "jiaobei")
    answer(client, MINE, "已补充安置协议", kind="closure_requested")
    login(client, "office")
    item = problem(MINE)
    client.post(
        reverse("projects:problem_close", args=[item.pk]),
        {"closing_note": "安置协议已签，同意销号", "loaded_version": item.version},
    )
    item = problem(MINE)
    assert item.status == Problem.Status.CLOSED and item.closure_requested_at is None
    steps = list(item.updates.values_list("kind", "author__username", "note"))
    assert steps == [
        ("progress", "jiaobei", "已与焦北街道协调临时安置点两处"),
        ("closure_requested", "jiaobei", "商户已全部过渡安置"),
        ("returned", "office", "请附安置协议"),
        ("closure_requested", "jiaobei", "已补充安置协议"),
        ("closed", "office", "安置协议已签，同意销号"),
    ]
    html = client.get(reverse("projects:problem_detail", args=[item.pk])).content.decode()
    for who in ("焦北街道联络人", "项目办"):
        assert who in html
    steps_html = html[html.index('<ol class="steps">') :]
    assert steps_html.index("已与焦北街道协调") < steps_html.index("安置协议已签")  # in order
    # The change log records the request and the return with who made them.
    assert item.history.filter(history_user__username="jiaobei").count() == 2

    login(client, "jiaobei")
    html = answer(client, MINE, "补充说明").content.decode()
    assert "该问题已销号，未作记录。" in html
    assert item.updates.count() == 5


def test_the_lead_official_and_liaison_answer_for_their_projects_problems_only(client, demo_users):
    for username in ("chenlixin", "liaison"):
        login(client, username)
        assert "处理进展已记录。" in answer(client, MINE, f"{username}跟进").content.decode()
    assert problem(MINE).updates.count() == 2
    login(client, "chenlixin")
    response = client.post(
        reverse("projects:problem_answer", args=[problem(OTHERS).pk]),
        {"kind": "progress", "note": "越权"},
    )
    assert response.status_code == 404
    assert not problem(OTHERS).updates.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "progress", "note": "   "}, "请填写办理情况。"),
        ({"kind": "progress"}, "请填写办理情况。"),
        ({"kind": "closed", "note": "自己销号"}, "未记录"),
        ({"kind": "progress", "note": "长" * 1001}, "未记录"),
    ],
)
def test_bad_answers_get_a_chinese_message_and_change_nothing(client, demo_users, data, message):
    login(client, "jiaobei")
    item = problem(MINE)
    html = client.post(
        reverse("projects:problem_answer", args=[item.pk]), data, follow=True
    ).content.decode()
    assert message in html
    assert not item.updates.exists()
    item.refresh_from_db()
    assert item.status == Problem.Status.OPEN and item.closure_requested_at is None


def test_the_office_cannot_send_back_what_nobody_asked_to_close(client, demo_users):
    login(client, "office")
    item = problem(MINE)
    html = client.post(
        reverse("projects:problem_return", args=[item.pk]), {"reason": "退回"}, follow=True
    ).content.decode()
    assert "该问题没有待审核的销号申请。" in html
    assert not item.updates.exists()


def test_a_return_needs_a_reason(client, demo_users):
    login(client, "jiaobei")
    answer(client, MINE, "已办结", kind="closure_requested")
    login(client, "office")
    item = problem(MINE)
    html = client.post(
        reverse("projects:problem_return", args=[item.pk]), {"reason": " "}, follow=True
    ).content.decode()
    assert "请填写退回理由。" in html
    assert problem(MINE).closure_requested_at is not None


def test_my_problems_costs_the_same_queries_for_many_problems(client, demo_users):
    login(client, "office")
    url = reverse("projects:my_problems")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    template = problem(MINE)
    Problem.objects.bulk_create(
        Problem(
            project=template.project,
            description=f"问题{i}",
            responsible_unit=template.responsible_unit,
            deadline=template.deadline,
        )
        for i in range(20)
    )
    assert count() == few
    ProblemUpdate.objects.create(problem=template, kind="progress", note="x")
    assert count() == few


def test_a_closed_problem_cannot_be_closed_again_and_keeps_its_closing_note(client, demo_users):
    """The office closes an item; a second close (another tab, or the same form posted again
    at the version it now holds) is refused in Chinese and the first closing note stays."""
    login(client, "office")
    item = problem(MINE)
    url = reverse("projects:problem_close", args=[item.pk])
    client.post(url, {"closing_note": "安置协议已签，同意销号", "loaded_version": item.version})
    item = problem(MINE)
    assert item.status == Problem.Status.CLOSED
    closed_at, version = item.closed_at, item.version

    html = client.post(
        url, {"closing_note": "重新写的销号说明", "loaded_version": item.version}, follow=True
    ).content.decode()

    assert "该问题已销号" in html
    item = problem(MINE)
    assert item.closing_note == "安置协议已签，同意销号"
    assert (item.closed_at, item.version) == (closed_at, version)
    assert list(item.updates.values_list("kind", flat=True)) == ["closed"]


def test_a_unit_contacts_register_filters_offer_only_what_their_problems_hold(client, demo_users):
    """The unit contact's register lists their units' problems; its filters offer only those
    problems' units, lead officials, zones and meetings, not every name in the register.
    The office is offered all of them."""
    mine = problem(MINE)
    others = problem(OTHERS)
    assert others.responsible_unit != mine.responsible_unit
    assert others.project.lead_official != mine.project.lead_official
    login(client, "jiaobei")
    response = client.get(reverse("projects:problem_list"))
    fields = response.context["filter"].form.fields
    offered = {name: list(fields[name].queryset) for name in ProblemFilterSet.OPTIONS}
    assert offered == {
        "responsible_unit": [mine.responsible_unit],
        "lead_official": [mine.project.lead_official],
        "zone": [mine.project.zone],
        "meeting": [mine.meeting],
    }
    html = response.content.decode()
    assert others.responsible_unit.name not in html
    assert others.project.lead_official.name not in html
    # A unit they cannot see is not a choice (the rows were scoped already).
    refused = client.get(
        reverse("projects:problem_list"), {"responsible_unit": others.responsible_unit.pk}
    )
    assert list(refused.context["table"].data) == []

    login(client, "office")
    fields = client.get(reverse("projects:problem_list")).context["filter"].form.fields
    assert fields["responsible_unit"].queryset.count() == Unit.objects.count()
    assert fields["meeting"].queryset.count() == Meeting.objects.count()
