"""Tables of the project, official and zone pages; the same tables feed the .xlsx export."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Light, Project
from projects.web.tables import (
    LightColumn,
    MoneyColumn,
    NullsLastColumn,
    PercentColumn,
    PeriodTable,
)


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
        # On a phone the rows stack into cards (static/css/app.css, table.stack).
        attrs = {"class": "data stack", "id": "project-table"}
        # Rows are drawn by this template; the columns here define headers, sorting and export.
        template_name = "projects/register/project_table.html"

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
    none = tables.Column(verbose_name=Light.NONE.label, attrs={"td": {"class": "num"}})

    class Meta:
        attrs = {"class": "data"}


class ZoneSummaryTable(SummaryTable):
    zone__name = tables.Column(verbose_name=_("zone"))

    class Meta(SummaryTable.Meta):
        sequence = ["zone__name", "..."]
        per_page = 50


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
