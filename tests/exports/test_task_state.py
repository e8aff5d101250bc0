"""The export's page reads its task's state (django-tasks, run by `manage.py db_worker`):
waiting, being built with the job's progress, ready; a task that failed in the worker shows
as failed, in Chinese, and frees the user to export again."""

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from projects.exports import jobs as exports
from projects.models import ExportJob, MonthlyReport
from tests.conftest import run_tasks

pytestmark = pytest.mark.django_db

LOST = "导出在后台任务中停止，未能生成。请重新导出；如仍失败，请告知项目办。"  # lost_reason()


@pytest.fixture
def exporting(client, demo, office_user, settings):
    """The office asks for the progress workbook of the demo's 10 projects, in the background
    (more than 4 projects)."""
    settings.JIEFANG_BACKGROUND_EXPORT_OVER = 4
    client.force_login(office_user)
    period = MonthlyReport.objects.latest_period()
    response = client.get(f"{reverse('projects:progress_xlsx')}?{period.query_string()}")
    job = ExportJob.objects.get()
    assert response.url == job.get_absolute_url()
    return job


def shown(client, job):
    """The job page's state (its script's JSON) and the page's own text."""
    url = reverse("projects:export_job", args=[job.pk])
    return client.get(url, {"format": "json"}).json(), client.get(url).content.decode()


def test_the_job_keeps_its_task_and_the_page_follows_it(client, exporting):
    job = exporting
    task = exports.build_export.get_result(job.task_id)
    assert task.status == TaskResultStatus.READY and task.args == [job.pk]
    state, page = shown(client, job)
    assert (state["status"], state["label"], state["progress"]) == ("queued", "排队中", 0)
    assert "排队中" in page and state["download"] is None
    # A worker has taken the task and written a third of the rows: the page says so.
    DBTaskResult.objects.filter(id=job.task_id).update(status=TaskResultStatus.RUNNING)
    ExportJob.objects.filter(pk=job.pk).update(progress=33)
    state, page = shown(client, job)
    assert (state["status"], state["label"], state["progress"]) == ("running", "生成中", 33)
    assert 'value="33"' in page
    DBTaskResult.objects.filter(id=job.task_id).update(status=TaskResultStatus.READY)
    run_tasks()
    assert exports.build_export.get_result(job.task_id).status == TaskResultStatus.SUCCESSFUL
    state, page = shown(client, job)
    assert (state["status"], state["progress"]) == ("done", 100)
    assert state["download"] == reverse("projects:export_download", args=[job.pk])
    response = client.get(state["download"])
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"


def test_a_task_that_failed_in_the_worker_shows_as_failed_in_chinese(
    client, exporting, monkeypatch
):
    """The worker's task raises before the build could record anything (here: clearing the
    expired workbooks breaks): the job would wait for ever; the page reads the failed task,
    says so in Chinese, and the same export asked again is a new job, not the dead one."""
    job = exporting

    def broken(now=None):
        raise RuntimeError("disk full: internal detail")

    monkeypatch.setattr(exports, "clear_expired", broken)
    run_tasks()
    assert exports.build_export.get_result(job.task_id).status == TaskResultStatus.FAILED
    assert ExportJob.objects.get(pk=job.pk).status == "queued"  # the row alone never knew
    state, page = shown(client, job)
    assert (state["status"], state["label"], state["error"]) == ("failed", "失败", LOST)
    assert LOST in page and "internal detail" not in page
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", LOST)
    listing = client.get(reverse("projects:export_list")).content.decode()
    assert "失败" in listing
    monkeypatch.undo()
    period = MonthlyReport.objects.latest_period()
    again = client.get(f"{reverse('projects:progress_xlsx')}?{period.query_string()}")
    new = ExportJob.objects.exclude(pk=job.pk).get()
    assert again.url == new.get_absolute_url() and new.task_id != job.task_id


def test_the_list_gives_up_a_job_whose_task_failed(client, exporting, monkeypatch):
    """My exports, opened first, shows the failed task's job as failed too."""
    job = exporting
    monkeypatch.setattr(exports, "clear_expired", lambda now=None: 1 / 0)
    run_tasks()
    listing = client.get(reverse("projects:export_list"))
    assert [shown.status for shown in listing.context["object_list"]] == ["failed"]
    job.refresh_from_db()
    assert job.error == LOST
