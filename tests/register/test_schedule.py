"""Reverse scheduling (倒排工期): planned dates counted back from the target date."""

import datetime

import pytest
from django.urls import reverse

from projects.models import Milestone, MilestoneTemplate
from projects.register.scheduling import apply_milestone_template
from tests.conftest import make_project, milestone

pytestmark = pytest.mark.django_db

TARGET = datetime.date(2015, 12, 31)


def test_standard_template_exists_after_migration():
    template = MilestoneTemplate.objects.get(name="标准建设项目")
    assert list(template.items.values_list("name", flat=True)) == [
        "征迁完成",
        "取得施工许可",
        "开工",
        "主体封顶",
        "竣工验收",
    ]


def test_template_dates_are_counted_backwards(zone):
    project = make_project(zone)
    template = MilestoneTemplate.objects.get(name="标准建设项目")
    apply_milestone_template(project, template, TARGET)
    planned = dict(project.milestones.values_list("name", "planned_date"))
    assert planned["竣工验收"] == TARGET
    assert planned["主体封顶"] == TARGET - datetime.timedelta(days=180)
    assert planned["开工"] == TARGET - datetime.timedelta(days=480)
    assert planned["取得施工许可"] == TARGET - datetime.timedelta(days=510)
    assert planned["征迁完成"] == TARGET - datetime.timedelta(days=570)
    assert all(m.baseline_date == m.planned_date for m in project.milestones.all())


def test_replanning_keeps_the_baseline_of_existing_milestones(zone):
    project = make_project(zone)
    existing = milestone(project, "开工", datetime.date(2014, 3, 1))
    template = MilestoneTemplate.objects.get(name="标准建设项目")
    apply_milestone_template(project, template, TARGET)
    existing.refresh_from_db()
    assert existing.baseline_date == datetime.date(2014, 3, 1)
    assert existing.planned_date == TARGET - datetime.timedelta(days=480)
    assert Milestone.objects.filter(project=project, name="开工").count() == 1


def test_office_applies_a_template_from_the_admin(client, zone, office_user):
    office_user.is_superuser = True
    office_user.save()
    project = make_project(zone)
    template = MilestoneTemplate.objects.get(name="标准建设项目")
    client.force_login(office_user)
    url = reverse("admin:projects_project_changelist")
    response = client.post(url, {"action": "apply_template", "_selected_action": [project.pk]})
    assert "目标完成日期" in response.content.decode()
    assert not project.milestones.exists()
    response = client.post(
        url,
        {
            "action": "apply_template",
            "_selected_action": [project.pk],
            "apply": "1",
            "template": template.pk,
            "target_date": "2015-12-31",
        },
        follow=True,
    )
    assert "已为 1 个项目倒排时间节点。" in response.content.decode()
    assert project.milestones.count() == 5
