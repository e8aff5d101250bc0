"""The office's admin: Chinese, the pace light on the changelist, filterable by light."""

import datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, office_user, demo):
    office_user.is_superuser = True
    office_user.save()
    client.force_login(office_user)
    return client


@pytest.fixture
def in_june_2013():
    """4 June 2013: the changelist, as every page, shows May (the month being collected)."""
    with time_machine.travel(datetime.datetime(2013, 6, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_changelist_shows_light_rate_and_gap(admin_client, in_june_2013):
    html = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "重点项目" in html and "进度状态" in html
    assert "严重滞后" in html and "32.00" in html  # 动漫产业园, May 2013


def test_changelist_filters_by_light(admin_client, in_june_2013):
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
        "monthlock",
        "documenttemplate",
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


class FormFields(HTMLParser):
    """The values a browser would post from a page's form: read from its HTML, so that a
    field the page forgets to render is missing here too."""

    def __init__(self):
        super().__init__()
        self.data, self.select, self.textarea = {}, None, None

    def add(self, name, value):
        if name in self.data:
            old = self.data[name]
            self.data[name] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name and "__prefix__" not in name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.lstrip("\n") if not self.data[self.textarea] else data


def post_data(page):
    """What the admin change page would post back unchanged, read from its HTML."""
    parser = FormFields()
    parser.feed(page.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


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
    assert "未保存：在您打开后" in response.content.decode()
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


def test_the_office_saving_the_project_does_not_blank_a_date_the_lead_set(admin_client):
    """The office has the project open and changes only its name; meanwhile the lead records
    a milestone as reached. The office's save is refused with what changed, not silently
    blanking the date; reloaded, it goes through and keeps the date."""
    import datetime

    from projects.models import Milestone, Project

    url = reverse("admin:projects_project_change", args=[5])
    data = post_data(admin_client.get(url)) | {"name": "改名后的项目"}
    milestone = Milestone.objects.get(project_id=5, name="取得施工许可")
    milestone.actual_date = datetime.date(2013, 5, 30)
    milestone.save()
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "未保存：在您打开后" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.actual_date == datetime.date(2013, 5, 30)
    assert Project.objects.get(pk=5).name != "改名后的项目"
    data = post_data(admin_client.get(url)) | {"name": "改名后的项目"}
    assert admin_client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.actual_date == datetime.date(2013, 5, 30)
    assert Project.objects.get(pk=5).name == "改名后的项目"


@pytest.mark.parametrize("code", ["JF2013-001", "JF2013-003"])
def test_the_admin_saves_demo_projects_whose_approvals_precede_construction(admin_client, code):
    """A permit or a relocation done before construction starts is a 前期手续 milestone: the
    project page of the admin saves unchanged."""
    from projects.models import Project

    project = Project.objects.get(code=code)
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = admin_client.post(url, post_data(admin_client.get(url)))
    assert response.status_code == 302, response.content.decode()[-3000:]


@pytest.mark.parametrize("model", ["project", "milestone", "monthlyreport", "problem"])
def test_every_versioned_admin_page_saves_as_a_browser_posts_it(admin_client, model):
    """Each change page renders the version it was loaded at (main form and inlines), so that
    saving it unchanged, as a browser would post it, goes through."""
    from django.apps import apps

    instance = apps.get_model("projects", model).objects.order_by("pk").first()
    url = reverse(f"admin:projects_{model}_change", args=[instance.pk])
    data = post_data(admin_client.get(url))
    assert "loaded_version" in data
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]


def test_the_reminders_sent_are_records_the_office_reads(admin_client, demo):
    """Notifications and their copies open in Chinese, with nothing to add by hand."""
    from projects.models import Delivery, Notification

    user = User.objects.create_user("reader")
    notification = Notification.objects.create(
        recipient=user, source="digest", date=datetime.date(2013, 6, 3), subject="提醒", body="·"
    )
    delivery = Delivery.objects.create(
        notification=notification,
        channel="email",
        address="reader@jf.test",
        fingerprint="x",
        status="failed",
        error="ConnectionRefusedError",
    )
    for model, obj in (("notification", notification), ("delivery", delivery)):
        assert admin_client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200
        html = admin_client.get(
            reverse(f"admin:projects_{model}_change", args=[obj.pk])
        ).content.decode()
        assert "Claimed" not in html and "fingerprint" not in html.lower()
        assert admin_client.get(reverse(f"admin:projects_{model}_add")).status_code == 403
    html = admin_client.get(reverse("admin:projects_delivery_change", args=[delivery.pk])).content
    assert "失败，将重发" in html.decode() and "ConnectionRefusedError" in html.decode()


def test_history_pages_of_a_deleted_projects_rows_open_and_name_the_project(admin_client):
    """After a project is deleted, the admin's change history of its reports, plans and
    milestones (the list, and each record) opens and names the project as it was, marked
    deleted."""
    from projects.models import Project

    project = Project.objects.get(pk=5)
    rows = {
        "monthlyreport": project.reports.first(),
        "annualplan": project.annual_plans.first(),
        "milestone": project.milestones.first(),
    }
    for row in rows.values():
        row.save()  # a change, then the deletion: two records each
    name = project.name
    project.delete()
    assert admin_client.get(reverse("admin:projects_project_history", args=[5])).status_code == 200
    for model, row in rows.items():
        pages = [reverse(f"admin:projects_{model}_history", args=[row.pk])] + [
            reverse(f"admin:projects_{model}_simple_history", args=[row.pk, record.history_id])
            for record in type(row).history.filter(id=row.pk)
        ]
        assert len(pages) == 3
        for page in pages:
            response = admin_client.get(page)
            assert response.status_code == 200, page
            assert f"{name}（已删除）" in response.content.decode(), page


def versioned_pages(request):
    """Every admin form of a versioned model, from the admin's registry: ("page", model admin,
    model) for a change page, ("inline", inline, its parent's model admin) for an inline."""
    from django.contrib import admin

    from projects.models.base import Versioned

    found = []
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, Versioned):
            found.append(("page", model_admin, model_admin))
        for inline in model_admin.get_inline_instances(request):
            if issubclass(inline.model, Versioned):
                found.append(("inline", inline, model_admin))
    return found


def test_every_admin_form_of_a_versioned_model_carries_and_checks_its_version(rf, office_user):
    """Enumerated from the admin's registry: every change page and inline that edits a
    versioned model uses the versioned form and renders the version it was loaded at."""
    from django.contrib.admin.utils import flatten_fieldsets

    from projects.web.forms import VersionedModelForm

    office_user.is_superuser = True
    request = rf.get("/")
    request.user = office_user
    found = versioned_pages(request)
    names = {(kind, admin_.model._meta.model_name) for kind, admin_, _parent in found}
    assert {("page", "annualplan"), ("inline", "annualplan"), ("inline", "problem")} <= names
    for kind, admin_, _parent in found:
        form = admin_.get_formset(request).form if kind == "inline" else admin_.get_form(request)
        assert issubclass(form, VersionedModelForm), (kind, admin_)
        assert "loaded_version" in flatten_fieldsets(admin_.get_fieldsets(request)), (kind, admin_)


def test_every_admin_page_refuses_a_stale_save_of_a_versioned_row(admin_client, rf, office_user):
    """For each change page or inline of a versioned model: the page saved as it was opened
    goes through; saved again after someone else's save of the row it is refused with the
    Chinese conflict message, and the row stays at the other save's version."""
    request = rf.get("/")
    request.user = office_user
    for kind, admin_, parent in versioned_pages(request):
        if kind == "page":
            row = admin_.model.objects.order_by("pk").first()
            owner = row
        else:
            fk = admin_.get_formset(request).fk
            rows = admin_.model.objects.filter(**{f"{fk.name}__isnull": False})
            row = rows.order_by("pk").first()
            owner = getattr(row, fk.name)
        assert row is not None, admin_
        meta = parent.model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[owner.pk])
        fresh = admin_client.post(url, post_data(admin_client.get(url)))
        assert fresh.status_code == 302, (admin_, fresh.content.decode()[-2000:])

        data = post_data(admin_client.get(url))
        row.refresh_from_db()
        row.save()  # someone else's save, after the page was opened
        version = row.version
        history = type(row).history.filter(id=row.pk).count()
        response = admin_client.post(url, data)
        assert response.status_code == 200, admin_
        assert "未保存：在您打开后" in response.content.decode(), admin_
        row.refresh_from_db()
        assert row.version == version, admin_
        assert type(row).history.filter(id=row.pk).count() == history, admin_


def test_the_annual_plan_page_does_not_put_back_a_plan_changed_since_it_was_opened(admin_client):
    """Two office sessions open the 2013 plan; B raises it to 31000, then A saves only a new
    target: A is refused with what B changed, and the plan stays at 31000."""
    from decimal import Decimal

    from projects.models import AnnualPlan

    plan = AnnualPlan.objects.order_by("pk").first()
    plan.months.all().delete()  # a linear plan: its amount may change alone
    plan.save()  # recorded in the change log at the version both sessions open
    url = reverse("admin:projects_annualplan_change", args=[plan.pk])
    a_data = post_data(admin_client.get(url))
    b_data = post_data(admin_client.get(url))
    b_data["planned_investment"] = "31000.00"
    assert admin_client.post(url, b_data).status_code == 302
    a_data["target"] = "主体封顶"
    response = admin_client.post(url, a_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "未保存：在您打开后" in html and "31000" in html
    plan.refresh_from_db()
    assert plan.planned_investment == Decimal("31000.00")
    assert plan.target != "主体封顶"


def test_an_import_of_a_plans_months_refuses_an_annual_plan_page_opened_before(admin_client):
    """The office has a plan open in the admin; an import changes only its months: the page's
    save is refused rather than putting the old months back."""
    import io

    import openpyxl

    from projects.exchange.template import export_projects
    from projects.exchange.writing import run_import
    from projects.models import AnnualPlan

    plan = AnnualPlan.objects.get(project__code="JF2013-001", year=2013)
    url = reverse("admin:projects_annualplan_change", args=[plan.pk])
    data = post_data(admin_client.get(url))
    book = openpyxl.load_workbook(io.BytesIO(export_projects()))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "JF2013-001" and row[10].value == 2013:
            total = float(plan.planned_investment)
            for cell in row[13:25]:
                cell.value = total / 12
    buffer = io.BytesIO()
    book.save(buffer)
    result = run_import("projects", buffer.getvalue(), dry_run=False)
    assert result.written and [entry[2] for entry in result.update] == [
        "JF2013-001 · 2013 年度计划"
    ]
    months = list(plan.months.values_list("amount", flat=True))
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "未保存：在您打开后" in response.content.decode()
    assert list(plan.months.values_list("amount", flat=True)) == months
