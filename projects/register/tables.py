"""Tables of the project, official and zone pages; the same tables feed the .xlsx export."""

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Light, Meeting, Problem, Project
from .templatetags.jiefang import money, pct


class NullsLastColumn(tables.Column):
    """Sorts empty values (no plan, no milestone) last in both directions, on every database."""

    def order(self, queryset, is_descending):
        if not self.order_by:
            return queryset, False
        fields = [F(name.lstrip("-")) for name in self.order_by]
        return queryset.order_by(
            *(f.desc(nulls_last=True) if is_descending else f.asc(nulls_last=True) for f in fields)
        ), True


class MoneyColumn(NullsLastColumn):
    """万元 with thousands separators and 2 decimals; the export keeps the number."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", self.attrs)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money(value)

    def value(self, value):
        return value


class PercentColumn(MoneyColumn):
    def render(self, value):
        return pct(value)


class LightColumn(tables.Column):
    """The pace light: sorts by severity; exports its text (rows draw the badge)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("pace light"))
        kwargs.setdefault("accessor", "light_rank")
        kwargs.setdefault("order_by", ("light_rank",))
        super().__init__(**kwargs)

    def value(self, record):
        return str(record.light.label)


class DateColumn(tables.DateColumn):
    """Y-m-d on the page; a real date in the .xlsx, so that Excel can sort and filter by it."""

    def __init__(self, **kwargs):
        super().__init__(format="Y-m-d", **kwargs)

    def value(self, value):
        return value


class PeriodTable(tables.Table):
    """A table whose links and figures belong to one reporting period."""

    def __init__(self, *args, period=None, **kwargs):
        self.period = period
        super().__init__(*args, **kwargs)


class ProjectTable(PeriodTable):
    code = tables.Column()
    name = tables.Column()
    zone = tables.Column(order_by=("zone__order", "zone__name"))
    lead_official = tables.Column(order_by=("lead_official__name",))
    total_investment = MoneyColumn()
    annual_plan = MoneyColumn(verbose_name=_("annual plan"), order_by=("annual_plan",))
    ytd = MoneyColumn(verbose_name=_("completed this year"))
    completion_rate = PercentColumn(
        verbose_name=_("completion rate (%)"), order_by=("completion_rate",)
    )
    gap = PercentColumn(verbose_name=_("gap (points)"), order_by=("gap",))
    light = LightColumn()
    next_milestone = NullsLastColumn(
        verbose_name=_("next milestone"), order_by=("next_milestone_date",)
    )

    class Meta:
        model = Project
        fields = ["code", "name", "zone", "lead_official", "total_investment"]
        sequence = [
            "code",
            "name",
            "zone",
            "lead_official",
            "total_investment",
            "annual_plan",
            "ytd",
            "completion_rate",
            "gap",
            "light",
            "next_milestone",
        ]
        order_by = ("code",)
        per_page = 50
        attrs = {"class": "data"}
        # Rows are drawn by this template; the columns here define headers, sorting and export.
        template_name = "projects/project_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.period:
            self.columns["ytd"].column.verbose_name = _("%(months)s completed") % {
                "months": self.period.ytd_label
            }

    def value_next_milestone(self, record):
        if not record.next_milestone:
            return ""
        return f"{record.next_milestone} {record.next_milestone_date}"


class SummaryTable(PeriodTable):
    """Totals of a group of projects, from QuerySet.summary()."""

    count = tables.Column(verbose_name=_("projects"), attrs={"td": {"class": "num"}})
    total_investment = MoneyColumn(verbose_name=_("total investment (10k yuan)"))
    annual_plan = MoneyColumn(verbose_name=_("annual plan"))
    ytd = MoneyColumn(verbose_name=_("completed this year"))
    completion_rate = PercentColumn(verbose_name=_("completion rate (%)"))
    time_schedule = PercentColumn(verbose_name=_("time schedule (%)"))
    green = tables.Column(verbose_name=Light.GREEN.label, attrs={"td": {"class": "num"}})
    yellow = tables.Column(verbose_name=Light.YELLOW.label, attrs={"td": {"class": "num"}})
    red = tables.Column(verbose_name=Light.RED.label, attrs={"td": {"class": "num"}})

    class Meta:
        attrs = {"class": "data"}


class ZoneSummaryTable(SummaryTable):
    zone__name = tables.Column(verbose_name=_("zone"))

    class Meta(SummaryTable.Meta):
        sequence = ["zone__name", "..."]


def official_link(record, table):
    return f"{reverse('projects:official_detail', args=[record['lead_official']])}?" + (
        table.period.query_string()
    )


class OfficialTable(SummaryTable):
    lead_official__name = tables.Column(verbose_name=_("lead official"), linkify=official_link)
    lead_official__position = tables.Column(verbose_name=_("position"))

    class Meta(SummaryTable.Meta):
        sequence = ["lead_official__name", "lead_official__position", "..."]
        per_page = 50


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
        attrs = {"class": "data"}

    def render_title(self, record):
        return str(record)

    def render_packet(self, record):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">PDF</a>',
            reverse("projects:meeting_print", args=[record.pk]),
            _("Printout"),
            reverse("projects:meeting_pdf", args=[record.pk]),
        )


class ProblemTable(PeriodTable):
    description = tables.Column(linkify=True)
    project = tables.Column(linkify=True, order_by=("project__code",))
    lead_official = tables.Column(
        accessor="project__lead_official",
        verbose_name=_("lead official"),
        order_by=("project__lead_official__name",),
    )
    meeting = tables.Column(order_by=("meeting__date",))
    deadline = DateColumn()
    is_overdue = tables.BooleanColumn(verbose_name=_("overdue"), yesno=(_("Overdue"), ""))

    class Meta:
        model = Problem
        fields = [
            "description",
            "project",
            "responsible_unit",
            "meeting",
            "disposition",
            "deadline",
            "status",
        ]
        sequence = [
            "description",
            "project",
            "lead_official",
            "responsible_unit",
            "meeting",
            "disposition",
            "deadline",
            "status",
            "is_overdue",
        ]
        order_by = ("deadline",)
        per_page = 50
        attrs = {"class": "data"}
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def value_is_overdue(self, value):
        return str(_("yes") if value else _("no"))
