"""The frozen record of a held meeting: once the office locks the month a meeting reviewed,
its packet, each lead official's part, 会议纪要, 月度通报 and the ranking are kept as they
stood (MeetingSnapshot) and reprinted from there, whatever is imported, reported or closed
later. A correction (更正重发) is a new issue kept beside the original.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

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
def freeze(meeting, user=None, reason=""):
    """Keep `meeting`'s documents as they stand now: the original the first time, a
    correction (更正) after that. Figures are written in the site's language, as printed."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.snapshots.aggregate(Max("issue"))["issue__max"]
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


def freeze_month(region, year, month, user=None):
    """Freeze every meeting of `region` that reviewed the month and has no record yet
    (locking the region's month holds its meetings); the meetings frozen now."""
    return [
        freeze(meeting, user)
        for meeting in Meeting.objects.filter(
            region=region, year=year, month=month, snapshots__isnull=True
        )
        .distinct()
        .order_by("date", "pk")
    ]


def chosen(meeting, issue=None):
    """The record of `meeting` asked for (?issue=N), or its latest issue; None while the
    meeting is not frozen. An issue that does not exist is None as well."""
    snapshots = meeting.snapshots.all()
    if issue not in (None, ""):
        if not (isinstance(issue, str) and issue.isascii() and issue.isdigit()):
            return None
        return snapshots.filter(issue=int(issue)).first()
    return snapshots.order_by("-issue").first()
