"""The register's two workbooks as background jobs (see projects/exports/jobs.py): the
standard progress workbook and the project list, for the projects the list's filters choose."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from projects.exchange.workbook import ProgressWorkbook
from projects.exchange.xlsx import append_table_rows, new_workbook
from projects.exports import jobs
from projects.models import Project
from projects.progress.period import Period
from projects.scope import heading_region

from .filters import ProjectFilterSet
from .tables import ProjectTable

CHUNK = 2000  # project list rows read and written at a time


def selected(period, query, user):
    """The projects the project list shows `user` for these filters (its query string)."""
    return ProjectFilterSet(
        QueryDict(query), queryset=Project.objects.restrict(user).with_stored_progress(period)
    ).qs


@jobs.builder("progress", "重点项目进展情况表")
def progress_workbook(job, progress):
    period = Period(job.year, job.month)
    projects = Project.objects.filter(
        pk__in=selected(period, job.query, job.requested_by).values("pk")
    )
    return ProgressWorkbook(
        projects, period, job.unit, progress=progress, region=heading_region(job.requested_by)
    ).build()


@jobs.builder("list", "projects")
def project_list(job, progress):
    """The project list's table, every row, in the list's order, CHUNK rows at a time."""
    period = Period(job.year, job.month)
    projects = selected(period, job.query, job.requested_by).select_related("zone", "lead_official")
    table = ProjectTable(projects, period=period, order_by=QueryDict(job.query).get("sort"))
    ordered = table.data.data
    ordered = ordered.order_by(*ordered.query.order_by, "pk")  # ties stay in one order
    header = next(table.as_values())  # from the queryset: the models' verbose names
    workbook = new_workbook()
    sheet = workbook.create_sheet(_("Sheet1"))
    append_table_rows(sheet, [], header=header)
    start = 0
    while True:
        chunk = list(ordered[start : start + CHUNK])  # already in order: the table keeps it
        rows = ProjectTable(chunk, period=period, order_by=()).as_values()
        next(rows)  # a list's header lacks the verbose names
        written = append_table_rows(sheet, rows)
        if not written:
            return workbook
        start += written
        progress(min(start / max(job.project_count, 1), 1) * 0.95)
