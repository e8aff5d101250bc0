"""The permission matrix: every page × every role × GET and POST.

Anonymous is sent to log in; a refused role gets 403 (404 for a project out of its scope)
and nothing changes; an allowed POST succeeds and leaves exactly one history record
attributed to that user.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from projects.exchange.template import export_projects
from projects.models import (
    Meeting,
    MeetingSnapshot,
    MonthLock,
    MonthlyReport,
    Notification,
    Official,
    Problem,
    ProblemUpdate,
    Project,
    StageChange,
)
from tests.pmtiles_file import write_pmtiles

pytestmark = pytest.mark.django_db

EVERYONE = {"office", "lead", "liaison", "observer"}
REPORTERS = {"office", "lead", "liaison"}
# 责任单位联系人 (jiaobei, of 焦北街道办事处) sees only their unit's problems.
ROLES = EVERYONE | {"unit"}
ANSWERERS = REPORTERS | {"unit"}
USERS = {
    "office": "office",
    "lead": "chenlixin",
    "liaison": "liaison",
    "observer": "observer",
    "unit": "jiaobei",
}


def own_project():
    return Project.objects.get(code="JF2013-001")  # led by 陈立新, liaison 联络员小李


def stage_data():
    """A move of the own project to 竣工 today (a stage it is not at)."""
    return {"to_stage": "completed", "on": timezone.localdate().isoformat(), "note": "竣工验收"}


def own_report():
    return MonthlyReport.objects.get(project=own_project(), year=2013, month=5)


def new_report_data():
    today = timezone.localdate()
    return {
        "year": today.year,
        "month": today.month,
        "amount": "12.50",
        "physical_progress": "施工",
    }


def edit_report_data():
    report = own_report()
    return {
        "amount": "2400.00",
        "physical_progress": "会所主体施工至3层",
        "problems": "",
        "loaded_version": report.version,
        "year": 2013,
        "month": 5,
    }


def meeting():
    return Meeting.objects.get(year=2013, number=5, region__code="410802")


def frozen_meeting():
    """The demo meeting, frozen as if its month had been locked."""
    from projects.meetings.record import freeze

    if not meeting().snapshots.exists():
        freeze(meeting())
    return {"pk": meeting().pk}


def own_photo():
    """A site photo on the own project's May report (made once per test)."""
    from tests.reporting.images import stored_photo

    return stored_photo(own_report())


def open_problem():
    """Of 陈立新's JF2013-003 (liaison 联络员小李), assigned to 焦北街道办事处 (jiaobei)."""
    return Problem.objects.get(description="商户过渡安置场地不足")


def supervised_problem():
    """Due 2013-05-30 and open: at the 督办 level today."""
    return Problem.objects.get(description="项目用地指标尚未落实，影响开工")


def closure_requested():
    problem = open_problem()
    problem.closure_requested_at = timezone.now()
    problem.save()
    return {"pk": problem.pk}


def unread_for_everyone():
    """One unread notification for each account (marking one's own read is the change)."""
    for user in User.objects.all():
        Notification.objects.create(
            recipient=user, source="digest", date=timezone.localdate(), subject="提醒", body="·"
        )
    return {}


class ReadNotifications:
    """The notifications marked read, counted afresh each time (a queryset would cache)."""

    model = Notification

    def count(self):
        return Notification.objects.filter(read_at__isnull=False).count()


def read_notifications():
    return ReadNotifications()


def office_notification():
    """The office's own notification: anyone else gets 404 for it."""
    user = User.objects.get(username="office")
    notification, _new = Notification.objects.get_or_create(
        recipient=user,
        source="digest",
        date=timezone.localdate(),
        defaults={"subject": "提醒", "body": "·"},
    )
    return {"pk": notification.pk}


def office_notification_line():
    """A line of the office's own notification, about a project; anyone else gets 404."""
    from projects.models import ReminderItem

    notification = Notification.objects.get(pk=office_notification()["pk"])
    item = ReminderItem.objects.create(
        notification=notification,
        recipient=notification.recipient,
        kind=ReminderItem.Kind.CHASE,
        subject_key=f"project:{own_project().pk}",
        period="2013-05",
        text="提醒",
    )
    return {"pk": notification.pk, "item": item.pk}


def locked_attempt(username="someone"):
    """A log-in locked after five failures, as django-axes records it; the unlock form's data."""
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="10.9.9.9",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
        user_agent="",
    )
    return {"attempt": attempt.pk}


def log_entries():
    from django.contrib.admin.models import LogEntry

    return LogEntry.objects


def office_export():
    """A finished background export of the office's: the others who may export get 404."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from projects.models import ExportJob

    name = default_storage.save("exports/office.xlsx", ContentFile(export_projects()))
    job = ExportJob.objects.create(
        requested_by=User.objects.get(username="office"),
        year=2013,
        month=5,
        project_count=6000,
        status=ExportJob.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        file=name,
    )
    return {"pk": job.pk}


def submitted_month():
    """解放区's May 2013, submitted by its office: the level above accepts or returns it."""
    from projects.models import Region, RegionSubmission

    submission = RegionSubmission.objects.create(
        region=Region.objects.get(code="410802"),
        year=2013,
        month=5,
        submitted_by=User.objects.get(username="office"),
    )
    return {"pk": submission.pk}


def notifications():
    from projects.models import Notification

    return Notification.objects


def submission_history():
    from projects.models import RegionSubmission

    return RegionSubmission.history


def new_account():
    """A liaison of the office's own district (账号管理)."""
    from projects.models import Region

    region = Region.objects.get(code="410802")
    return {"name": "新联络员", "username": "newliaison", "region": region.pk, "role": "liaison"}


def liaison_account():
    return {"pk": User.objects.get(username="liaison").pk}


OFFICE = {"office"}
# Steps of the level above: the office may use the page, but not on its own region's month.
ABOVE_ONLY = {
    "projects:submission_accept",
    "projects:submission_return",
    "projects:submission_chase",
}
PREVIEW_ONLY = {"projects:import"}  # an allowed POST shows a preview and writes nothing
# Pages about one user's own object: a role that may use the page gets 404 for another's.
OWN_ONLY = {"projects:notification_read"}
# Pages of the office's own object that others may use for theirs: 404 for another role.
OWN_GET = {
    "projects:export_job",
    "projects:export_download",
    "projects:notification_open",
    "projects:notification_detail",
}


def location_data():
    project = own_project()
    return {"latitude": "35.2400", "longitude": "113.2300", "loaded_version": project.version}


def import_upload():
    return {"kind": "projects", "file": SimpleUploadedFile("p.xlsx", export_projects())}


# name: (URL kwargs, roles that may GET (None: the page takes POST only), roles that may POST
#        or None for read-only pages, POST data, the history that an allowed POST adds one to)
MATRIX = {
    # A unit contact is taken from the dashboard to their problems.
    "projects:dashboard": (dict, ROLES, None, None, None),
    "projects:import_template": (dict, EVERYONE, None, None, None),
    # The upload only previews (nothing written): the office gets the preview page.
    "projects:import": (dict, OFFICE, OFFICE, import_upload, Project.history),
    "projects:import_progress": (dict, OFFICE, None, None, None),
    "projects:help": (dict, ROLES, None, None, None),
    "projects:help_screenshot": (lambda: {"name": "dashboard"}, ROLES, None, None, None),
    "projects:project_list": (dict, EVERYONE, None, None, None),
    "projects:project_detail": (lambda: {"pk": own_project().pk}, EVERYONE, None, None, None),
    "projects:map": (dict, EVERYONE, None, None, None),
    "projects:map_geojson": (dict, EVERYONE, None, None, None),
    # The base layer's PMTiles file (set up in demo_users below).
    "projects:map_pmtiles": (dict, EVERYONE, None, None, None),
    # The office places a project on the map (POST only, from the project's page).
    "projects:project_location": (
        lambda: {"pk": own_project().pk},
        None,
        OFFICE,
        location_data,
        Project.history,
    ),
    "projects:official_list": (dict, EVERYONE, None, None, None),
    "projects:official_detail": (
        lambda: {"pk": Official.objects.get(name="陈立新").pk},
        EVERYONE,
        None,
        None,
        None,
    ),
    "projects:zone_list": (dict, EVERYONE, None, None, None),
    # 要素保障 per kind and quarter (the land list's workbook), and the funding totals.
    "projects:factor_needs": (dict, EVERYONE, None, None, None),
    "projects:funding": (dict, EVERYONE, None, None, None),
    "projects:ranking": (dict, EVERYONE, None, None, None),
    "projects:scores": (dict, EVERYONE, None, None, None),
    "projects:start_rates": (dict, EVERYONE, None, None, None),
    # The office moves a project to another stage (POST only, from the project's page).
    "projects:stage_change": (
        lambda: {"pk": own_project().pk},
        None,
        OFFICE,
        stage_data,
        StageChange.objects,  # the dated change is the record
    ),
    "projects:progress_xlsx": (dict, EVERYONE, None, None, None),
    "projects:export_list": (dict, EVERYONE, None, None, None),
    "projects:export_job": (office_export, EVERYONE, None, None, None),
    "projects:export_download": (office_export, EVERYONE, None, None, None),
    "projects:my_projects": (dict, REPORTERS, None, None, None),
    "projects:report_create": (
        lambda: {"pk": own_project().pk},
        REPORTERS,
        REPORTERS,
        new_report_data,
        MonthlyReport.history,
    ),
    "projects:report_edit": (
        lambda: {"pk": own_report().pk},
        REPORTERS,
        REPORTERS,
        edit_report_data,
        MonthlyReport.history,
    ),
    "projects:report_projection": (
        lambda: {"pk": own_project().pk},
        REPORTERS,
        None,
        None,
        None,
    ),
    # Photos are seen by whoever sees the project's page.
    "projects:report_photo": (lambda: {"pk": own_photo().pk}, EVERYONE, None, None, None),
    "projects:report_photo_thumbnail": (
        lambda: {"pk": own_photo().pk},
        EVERYONE,
        None,
        None,
        None,
    ),
    "projects:meeting_list": (dict, EVERYONE, None, None, None),
    "projects:meeting_detail": (lambda: {"pk": meeting().pk}, EVERYONE, None, None, None),
    "projects:meeting_print": (lambda: {"pk": meeting().pk}, EVERYONE, None, None, None),
    "projects:meeting_pdf": (lambda: {"pk": meeting().pk}, EVERYONE, None, None, None),
    "projects:meeting_minutes_docx": (lambda: {"pk": meeting().pk}, EVERYONE, None, None, None),
    "projects:bulletin_docx": (dict, EVERYONE, None, None, None),
    "projects:meeting_bulletin_docx": (
        lambda: {"pk": meeting().pk},
        EVERYONE,
        None,
        None,
        None,
    ),
    "projects:official_print": (
        lambda: {"pk": Official.objects.get(name="陈立新").pk},
        EVERYONE,
        None,
        None,
        None,
    ),
    "projects:official_pdf": (
        lambda: {"pk": Official.objects.get(name="陈立新").pk},
        EVERYONE,
        None,
        None,
        None,
    ),
    "projects:problem_list": (dict, ROLES, None, None, None),
    "projects:problem_detail": (lambda: {"pk": open_problem().pk}, ROLES, None, None, None),
    "projects:my_problems": (dict, ANSWERERS, None, None, None),
    "projects:problem_answer": (
        lambda: {"pk": open_problem().pk},
        None,
        ANSWERERS,
        lambda: {"kind": "progress", "note": "已协调临时安置点"},
        ProblemUpdate.objects,  # a step of its own, with its author
    ),
    "projects:problem_return": (
        closure_requested,
        None,
        OFFICE,
        lambda: {"reason": "请补充安置协议"},
        Problem.history,
    ),
    "projects:problem_notice": (
        lambda: {"pk": supervised_problem().pk},
        OFFICE,
        None,
        None,
        None,
    ),
    "projects:problem_notice_pdf": (
        lambda: {"pk": supervised_problem().pk},
        OFFICE,
        None,
        None,
        None,
    ),
    "projects:notification_list": (dict, ROLES, None, None, None),
    # Following a line of one's own notification marks it read; another's is out of scope.
    "projects:notification_open": (office_notification_line, ROLES, None, None, None),
    # The whole of one's own notification; another's is out of scope.
    "projects:notification_detail": (office_notification, ROLES, None, None, None),
    "projects:notification_read_all": (
        unread_for_everyone,
        None,
        ROLES,
        dict,
        read_notifications(),
    ),
    # Someone else's notification is out of scope: 404.
    "projects:notification_read": (office_notification, None, OFFICE, dict, read_notifications()),
    "projects:report_status": (
        dict,
        OFFICE,
        OFFICE,
        lambda: {"user": User.objects.get(username="liaison").pk},
        Notification.objects,  # the reminder sent now
    ),
    "projects:meeting_create": (
        dict,
        OFFICE,
        OFFICE,
        lambda: {"year": 2013, "month": 6, "number": 6, "date": "2013-06-27"},
        Meeting.objects,  # meetings keep no history: the row itself is the record
    ),
    "projects:problem_create": (
        lambda: {"pk": meeting().pk},
        OFFICE,
        OFFICE,
        lambda: {
            "project": own_project().pk,
            "description": "新问题",
            "disposition": "deadline",
            "deadline": "2013-06-30",
            "note": "",
        },
        Problem.history,
    ),
    "projects:meeting_lock": (
        lambda: {"pk": meeting().pk},
        None,
        OFFICE,
        lambda: {"action": "lock"},
        MonthLock.objects,  # a lock is a row of its own, with who locked it
    ),
    # 更正重发 of a frozen meeting: a new issue of its record, beside the original.
    "projects:meeting_reissue": (
        frozen_meeting,
        None,
        OFFICE,
        lambda: {"reason": "补录新导入项目"},
        MeetingSnapshot.objects,
    ),
    # Unlocking is recorded in the admin's log (LogEntry), with who did it.
    "projects:lockouts": (dict, OFFICE, OFFICE, locked_attempt, log_entries()),
    "projects:regions": (dict, EVERYONE, None, None, None),
    "projects:submissions": (dict, OFFICE, None, None, None),
    "projects:submission_submit": (
        dict,
        None,
        OFFICE,
        lambda: {"year": 2013, "month": 5},
        submission_history(),
    ),
    "projects:submission_accept": (submitted_month, None, set(), dict, submission_history()),
    # 催报 of the office's own district: the level above reminds it, not itself.
    "projects:submission_chase": (
        dict,
        None,
        set(),
        lambda: {"region": "410802", "year": 2013, "month": 5},
        notifications(),
    ),
    "projects:submission_return": (
        submitted_month,
        None,
        set(),
        lambda: {"reason": "数据有误"},
        submission_history(),
    ),
    # 账号管理: creating, changing and resetting are recorded in the admin's log (LogEntry).
    "projects:accounts": (dict, OFFICE, None, None, None),
    "projects:account_create": (dict, OFFICE, OFFICE, new_account, log_entries()),
    "projects:account_edit": (
        liaison_account,
        OFFICE,
        OFFICE,
        lambda: {"name": "联络员小王", "role": "liaison", "is_active": "on"},
        log_entries(),
    ),
    "projects:account_password": (liaison_account, None, OFFICE, dict, log_entries()),
    "projects:problem_close": (
        lambda: {"pk": open_problem().pk},
        None,
        OFFICE,
        lambda: {"closing_note": "已解决", "loaded_version": open_problem().version},
        Problem.history,
    ),
}


def app_url_names():
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "projects":
                yield f"projects:{pattern.name}"

    return set(walk(get_resolver().url_patterns, None))


def test_every_url_pattern_has_an_entry_in_the_permission_matrix():
    assert app_url_names() == set(MATRIX)


@pytest.fixture
def demo_users(demo_users, settings, tmp_path):
    User.objects.create_user("nobody", password="pw-for-tests-only")
    settings.JIEFANG_MAP_PMTILES = str(write_pmtiles(tmp_path / "base.pmtiles"))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_log_in(client, demo_users, name):
    build, _get, post_roles, data, _history = MATRIX[name]
    url = reverse(name, kwargs=build())
    for response in (client.get(url), client.post(url, data() if data else {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


MATRIX_ROLES = ["lead", "liaison", "observer", "unit", "nobody", "office"]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(client, demo_users, name):
    """Every role on one page: each role's visit runs on the demo as it was set up (what an
    allowed role writes is rolled back before the next role), so the demo is built once per
    page rather than once per page and role."""
    for role in MATRIX_ROLES:
        with transaction.atomic():
            check_role(Client(), name, role)
            transaction.set_rollback(True)


def check_role(client, name, role):
    build, get_roles, post_roles, data, history = MATRIX[name]
    user = User.objects.get(username=USERS.get(role, role))
    client.force_login(user)
    url = reverse(name, kwargs=build())

    status = client.get(url, follow=True).status_code
    if get_roles is None:  # POST-only: the allowed get 405, the others 403 first
        allowed = (
            role in post_roles
            or (name in OWN_ONLY and role != "nobody")
            or (name in ABOVE_ONLY and role == "office")
        )
        assert status == (405 if allowed else 403), ("GET", name, role)
    elif name in OWN_GET and role in get_roles and role != "office":
        assert status == 404, ("GET", name, role)
    else:
        assert status == (200 if role in get_roles else 403), ("GET", name, role)

    before = history.count() if history is not None else 0
    response = client.post(url, data() if data else {})
    if post_roles is None:
        assert response.status_code in (403, 405), ("POST", name, role)
    elif role in post_roles and name in PREVIEW_ONLY:
        assert response.status_code == 200, ("POST", name, role)
        assert history.count() == before
    elif role in post_roles:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert history.count() == before + 1
        if hasattr(history.model, "history_user"):
            assert history.latest("history_date").history_user == user
    elif name in OWN_ONLY and role != "nobody":
        assert response.status_code == 404, ("POST", name, role)
        assert history.count() == before
    else:
        assert response.status_code == 403, ("POST", name, role)
        assert history.count() == before


@pytest.mark.parametrize("role", ["lead", "liaison"])
def test_other_officials_projects_are_out_of_scope(client, demo_users, role):
    """By URL: 404 for another official's project and report, and nothing written."""
    client.force_login(User.objects.get(username=USERS[role]))
    other = Project.objects.get(code="JF2013-002")  # 刘卫东's
    report = MonthlyReport.objects.get(project=other, year=2013, month=5)
    before = MonthlyReport.history.count()
    create = reverse("projects:report_create", kwargs={"pk": other.pk})
    edit = reverse("projects:report_edit", kwargs={"pk": report.pk})
    assert client.get(create).status_code == 404
    assert client.post(create, new_report_data()).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"amount": "1", "loaded_version": report.version}).status_code == 404
    assert MonthlyReport.history.count() == before
    report.refresh_from_db()
    assert report.amount == 600


def test_tampering_with_the_project_field_changes_nothing(client, demo_users):
    """A project field smuggled into the form is ignored: the report goes to the URL's project."""
    client.force_login(User.objects.get(username="chenlixin"))
    other = Project.objects.get(code="JF2013-002")
    url = reverse("projects:report_create", kwargs={"pk": own_project().pk})
    response = client.post(url, new_report_data() | {"project": other.pk})
    assert response.status_code == 302
    assert not other.reports.filter(year=timezone.localdate().year).exists()
    assert own_project().reports.filter(year=timezone.localdate().year).count() == 1


def test_my_projects_lists_only_the_users_projects(client, demo_users):
    client.force_login(User.objects.get(username="liaison"))
    response = client.get(reverse("projects:my_projects"), {"year": 2013, "month": 5})
    assert {p.code for p in response.context["rows"]} == {"JF2013-001", "JF2013-003"}
    assert all(p.report_status == "submitted" for p in response.context["rows"])
    response = client.get(reverse("projects:my_projects"), {"year": 2013, "month": 6})
    assert all(p.report_status == "missing" for p in response.context["rows"])
    assert response.context["missing"] == 2
    html = response.content.decode()
    assert reverse("projects:report_create", args=[own_project().pk]) in html


def test_admin_is_for_the_office_only(client, demo_users):
    for username in ("chenlixin", "liaison", "observer"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("admin:projects_monthlyreport_changelist")).status_code == 302
    client.force_login(User.objects.get(username="office"))
    assert client.get(reverse("admin:projects_monthlyreport_changelist")).status_code == 200
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def test_history_records_the_date_for_a_milestone_reached(client, demo_users):
    client.force_login(User.objects.get(username="chenlixin"))
    project = own_project()
    milestone = project.milestones.get(name="酒店主体封顶")
    data = new_report_data() | {
        f"milestone_{milestone.pk}": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    }
    assert (
        client.post(reverse("projects:report_create", args=[project.pk]), data).status_code == 302
    )
    milestone.refresh_from_db()
    assert milestone.actual_date == timezone.localdate() - datetime.timedelta(days=1)
    assert milestone.history.latest("history_date").history_user.username == "chenlixin"
