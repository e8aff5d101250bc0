"""Background exports: a workbook of more than JIEFANG_BACKGROUND_EXPORT_OVER projects is
recorded as an ExportJob and built by a task (build_export) on Django's task framework,
run by `manage.py db_worker`. The job keeps its task's id: the page polls the task's state
(waiting, running, failed in the worker) with the job's progress as its detail; the workbook
is kept for its requester for 24 hours.

What each kind of job writes is registered by the room that owns the export (`@builder`, see
projects/register/exports.py). Builders stream rows from the database into write-only
workbooks; the workbook is saved into a temporary file and copied to storage in chunks, so a
worker's memory does not grow with the number of projects.
"""

import datetime
import logging
import tempfile
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from projects.models import ExportJob

logger = logging.getLogger(__name__)

STALE = datetime.timedelta(hours=1)  # a job running this long lost its worker
BUILDERS = {}  # kind: function(job, progress) returning a workbook, the file's name, extension


def builder(kind, name, extension="xlsx"):
    """Register the function that builds a kind of job's file: a workbook, or any object that
    can `save` itself into a file (a Word document, `extension` "docx"); `name` starts the
    file's name (the period follows)."""

    def register(function):
        BUILDERS[kind] = (function, name, extension)
        return function

    return register


class Saved:
    """A file already made (a Word document's bytes), saved as a builder's result."""

    def __init__(self, content):
        self.content = content

    def save(self, handle):
        handle.write(self.content)


def extension(job):
    return BUILDERS[job.kind][2]


def in_background(count):
    """Whether a workbook of `count` projects is built in the background."""
    return count > settings.JIEFANG_BACKGROUND_EXPORT_OVER


class QueueFull(Exception):
    """The user already has as many exports waiting as one user may; the message says so."""


WAITING = [ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]


def same_query(query):
    """The query with its parameters in one order (each name's values as given), so that the
    same filters asked for twice are recognised as the same export."""
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0]))


def queue(user, kind, period, query, count, unit="万元"):
    """Queue an export for `user`, or return theirs that is waiting or being built for the same
    request; QueueFull when they have JIEFANG_EXPORTS_WAITING_PER_USER others waiting, so that
    one reader cannot push everyone else's exports down the queue."""
    request = {
        "kind": kind,
        "year": period.year,
        "month": period.month,
        "query": same_query(query),
        "unit": unit,
    }
    with transaction.atomic():
        # One user's requests one at a time (a row lock on PostgreSQL; SQLite writes serially).
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        waiting = ExportJob.objects.filter(requested_by=user, status__in=WAITING)
        same = waiting.filter(**request).order_by("requested_at", "pk").first()
        if same is not None:
            return same
        limit = settings.JIEFANG_EXPORTS_WAITING_PER_USER
        if waiting.count() >= limit:
            raise QueueFull(
                ngettext(
                    "You already have %(count)s export waiting; download it or wait until it is "
                    "built, then export again.",
                    "You already have %(count)s exports waiting; download one or wait until they "
                    "are built, then export again.",
                    limit,
                )
                % {"count": limit}
            )
        job = ExportJob.objects.create(requested_by=user, project_count=count, **request)
        # In the same transaction as the job (the task is a row of the same database): a
        # job is never without its task, nor a task without its job.
        job.task_id = build_export.enqueue(job.pk).id
        job.save(update_fields=["task_id"])
        return job


# What a job waiting on its task shows while the task waits or runs.
TASK_STATUS = {
    TaskResultStatus.READY: ExportJob.Status.QUEUED,
    TaskResultStatus.RUNNING: ExportJob.Status.RUNNING,
}


def lost_reason():
    with translation.override(settings.LANGUAGE_CODE):  # as the builders speak
        return _(
            "The export stopped in the background worker before it was built. Export again; "
            "if it fails again, tell the project office."
        )


def follow(job):
    """The job's status as its task tells it: queued while the task waits, being built while
    it runs; a task that failed in the worker (outside the build, which records its own
    failure) fails its job, with a reason in Chinese. A job that is finished, or whose task
    is not known (its result deleted), keeps its own status."""
    if not job.task_id or job.status not in WAITING:
        return job.status
    try:
        result = build_export.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return job.status
    if result.status in TASK_STATUS:
        return TASK_STATUS[result.status]
    if result.status == TaskResultStatus.FAILED:
        _fail(job, lost_reason(), waiting=True)
    job.refresh_from_db()  # finished since it was read
    return job.status


def filename(job):
    return f"{BUILDERS[job.kind][1]}-{job.period.label}"


def build(job):
    """Build the job's workbook into storage, updating its progress as rows are written."""
    shown = [0]

    def progress(fraction):
        percent = min(int(fraction * 100), 99)
        if percent >= shown[0] + 2:  # an UPDATE every two points at most
            shown[0] = percent
            ExportJob.objects.filter(pk=job.pk).update(progress=percent)

    function, _name, suffix = BUILDERS[job.kind]
    with translation.override(settings.LANGUAGE_CODE):  # a worker has no request's language
        workbook = function(job, progress)
    with tempfile.TemporaryFile(suffix=f".{suffix}") as handle:
        workbook.save(handle)
        size = handle.tell()
        handle.seek(0)
        name = default_storage.save(
            f"exports/{job.requested_by_id}/{job.pk}.{suffix}", File(handle)
        )
    return name, size


def run(pk, now=None):
    """Build the job `pk` once: taken by one conditional UPDATE, so that a task run twice
    builds it once; returns the job, or None when it was not waiting."""
    now = now or timezone.now()
    if not ExportJob.objects.filter(pk=pk, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=now, progress=0
    ):
        return None
    job = ExportJob.objects.get(pk=pk)
    try:
        name, size = build(job)
    except ValueError as error:  # a builder's refusal, worded for the requester
        _fail(job, str(error))
    except Exception:  # noqa: BLE001 (anything else: logged, and the page says to retry)
        logger.exception("export job %s failed", job.pk)
        with translation.override(settings.LANGUAGE_CODE):  # as the builders speak
            reason = _(
                "The export failed. Export again; if it fails again, tell the project office."
            )
        _fail(job, reason)
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE,
            progress=100,
            file=name,
            size=size,
            finished_at=timezone.now(),
        )
        make_room(keep=job.pk)
    job.refresh_from_db()
    return job


@task()
def build_export(job_id: int) -> str:
    """The task: build one export's workbook, after clearing the expired ones; returns the
    job's status."""
    clear_expired()
    job = run(job_id)
    return job.status if job is not None else "not waiting"


def make_room(keep=None):
    """Delete the oldest finished workbooks until those kept take at most
    JIEFANG_EXPORTS_MAX_BYTES together (the one just built, `keep`, stays even if it alone is
    larger); their pages say why they are gone. Returns how many were deleted."""
    done = ExportJob.objects.filter(status=ExportJob.Status.DONE).exclude(file="")
    total = done.aggregate(total=Sum("size"))["total"] or 0
    removed = 0
    for job in done.exclude(pk=keep).order_by("finished_at", "pk").only("pk", "file", "size"):
        if total <= settings.JIEFANG_EXPORTS_MAX_BYTES:
            break
        with translation.override(settings.LANGUAGE_CODE):  # as the builders speak
            reason = _(
                "This workbook was deleted to make room for newer exports. Export the list again."
            )
        if ExportJob.objects.filter(pk=job.pk, file=job.file.name).update(file="", error=reason):
            default_storage.delete(job.file.name)
            removed += 1
        total -= job.size
    return removed


def _fail(job, reason, waiting=False):
    """Record the job as failed (`waiting`: only if it is still waiting or being built)."""
    jobs = ExportJob.objects.filter(pk=job.pk)
    if waiting:
        jobs = jobs.filter(status__in=WAITING)
    jobs.update(status=ExportJob.Status.FAILED, error=reason[:1000], finished_at=timezone.now())


def clear_expired(now=None):
    """Delete the workbooks kept longer than a day, and give up jobs whose worker died."""
    now = now or timezone.now()
    ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - STALE).update(
        status=ExportJob.Status.FAILED,
        error=_("The export was interrupted; export again."),
        finished_at=now,
    )
    expired = ExportJob.objects.filter(
        Q(finished_at__lt=now - ExportJob.KEEP) | Q(requested_at__lt=now - 2 * ExportJob.KEEP)
    ).exclude(status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])
    count = 0
    for job in expired:
        with transaction.atomic():
            if job.file:
                default_storage.delete(job.file.name)
            job.delete()
        count += 1
    make_room()  # the bound may have been lowered since the last workbook was built
    return count
