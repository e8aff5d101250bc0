"""A meeting's documents as issued: the packet (PDF), 会议纪要 and 月度通报 (Word), from the
frozen record once the meeting is held (?issue=N for an earlier issue), from today's figures
before. The meeting pages and the API both hand them out from here, so a superior's system
downloads exactly what the office printed.

A Word document of more than JIEFANG_BACKGROUND_DOCUMENT_OVER projects is built in the
background, as a large export (projects/exports/jobs.py): `queue_document` records the job,
the builders below make the same document from the job's request, and the job's page shows
its progress and offers the file."""

from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from projects.exports import jobs
from projects.models import Meeting, MeetingSnapshot, Project, Region

from . import documents, record
from .bulletin import bulletin_context
from .packet import meeting_packet
from .pdf import PdfUnavailable, render_pdf

PACKET = "projects/meetings/packet.html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def snapshot_or_404(meeting, issue):
    """The record of `meeting` asked for by ?issue=, its latest issue when none is asked for,
    None when the meeting is not frozen; 404 for an issue that does not exist."""
    snapshot = record.chosen(meeting, issue)
    if snapshot is None and issue not in (None, ""):
        raise Http404(_("This meeting has no such issue."))
    return snapshot


def correction_mark(snapshot):
    return f"（{snapshot.label}）" if snapshot is not None and snapshot.is_correction else ""


def frozen_packet(snapshot, body):
    """The context of packet.html for a frozen record: its stored body, and when it was
    taken."""
    return {
        "meeting": snapshot.meeting,
        "official": None,
        "frozen": snapshot,
        "body": mark_safe(body),  # rendered (and escaped) by packet_body.html when frozen
    }


def packet_context(meeting, issue=None):
    """The context of packet.html: as frozen once the meeting is held, live before."""
    snapshot = snapshot_or_404(meeting, issue)
    if snapshot is not None:
        return frozen_packet(snapshot, snapshot.packet)
    return meeting_packet(meeting)


@dataclass
class Issued:
    """A document ready to send: its bytes, its file name, and the problem with the office's
    template (None when there was none)."""

    content: bytes
    filename: str
    problem: str | None = None

    def response(self):
        """The PDF shown in the browser, a Word file downloaded."""
        if self.filename.endswith(".pdf"):
            content_type, disposition = "application/pdf", "inline"
        else:
            content_type, disposition = DOCX, "attachment"
        response = HttpResponse(self.content, content_type=content_type)
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(self.filename)}"
        return response


def respond(build, *args, **kwargs):
    """The response with the document `build(*args, **kwargs)` makes, or a 503 that says
    what is missing when the PDF cannot be made on this server."""
    try:
        return build(*args, **kwargs).response()
    except PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")


def packet_pdf(meeting, issue=None, request=None):
    """The packet as PDF (PdfUnavailable when WeasyPrint cannot run)."""
    context = packet_context(meeting, issue)
    mark = correction_mark(context.get("frozen"))
    return Issued(render_pdf(PACKET, context, request), f"{meeting}{mark}.pdf")


def minutes_docx(meeting, issue=None):
    """会议纪要 of a meeting, as .docx."""
    snapshot = snapshot_or_404(meeting, issue)
    context = (
        documents.thawed(snapshot.minutes)
        if snapshot is not None
        else documents.minutes_context(meeting, issue=True)
    )
    content, problem = documents.render("minutes", context, meeting.region)
    return Issued(content, f"{meeting}会议纪要{correction_mark(snapshot)}.docx", problem)


def bulletin_docx(meeting, issue=None):
    """月度通报 of the month a meeting reviewed, as .docx."""
    snapshot = snapshot_or_404(meeting, issue)
    return _bulletin(snapshot, meeting.period, meeting.region)


def month_bulletin_docx(period, region):
    """月度通报 of a month: the latest issue frozen with a held meeting of that month, or
    today's figures when no meeting of it is held."""
    return _bulletin(MeetingSnapshot.of_period(period, region), period, region)


def _bulletin(snapshot, period, region):
    context = (
        documents.thawed(snapshot.bulletin)
        if snapshot is not None
        else bulletin_context(period, region, issue=True)
    )
    content, problem = documents.render("bulletin", context, region)
    filename = f"{period.label}重点项目推进情况通报{correction_mark(snapshot)}.docx"
    return Issued(content, filename, problem)


def project_count(meeting=None, region=None):
    """How many projects a document covers: the meeting's (a city's its 市重点) or the
    region's."""
    if meeting is not None:
        return documents.meeting_projects(meeting).count()
    return Project.objects.in_region(region).count()


def in_background(count):
    """Whether a Word document of `count` projects is built in the background."""
    return count > settings.JIEFANG_BACKGROUND_DOCUMENT_OVER


def queue_document(user, kind, period, count, meeting=None, region=None, issue=None):
    """The background job building `kind` (bulletin, minutes) of `meeting` (?issue) or of
    `region`'s month: queued now, or the user's same one still waiting (QueueFull when they
    have too many waiting)."""
    request = {"meeting": meeting.pk} if meeting is not None else {"region": region.pk}
    if issue not in (None, ""):
        request["issue"] = issue
    return jobs.queue(user, kind, period, urlencode(request), count)


def _asked(job):
    """(meeting or None, region or None, issue or None) of a document job's request."""
    asked = {key: values[-1] for key, values in parse_qs(job.query).items()}
    meeting = Meeting.objects.get(pk=asked["meeting"]) if "meeting" in asked else None
    region = Region.objects.get(pk=asked["region"]) if "region" in asked else None
    return meeting, region, asked.get("issue")


@jobs.builder("minutes", "会议纪要", "docx")
def build_minutes(job, progress):
    meeting, _region, issue = _asked(job)
    progress(0.05)
    return jobs.Saved(minutes_docx(meeting, issue).content)


@jobs.builder("bulletin", "月度通报", "docx")
def build_bulletin(job, progress):
    meeting, region, issue = _asked(job)
    progress(0.05)
    if meeting is not None:
        return jobs.Saved(bulletin_docx(meeting, issue).content)
    return jobs.Saved(month_bulletin_docx(job.period, region).content)
