"""Exports built in the background: a workbook of more projects than a request should wait
for is queued here, built by a task (`manage.py db_worker`), and downloaded by its requester within
a day (see projects/exports/jobs.py)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.progress.period import Period


class ExportJob(models.Model):
    """One requested workbook: what was asked for, how far it has got, and the file."""

    KEEP = datetime.timedelta(hours=24)  # a finished workbook is kept this long

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress workbook")
        LIST = "list", _("Project list")
        BULLETIN = "bulletin", _("Monthly bulletin (Word)")
        MINUTES = "minutes", _("Minutes (Word)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PROGRESS)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    query = models.TextField(_("filters"), blank=True)
    unit = models.CharField(_("unit"), max_length=4, default="万元")
    project_count = models.PositiveIntegerField(_("projects"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The id of the task's result (django-tasks) that builds it: the page reads its state.
    task_id = models.CharField(_("task"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("background export")
        verbose_name_plural = _("background exports")
        indexes = [models.Index(fields=["status", "requested_at"], name="exportjob_queue")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.project_count}"

    def get_absolute_url(self):
        return reverse("projects:export_job", args=[self.pk])

    @property
    def is_document(self):
        """A Word document (月度通报, 会议纪要), not a workbook."""
        return self.kind in (self.Kind.BULLETIN, self.Kind.MINUTES)

    @property
    def period(self):
        return Period(self.year, self.month)

    @property
    def expires_at(self):
        return self.finished_at + self.KEEP if self.finished_at else None
