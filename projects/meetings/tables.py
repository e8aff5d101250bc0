"""Tables of the meeting list and the problem register; the same tables feed the .xlsx export."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from projects.models import Meeting
from projects.web.tables import DateColumn, PeriodTable


class MeetingTable(PeriodTable):
    number = tables.Column(linkify=True)
    date = DateColumn()
    title = tables.Column(linkify=True, empty_values=())
    problem_count = tables.Column(verbose_name=_("problems raised"), attrs={"td": {"class": "num"}})
    packet = tables.Column(
        verbose_name=_("meeting packet"), empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Meeting
        fields = ["year", "number", "date", "month", "title", "venue", "chair"]
        sequence = [
            "year",
            "number",
            "date",
            "month",
            "title",
            "venue",
            "chair",
            "problem_count",
            "packet",
        ]
        order_by = ("-date",)
        per_page = 50
        attrs = {"class": "data stack"}
        template_name = "tables/stack.html"

    def render_title(self, record):
        return str(record)

    def render_packet(self, record):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">PDF</a>',
            reverse("projects:meeting_print", args=[record.pk]),
            _("Printout"),
            reverse("projects:meeting_pdf", args=[record.pk]),
        )
