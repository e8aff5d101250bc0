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
    assert "严重滞后" in html and "32.00" in html  # 动漫产业园, May 2013


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


def post_data(page):
    """What the admin change page would post back unchanged: the main form and every inline."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(n): management[n].value() for n in management.fields}
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif value not in (None, False, ""):
                data[form.add_prefix(name)] = field.widget.format_value(value)
    return data


def inline_form(page, instance):
    """The inline form of `instance` on an admin change page."""
    (form,) = [
        form
        for inline in page.context["inline_admin_formsets"]
        for form in inline.formset.forms
        if type(form.instance) is type(instance) and form.instance.pk == instance.pk
    ]
    return form


def test_milestone_inline_refuses_to_overwrite_a_newer_save(admin_client):
    """The office edits a project's milestones in the admin while a lead official records one
    as reached: the admin's stale copy is refused and the official's date kept."""
    import datetime

    from projects.models import Milestone

    url = reverse("admin:projects_project_change", args=[5])
    page = admin_client.get(url)
    data = post_data(page)
    milestone = Milestone.objects.get(project_id=5, name="取得施工许可")
    form = inline_form(page, milestone)
    milestone.actual_date = datetime.date(2013, 5, 30)
    milestone.save()  # the official's save, after the admin page was opened
    data[form.add_prefix("note")] = "项目办的备注"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "未保存:在您打开后" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.actual_date == datetime.date(2013, 5, 30)
    assert milestone.note != "项目办的备注"


def test_the_admin_saves_an_unchanged_page_and_a_fresh_milestone_edit(admin_client):
    from projects.models import Milestone

    url = reverse("admin:projects_project_change", args=[5])
    page = admin_client.get(url)
    data = post_data(page)
    milestone = Milestone.objects.get(project_id=5, name="取得施工许可")
    form = inline_form(page, milestone)
    data[form.add_prefix("note")] = "项目办的备注"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    milestone.refresh_from_db()
    assert milestone.note == "项目办的备注" and milestone.version == 2


@pytest.mark.parametrize("code", ["JF2013-001", "JF2013-003"])
def test_the_admin_saves_demo_projects_whose_approvals_precede_construction(admin_client, code):
    """A permit or a relocation done before construction starts is a 前期手续 milestone: the
    project page of the admin saves unchanged."""
    from projects.models import Project

    project = Project.objects.get(code=code)
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = admin_client.post(url, post_data(admin_client.get(url)))
    assert response.status_code == 302, response.content.decode()[-3000:]
