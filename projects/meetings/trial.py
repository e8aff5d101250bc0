"""An office's uploaded Word template tried before it is kept: filled with the figures of
the region's latest meeting (会议纪要) or month (月度通报), so a template that cannot fill
them is refused in Chinese at the upload, not at the meeting."""

from projects.models import Meeting, MonthlyReport

from . import documents, sandbox
from .bulletin import bulletin_context


def sample_context(kind, region):
    """The context of `region`'s latest meeting's minutes (of a region beneath it for a
    region above districts), or of its latest month's bulletin."""
    if kind == "minutes":
        meeting = Meeting.objects.in_region(region).order_by("-date").first()
        return documents.minutes_context(meeting) if meeting else None
    return bulletin_context(MonthlyReport.objects.latest_period(), region)


def try_template(kind, data, region):
    """Why the template in `data` cannot fill `region`'s document, in Chinese, or None."""
    context = sample_context(kind, region)
    try:
        if context is None:
            sandbox.check(data)
        else:
            documents.fill(data, context)
    except Exception as error:  # the template is a program from outside: anything may fail
        return documents.why(error)
    return None
