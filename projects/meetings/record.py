"""The frozen record of a held meeting: once the office locks the month a meeting reviewed,
its packet, each lead official's part, 会议纪要, 月度通报 and the ranking are kept as they
stood (MeetingSnapshot) and reprinted from there, whatever is imported, reported or closed
later. A correction (更正重发) is a new issue kept beside the original.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from projects.models import Meeting, MeetingSnapshot, Official, Project
from projects.register.ranking import ranking
from projects.register.ranking_record import ranking_to_json

from . import documents
from .bulletin import bulletin_context
from .packet import meeting_packet

BODY = "projects/meetings/packet_body.html"


def packet_body(meeting, official=None):
    """The packet (or one official's part) as printed, without the page around it."""
    return render_to_string(BODY, meeting_packet(meeting, official))


@transaction.atomic
def freeze(meeting, user=None, reason="", first_only=False):
    """Keep `meeting`'s documents as they stand now: the original the first time, a
    correction (更正) after that. Figures are written in the site's language, as printed.
    With `first_only`, nothing (None) when the meeting is frozen already (a lock's freeze
    asked twice, as by two queued tasks)."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.snapshots.aggregate(Max("issue"))["issue__max"]
    if first_only and last is not None:
        return None
    issue = 0 if last is None else last + 1
    with translation.override(settings.LANGUAGE_CODE):
        minutes = documents.minutes_context(meeting, issue=True)
        bulletin = bulletin_context(meeting.period, meeting.region, issue=True)
        if issue:
            mark = _("(correction)")
            minutes["number"] += mark
            bulletin["number"] += mark
        return MeetingSnapshot.objects.create(
            meeting=meeting,
            taken_by=user,
            issue=issue,
            reason=reason,
            packet=packet_body(meeting),
            parts={
                str(official.pk): packet_body(meeting, official)
                for official in Official.objects.in_region(meeting.region).order_by("pk")
            },
            minutes=documents.frozen(minutes),
            bulletin=documents.frozen(bulletin),
            ranking=ranking_to_json(
                ranking(meeting.period, Project.objects.in_region(meeting.region))
            ),
        )


def in_background(meeting):
    """Whether freezing `meeting` is left to a worker: a meeting of more projects than
    JIEFANG_BACKGROUND_DOCUMENT_OVER (its packet alone, every project's row, took 45 s at
    100,000 projects), as its Word documents are."""
    return documents.meeting_projects(meeting).count() > settings.JIEFANG_BACKGROUND_DOCUMENT_OVER


@task()
def freeze_later(meeting_id: int, user_id: int | None, reason: str = "") -> str:
    """The task: freeze one meeting (a correction with `reason`; without, its first record,
    once, however often it was queued)."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return "gone"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    snapshot = freeze(meeting, user, reason, first_only=not reason)
    return "frozen" if snapshot is not None else "frozen already"


def freeze_or_queue(meeting, user=None, reason=""):
    """Freeze `meeting` now, or, for a large one, queue its freezing for a worker once this
    transaction commits: the record made now, or None when queued."""
    if in_background(meeting):
        user_id = user.pk if user is not None else None
        transaction.on_commit(partial(freeze_later.enqueue, meeting.pk, user_id, reason))
        return None
    return freeze(meeting, user, reason, first_only=not reason)


def freeze_month(region, year, month, user=None):
    """Freeze every meeting of `region` that reviewed the month and has no record yet
    (locking the region's month holds its meetings): the records made now; a large meeting's
    is made by a worker (freeze_or_queue)."""
    frozen = (freeze_or_queue(meeting, user) for meeting in unfrozen(region, year, month))
    return [snapshot for snapshot in frozen if snapshot is not None]


def unfrozen(region, year, month):
    """The meetings of `region` that reviewed the month and have no record (yet: after a
    lock, those a worker is still to freeze)."""
    return (
        Meeting.objects.filter(region=region, year=year, month=month, snapshots__isnull=True)
        .distinct()
        .order_by("date", "pk")
    )


def chosen(meeting, issue=None):
    """The record of `meeting` asked for (?issue=N), or its latest issue; None while the
    meeting is not frozen. An issue that does not exist is None as well."""
    snapshots = meeting.snapshots.all()
    if issue not in (None, ""):
        if not (isinstance(issue, str) and issue.isascii() and issue.isdigit()):
            return None
        return snapshots.filter(issue=int(issue)).first()
    return snapshots.order_by("-issue").first()
