"""The admin's own change forms write through actions (projects/actions.py and the concerns'
actions.py), each checking the acting account's scope again: a sibling district's office
that posts a row of the other district (in a page's inline, by calling the action as a
page that forgot its check would) changes nothing and is refused in Chinese; an office
cannot move its own project into a sibling's region or zone; a month submitted to the city
is not unlocked by deleting its lock; the right office's save works and writes one history
record per row."""

import datetime
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from projects.models import (
    ApiToken,
    Meeting,
    MilestoneTemplate,
    MonthLock,
    Problem,
    Project,
    Region,
    RegionSubmission,
    Zone,
)
from tests.conftest import setup_demo
from tests.register.test_admin import post_data

pytestmark = pytest.mark.django_db

JIEFANG, SHANYANG = "410802", "410811"


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def account(username):
    return User.objects.get(username=username)


def errors(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def jiefang_project():
    return Project.objects.get(code="JF2013-001")


def test_a_sibling_cannot_add_a_problem_on_the_other_districts_project_in_its_meeting(client, city):
    """山阳区's office adds, in its own meeting's page, a problem naming a 解放区 project (a
    post made by hand: the page offers only its own projects): refused in Chinese, no
    problem written."""
    client.force_login(account("shanyang"))
    meeting = Meeting.objects.get(region__code=SHANYANG)
    url = reverse("admin:projects_meeting_change", args=[meeting.pk])
    page = client.get(url)
    data = post_data(page)
    (inline,) = page.context["inline_admin_formsets"]
    prefix = inline.formset.prefix
    new = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(new + 1)
    data |= {
        f"{prefix}-{new}-project": str(jiefang_project().pk),
        f"{prefix}-{new}-description": "跨区写入的问题",
        f"{prefix}-{new}-status": "open",
        f"{prefix}-{new}-deadline": "2013-06-30",
        f"{prefix}-{new}-disposition": Problem._meta.get_field("disposition").default,
    }
    before, logged = Problem.objects.count(), LogEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 302
    assert any("其他区域" in message for message in errors(response)), errors(response)
    assert Problem.objects.count() == before
    assert LogEntry.objects.count() == logged  # the admin's log of the change rolled back too
    assert not Problem.objects.filter(description="跨区写入的问题").exists()


def test_deleting_a_lock_of_a_month_submitted_to_the_city_is_refused(client, city):
    """解放区's May 2013 is submitted and accepted by the city: deleting its lock in the
    admin (the page, or the list's bulk delete) would unlock it behind the city's back;
    refused as 解锁 is, in Chinese, and the lock stays."""
    client.force_login(account("office"))
    lock = MonthLock.objects.get(region__code=JIEFANG, year=2013, month=5)
    assert RegionSubmission.objects.filter(region=lock.region, year=2013, month=5).exists()

    page = client.post(reverse("admin:projects_monthlock_delete", args=[lock.pk]), {"post": "yes"})
    assert page.status_code == 302
    assert any("退回" in message for message in errors(page)), errors(page)
    assert MonthLock.objects.filter(pk=lock.pk).exists()

    bulk = client.post(
        reverse("admin:projects_monthlock_changelist"),
        {"action": "delete_selected", "_selected_action": [lock.pk], "post": "yes"},
    )
    assert bulk.status_code == 302
    assert any("退回" in message for message in errors(bulk)), errors(bulk)
    assert MonthLock.objects.filter(pk=lock.pk).exists()


def test_the_actions_refuse_a_siblings_row_whatever_page_calls_them(city):
    """A page that forgot its scope (the admin's lists and forms have it) still cannot
    write: the actions refuse 山阳区's office a 解放区 project, saved, deleted, or planned
    with a milestone template, and write nothing, no history either."""
    from projects.actions import Edit, Refused, delete_rows, save_edit
    from projects.register.actions import apply_template

    shanyang, project = account("shanyang"), jiefang_project()
    history = project.history.count()
    milestones = project.milestones.count()
    project.name = "山阳区改的名字"
    with pytest.raises(Refused, match="不归您修改"):
        save_edit(shanyang, Edit(row=project))
    with pytest.raises(Refused, match="不归您修改"):
        delete_rows(shanyang, Project.objects.filter(region__code=JIEFANG))
    template = MilestoneTemplate.objects.create(name="模板")
    template.items.create(order=1, name="开工", duration_days=10)
    with pytest.raises(Refused, match="不归您修改"):
        apply_template(shanyang, [project], template, datetime.date(2013, 9, 1))
    assert Project.objects.filter(region__code=JIEFANG).count() > 0
    project.refresh_from_db()
    assert project.name != "山阳区改的名字" and project.history.count() == history
    assert project.milestones.count() == milestones


def test_an_office_cannot_move_its_project_into_a_siblings_region_or_zone(city):
    """解放区's office moves its own project to 山阳区, or into one of 山阳区's zones:
    refused in Chinese, and the project stays as it was."""
    from projects.actions import Edit, Refused, save_edit

    office, project = account("office"), jiefang_project()
    region, zone = project.region_id, project.zone_id
    project.region = Region.objects.get(code=SHANYANG)
    with pytest.raises(Refused, match="其他区域"):
        save_edit(office, Edit(row=project))
    project = jiefang_project()
    project.zone = Zone.objects.filter(region__code=SHANYANG).first()
    with pytest.raises(Refused, match="其他区域"):
        save_edit(office, Edit(row=project))
    project = jiefang_project()
    assert (project.region_id, project.zone_id) == (region, zone)


def test_the_city_moves_a_project_between_its_districts(city):
    """The city's office sees both districts: a project moved from one to the other is its
    change to make."""
    from projects.actions import Edit, save_edit

    project = jiefang_project()
    project.region = Region.objects.get(code=SHANYANG)
    project.zone = Zone.objects.filter(region__code=SHANYANG).first()
    save_edit(account("jiaozuo"), Edit(row=project))
    assert jiefang_project().region.code == SHANYANG


def test_the_right_office_saves_a_project_page_through_the_action_with_one_record(client, city):
    """解放区's office saves its project's page with a new name: saved, checked by the
    action (the project and each inline row), one history record with who saved it."""
    from projects import actions

    office = account("office")
    client.force_login(office)
    project = jiefang_project()
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = post_data(client.get(url)) | {"name": "改名后的项目"}
    history = project.history.count()
    checked = []
    real = actions.Scope.check_saved

    def spy(scope, row):
        checked.append(row)
        return real(scope, row)

    with mock.patch.object(actions.Scope, "check_saved", spy):
        response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert project.history.count() == history + 1
    assert project.history.first().history_user == office
    assert checked and checked[0] == project


def test_a_token_of_a_siblings_account_is_not_revoked(city):
    """The API tokens: 山阳区's office cannot revoke a 解放区 account's token."""
    from projects.actions import Refused
    from projects.api.actions import revoke_tokens

    token, _key = ApiToken.objects.create_token(account("observer"), "读取")
    with pytest.raises(Refused):
        revoke_tokens(account("shanyang"), [token])
    token.refresh_from_db()
    assert token.revoked_at is None
    assert revoke_tokens(account("office"), [token]) == 1


def test_a_siblings_log_in_records_are_not_deleted(city):
    """django-axes' records of log-ins in the admin: 山阳区's office cannot delete the record
    of a 解放区 account's failed log-ins; 解放区's office can."""
    from axes.models import AccessAttempt

    from projects.actions import Refused
    from projects.operations.actions import delete_log_in_records

    attempt = AccessAttempt.objects.create(
        username="observer", ip_address="10.0.0.9", failures_since_start=5, user_agent="x"
    )
    with pytest.raises(Refused, match="本区域"):
        delete_log_in_records(account("shanyang"), [attempt])
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert delete_log_in_records(account("office"), [attempt]) == 1
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()


def history_page(project, client):
    """The admin's page of the project's latest recorded version (simple_history's 还原)."""
    record = project.history.order_by("-history_id").first()
    return reverse("admin:projects_project_simple_history", args=[project.pk, record.history_id])


def test_a_sibling_cannot_revert_the_other_districts_project_from_its_history(client, city):
    """simple_history's pages of a row's history read it from its history, not through the
    admin's scoped list: 山阳区's office read a 解放区 project's history, and posting its
    page of a recorded version (还原) with its own region, zone and a name (choices its form
    accepts) took the project over. Now neither page finds the row (as its change page); the
    project stays as it was."""
    project = jiefang_project()
    project.save()  # a recorded version at the current one
    client.force_login(account("office"))
    url = history_page(project, client)
    data = post_data(client.get(url)) | {
        "name": "山阳区还原的名字",
        "region": str(Region.objects.get(code=SHANYANG).pk),
        "zone": str(Zone.objects.filter(region__code=SHANYANG).first().pk),
        "lead_official": "",
        "responsible_unit": "",
        "street_office": "",
    }
    data.pop("liaisons", None)
    history = project.history.count()
    client.force_login(account("shanyang"))

    for page in (url, reverse("admin:projects_project_history", args=[project.pk])):
        assert client.get(page).status_code == 302  # "doesn't exist": the admin's index
        assert project.name not in client.get(page, follow=True).content.decode()
    response = client.post(url, data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name != "山阳区还原的名字" and project.region.code == JIEFANG
    assert project.history.count() == history


def test_the_office_reverts_its_own_project_from_its_history(client, city):
    """The same page posted by 解放区's office saves through the action: one record."""
    project = jiefang_project()
    project.save()
    office = account("office")
    client.force_login(office)
    url = history_page(project, client)
    data = post_data(client.get(url)) | {"name": "还原后的名字"}
    history = project.history.count()

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    project.refresh_from_db()
    assert project.name == "还原后的名字" and project.history.count() == history + 1
    assert project.history.first().history_user == office
