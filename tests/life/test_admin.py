"""The office's admin of stage changes (added through change_stage, never edited) and of
the quarterly targets."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Project, StageChange, StartTarget

pytestmark = pytest.mark.django_db


def test_a_change_added_in_the_admin_moves_the_project(client, demo_users):
    office = User.objects.get(username="office")
    client.force_login(office)
    project = Project.objects.get(code="JF2013-010")
    url = reverse("admin:projects_stagechange_add")
    assert client.get(url).status_code == 200
    data = {
        "project": project.pk,
        "to_stage": "preparation",
        "on": "2013-06-03",
        "note": "立项批复",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    project.refresh_from_db()
    change = project.stage_changes.get()
    assert project.stage == "preparation"
    assert (change.from_stage, change.changed_by) == ("reserve", office)
    again = client.post(url, data)  # already at that stage: the form says so, nothing added
    assert again.status_code == 200 and "项目已处于该阶段" in again.content.decode()
    assert project.stage_changes.count() == 1
    change_url = reverse("admin:projects_stagechange_change", args=[change.pk])
    assert client.post(change_url, {**data, "note": "改"}).status_code == 403
    assert StageChange.objects.get(pk=change.pk).note == "立项批复"


def test_the_office_sets_a_quarters_target(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    region = Project.objects.get(code="JF2013-001").region
    url = reverse("admin:projects_starttarget_add")
    data = {
        "region": region.pk,
        "year": 2013,
        "quarter": 2,
        "start_rate": "55",
        "completion_rate": "0",
    }
    assert client.post(url, data).status_code == 302
    assert StartTarget.objects.get().start_rate == 55
    refused = client.post(url, {**data, "quarter": 5})
    assert refused.status_code == 200 and StartTarget.objects.count() == 1


def test_a_lead_has_no_admin_of_stages(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    assert client.get(reverse("admin:projects_stagechange_add")).status_code in (302, 403)
