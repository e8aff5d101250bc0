"""The office's admin: Chinese, the pace light on the changelist, filterable by light."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, office_user, demo):
    office_user.is_superuser = True
    office_user.save()
    client.force_login(office_user)
    return client


def test_changelist_shows_light_rate_and_gap(admin_client):
    html = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "重点项目" in html and "进度状态" in html
    assert "严重滞后" in html and "33.67" in html


def test_changelist_filters_by_light(admin_client):
    response = admin_client.get(reverse("admin:projects_project_changelist"), {"light": "red"})
    codes = {p.code for p in response.context["cl"].result_list}
    assert codes == {"JF2013-002", "JF2013-005"}


def test_changelist_sorts_by_light(admin_client):
    response = admin_client.get(reverse("admin:projects_project_changelist"), {"o": "-10"})
    assert response.context["cl"].result_list[0].light_rank == 2


@pytest.mark.parametrize(
    "model",
    [
        "zone",
        "official",
        "unit",
        "project",
        "annualplan",
        "milestone",
        "monthlyreport",
        "meeting",
        "problem",
        "milestonetemplate",
    ],
)
def test_every_admin_page_opens(admin_client, model):
    assert admin_client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:projects_{model}_add")).status_code == 200


def test_project_change_page_has_plans_and_milestones_inline(admin_client):
    html = admin_client.get(reverse("admin:projects_project_change", args=[5])).content.decode()
    assert "年度计划" in html and "取得施工许可" in html


def test_observer_cannot_use_the_admin(client, observer_user):
    client.force_login(observer_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
