"""Large progress workbooks are built in the background: queued by the list's export,
built by a task (`manage.py db_worker`) with a progress bar, downloaded by their requester only,
and kept 24 hours; smaller exports stay immediate."""

import datetime
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from projects.exchange.workbook import ProgressWorkbook
from projects.exports import jobs as exports
from projects.models import ExportJob, MonthlyReport, Project
from projects.progress.period import Period
from tests.conftest import run_tasks, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    """Background from more than 4 projects (the demo has 10)."""
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 4
    return 4


def workbook_values(content):
    book = load_workbook(BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def export_url(**params):
    period = MonthlyReport.objects.latest_period()
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('projects:progress_xlsx')}?{period.query_string()}&{query}"


def test_the_default_limit_is_5000(settings):
    assert settings.JIEFANG_BACKGROUND_EXPORT_OVER == 5000
    assert not exports.in_background(5000)
    assert exports.in_background(5001)


def test_an_export_at_the_limit_stays_immediate_and_one_more_goes_to_the_background(
    client, demo, office_user, settings
):
    client.force_login(office_user)
    zone, count = (
        Project.objects.values_list("zone").annotate(n=Count("pk")).order_by("n", "zone").first()
    )
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = count
    response = client.get(export_url(zone=zone))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = count - 1
    response = client.get(export_url(zone=zone))
    assert response.status_code == 302
    assert ExportJob.objects.get().project_count == count


def test_a_large_export_is_built_in_the_background_and_matches_the_immediate_one(
    client, demo, office_user, small_limit, settings
):
    client.force_login(office_user)
    response = client.get(export_url(unit="亿元"))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:export_job", args=[job.pk])
    assert (job.status, job.project_count, job.unit) == ("queued", 10, "亿元")
    assert job.requested_by == office_user

    page = client.get(response.url)
    html = page.content.decode()
    assert 'max="100" value="0"' in html and _("Queued") in html
    assert "js/export.js" in html
    assert client.get(response.url, {"format": "json"}).json() == {
        "status": "queued",
        "label": _("Queued"),
        "progress": 0,
        "download": None,
        "error": "",
    }

    run_tasks()
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    state = client.get(response.url, {"format": "json"}).json()
    assert state["download"] == reverse("projects:export_download", args=[job.pk])
    download = client.get(state["download"])
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    background = workbook_values(b"".join(download.streaming_content))

    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 5000
    immediate = workbook_values(client.get(export_url(unit="亿元")).content)
    assert background == immediate  # every cell of every sheet
    assert len(background["进展情况"]) > 10


def test_a_large_project_list_is_written_in_the_background_like_the_immediate_one(
    client, demo, office_user, small_limit, settings
):
    client.force_login(office_user)
    period = MonthlyReport.objects.latest_period()
    url = reverse("projects:project_list")
    params = f"?{period.query_string()}&sort=-name&export=xlsx&page=2"
    response = client.get(url + params)
    job = ExportJob.objects.get()
    assert response.url == reverse("projects:export_job", args=[job.pk])
    assert (job.kind, job.project_count) == ("list", 10)
    assert "export" not in job.query and "page" not in job.query and "sort=-name" in job.query
    run_tasks()
    job.refresh_from_db()
    assert job.status == "done", job.error
    download = client.get(reverse("projects:export_download", args=[job.pk]))
    assert f"projects-{period.label}" in download["Content-Disposition"] or (
        "filename*=" in download["Content-Disposition"]
    )
    background = workbook_values(b"".join(download.streaming_content))
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 5000
    immediate = workbook_values(client.get(url + params).content)
    assert background == immediate
    rows = background[_("Sheet1")]
    assert len(rows) == 11  # the header and every project, not one page


def test_a_project_list_in_chunks_keeps_every_row_once(demo, office_user, monkeypatch):
    """Rows are read 2,000 at a time at scale; with chunks of 3 the 10 projects come out once
    each, in the list's order."""
    monkeypatch.setattr("projects.register.exports.CHUNK", 3)
    period = MonthlyReport.objects.latest_period()
    job = exports.queue(office_user, "list", period, f"{period.query_string()}&sort=-light", 10)
    run_tasks()
    job.refresh_from_db()
    rows = workbook_values(job.file.open("rb").read())[_("Sheet1")][1:]
    codes = [row[0] for row in rows]
    assert sorted(codes) == sorted(Project.objects.values_list("code", flat=True))
    lights = Project.objects.with_progress(period).in_bulk(field_name="code")
    ranks = [lights[code].light_rank for code in codes]
    assert ranks == sorted(ranks, reverse=True)


def test_filters_choose_the_projects_of_a_background_export(client, demo, office_user, settings):
    """Red and yellow projects only: the job counts and writes just those."""
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 3
    period = MonthlyReport.objects.latest_period()
    chosen = Project.objects.with_progress(period).filter(light_rank__in=[1, 2])
    names = set(chosen.values_list("name", flat=True))
    assert len(names) > 3, "the demo needs more than 3 red or yellow projects"
    client.force_login(office_user)
    client.get(export_url(light="red&light=yellow"))
    job = ExportJob.objects.get()
    assert job.project_count == len(names)
    run_tasks()
    job.refresh_from_db()
    rows = workbook_values(job.file.open("rb").read())["进展情况"]
    written = {row[1] for row in rows if isinstance(row[0], int)}
    assert written == names


def test_progress_is_reported_as_rows_are_written(demo):
    heard = []
    period = MonthlyReport.objects.latest_period()
    ProgressWorkbook(Project.objects.all(), period, progress=heard.append).content()
    assert heard == sorted(heard)
    assert heard[-1] == 0.9
    assert any(0 < fraction <= 0.8 for fraction in heard[:-1])


def test_only_the_requester_sees_and_downloads_an_export(client, demo, office_user, small_limit):
    client.force_login(office_user)
    client.get(export_url())
    job = ExportJob.objects.get()
    run_tasks()
    colleague = user_in("project_office", "office2")
    client.force_login(colleague)
    for name in ("projects:export_job", "projects:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    listing = client.get(reverse("projects:export_list"))
    assert list(listing.context["object_list"]) == []
    client.force_login(office_user)
    assert list(client.get(reverse("projects:export_list")).context["object_list"]) == [job]


def test_a_workbook_is_kept_24_hours_then_deleted(client, demo, office_user, small_limit):
    client.force_login(office_user)
    client.get(export_url())
    run_tasks()
    job = ExportJob.objects.get()
    name = job.file.name
    assert default_storage.exists(name)
    url = reverse("projects:export_download", args=[job.pk])
    zone = timezone.get_current_timezone()
    with time_machine.travel(job.finished_at.astimezone(zone) + datetime.timedelta(hours=23)):
        client.force_login(office_user)  # the session itself has timed out
        assert client.get(url).status_code == 200
        exports.clear_expired()
        assert default_storage.exists(name)
    with time_machine.travel(
        job.finished_at.astimezone(zone) + datetime.timedelta(hours=24, minutes=1)
    ):
        client.force_login(office_user)
        expired = client.get(url)
        assert expired.status_code == 410
        assert _(
            "This export was kept for 24 hours and has been deleted. Export the list again."
        ) in (expired.content.decode())
        call_command("send_reminders", stdout=StringIO())  # the periodic pass clears them
        assert not default_storage.exists(name)
        assert not ExportJob.objects.exists()
        assert client.get(url).status_code == 404


def test_a_failed_build_is_shown_with_its_reason(client, demo, office_user):
    job = ExportJob.objects.create(
        requested_by=office_user, year=2013, month=5, unit="美元", project_count=6000
    )  # a unit the page never sends
    exports.build_export.enqueue(job.pk)
    run_tasks()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == _("The unit must be 万元 or 亿元.")
    client.force_login(office_user)
    page = client.get(reverse("projects:export_job", args=[job.pk])).content.decode()
    assert job.error in page
    assert client.get(reverse("projects:export_download", args=[job.pk])).status_code == 302


def test_a_job_whose_worker_died_is_given_up(demo, office_user):
    now = timezone.now()
    job = ExportJob.objects.create(
        requested_by=office_user,
        year=2013,
        month=5,
        project_count=6000,
        status="running",
        started_at=now - datetime.timedelta(hours=2),
    )
    exports.clear_expired(now)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == _("The export was interrupted; export again.")


def test_waiting_jobs_are_built_first_come_first_served(demo, office_user):
    first, second = (
        exports.queue(office_user, "progress", Period(2013, 5), f"zone={zone}", 6000)
        for zone in (1, 2)
    )
    run_tasks(max_tasks=1)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("done", "queued")
    run_tasks()
    second.refresh_from_db()
    assert second.status == "done"


def test_a_task_run_twice_builds_the_job_once(demo, office_user):
    job = exports.queue(office_user, "progress", Period(2013, 5), "", 6000)
    assert exports.run(job.pk).status == "done"
    built = ExportJob.objects.get(pk=job.pk).finished_at
    assert exports.run(job.pk) is None  # a second run of the same task finds it taken
    assert ExportJob.objects.get(pk=job.pk).finished_at == built


def test_the_list_of_exports_takes_the_same_queries_for_3_or_15_jobs(
    client, demo, office_user, django_assert_max_num_queries
):
    client.force_login(office_user)
    url = reverse("projects:export_list")
    counts = []
    for total in (3, 15):
        ExportJob.objects.all().delete()
        for _number in range(total):
            ExportJob.objects.create(
                requested_by=office_user, year=2013, month=5, project_count=6000
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_unexpected_failure_is_logged_and_the_page_says_to_export_again(
    client, demo, office_user, monkeypatch, caplog
):
    """What went wrong inside is for the log, not for the requester's page."""

    def broken(job, progress):
        raise RuntimeError("connection to server lost: internal detail")

    monkeypatch.setitem(exports.BUILDERS, "progress", (broken, "进度表", "xlsx"))
    job = exports.queue(office_user, "progress", Period(2013, 5), "", 6000)
    run_tasks()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == _(
        "The export failed. Export again; if it fails again, tell the project office."
    )
    assert "internal detail" in caplog.text
    client.force_login(office_user)
    page = client.get(reverse("projects:export_job", args=[job.pk])).content.decode()
    assert job.error in page and "internal detail" not in page
    assert "导出失败" in page


@pytest.mark.slow
def test_the_same_export_asked_again_while_it_waits_is_the_same_job(
    client, demo, office_user, small_limit
):
    """200 clicks on the same large export (the filters in any order) queue one job and each
    lands on its page; once it is built, asking again queues a fresh one."""
    client.force_login(office_user)
    urls = [export_url(unit="亿元", zone=""), export_url(zone="", unit="亿元")]
    answers = {client.get(urls[number % 2]).url for number in range(200)}
    job = ExportJob.objects.get()
    assert answers == {reverse("projects:export_job", args=[job.pk])}
    job.status = "running"
    job.save()
    assert client.get(urls[0]).url == job.get_absolute_url()
    run_tasks()  # its task finds it taken: the running one is another worker's
    assert ExportJob.objects.get(pk=job.pk).status == "running"
    ExportJob.objects.filter(pk=job.pk).update(status="done")
    client.get(urls[0])
    assert ExportJob.objects.count() == 2


def test_one_reader_cannot_push_another_users_export_down_the_queue(
    client, demo, office_user, settings
):
    """A user may have 3 exports waiting; a fourth different one is refused in Chinese on My
    exports and queues nothing, so a colleague's export is built fourth at the latest."""
    assert settings.JIEFANG_EXPORTS_WAITING_PER_USER == 3
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 0
    client.force_login(office_user)
    zones = Project.objects.values_list("zone", flat=True).distinct()
    assert len(zones) >= 3
    for zone in [*zones, ""]:
        response = client.get(export_url(zone=zone), follow=True)
    assert ExportJob.objects.filter(requested_by=office_user).count() == 3
    assert response.redirect_chain[-1][0] == reverse("projects:export_list")
    assert "您已有 3 个导出在排队或生成中" in response.content.decode()
    url = f"{reverse('projects:project_list')}?export=xlsx&light=red"
    assert client.get(url, follow=True).redirect_chain[-1][0] == reverse("projects:export_list")
    assert ExportJob.objects.count() == 3

    colleague = user_in("project_office", "office2")
    client.force_login(colleague)
    theirs = ExportJob.objects.get(pk=int(client.get(export_url()).url.split("/")[-2]))
    run_tasks(max_tasks=4)
    theirs.refresh_from_db()
    assert theirs.status == "done"
    assert not ExportJob.objects.filter(status="queued").exists()


def test_finished_workbooks_are_bounded_in_size_oldest_deleted_first(
    client, demo, office_user, small_limit, settings
):
    """Past JIEFANG_EXPORTS_MAX_BYTES together, the oldest workbooks are deleted as newer ones
    are built: their pages and downloads say why, and the newest stays."""
    client.force_login(office_user)
    built = []
    for unit in ("万元", "亿元", "万元&zone="):
        client.get(export_url(unit=unit))
        run_tasks()
        built.append(ExportJob.objects.latest("pk"))
    sizes = [job.size for job in built]
    assert all(size > 1000 for size in sizes)
    assert [default_storage.size(job.file.name) for job in built] == sizes
    names = [job.file.name for job in built]

    # Room for the two newest (the newest is built like the second, give or take a few bytes
    # of its zip), never for three.
    settings.JIEFANG_EXPORTS_MAX_BYTES = sizes[1] + sizes[2] + 500
    client.get(export_url(unit="亿元", zone=""))
    run_tasks()
    newest = ExportJob.objects.latest("pk")
    for job in built:
        job.refresh_from_db()
    assert [bool(job.file) for job in [*built, newest]] == [False, False, True, True]
    assert not default_storage.exists(names[0]) and not default_storage.exists(names[1])
    assert default_storage.exists(names[2]) and default_storage.exists(newest.file.name)

    reason = "为给较新的导出腾出空间，该工作簿已删除。请重新导出。"
    download = client.get(reverse("projects:export_download", args=[built[0].pk]))
    assert download.status_code == 410 and reason in download.content.decode()
    page = client.get(built[0].get_absolute_url())
    assert reason in page.content.decode()
    assert page.context["state"]["download"] is None
    listing = client.get(reverse("projects:export_list")).content.decode()
    assert listing.count("下载</a>") == 2
    assert client.get(reverse("projects:export_download", args=[newest.pk])).status_code == 200
