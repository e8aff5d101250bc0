"""Pages of the background exports: a job's progress page, the requester's list of exports
and the download (the exports themselves start from the register's pages)."""

from django.conf import settings
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, View

from projects.models import ExportJob
from projects.permissions import READ, RoleRequiredMixin

from . import jobs


class OwnJobsMixin(RoleRequiredMixin):
    """Whoever may read the register may export; each sees only their own exports (another's
    is 404, as if it did not exist)."""

    permission_required = READ

    def get_queryset(self):
        return ExportJob.objects.filter(requested_by=self.request.user)


def state(job):
    """What the job page shows, also as JSON for its script: the status its task tells
    (jobs.follow), with the job's own progress as the detail."""
    status = jobs.follow(job)
    ready = status == ExportJob.Status.DONE and not expired(job)
    return {
        "status": status,
        "label": str(ExportJob.Status(status).label),
        "progress": job.progress,
        "download": reverse("projects:export_download", args=[job.pk]) if ready else None,
        "error": job.error,
    }


def expired(job):
    """Whether the workbook is gone: kept past its day, or deleted sooner to make room for
    newer exports (its job then says so)."""
    removed = job.status == ExportJob.Status.DONE and not job.file
    return removed or (job.expires_at is not None and job.expires_at <= timezone.now())


class ExportListView(OwnJobsMixin, ListView):
    """我的导出: the user's background exports of the last two days."""

    template_name = "projects/exports/export_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for job in context["object_list"]:
            jobs.follow(job)  # a task that failed in the worker fails its job
        return context | {
            "title": _("My exports"),
            "background_over": settings.JIEFANG_BACKGROUND_EXPORT_OVER,
        }


class ExportJobView(OwnJobsMixin, DetailView):
    """One export's progress bar and, when it is ready, its download link (?format=json for
    the page's script)."""

    template_name = "projects/exports/export_job.html"
    context_object_name = "job"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.GET.get("format") == "json":
            return JsonResponse(state(self.object))
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        job = self.object
        return super().get_context_data(**kwargs) | {
            "title": _("Export"),
            "state": state(job),
            "expired": expired(job),
        }


class ExportDownloadView(OwnJobsMixin, View):
    """The finished workbook, for its requester, for 24 hours."""

    def get(self, request, pk):
        job = get_object_or_404(self.get_queryset(), pk=pk)
        if expired(job):
            return render(
                request,
                "projects/exports/export_job.html",
                {"title": _("Export"), "job": job, "state": state(job), "expired": True},
                status=410,
            )
        if job.status != ExportJob.Status.DONE:
            return redirect(job)
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"{jobs.filename(job)}.{jobs.extension(job)}",
        )
