"""What the API answers, field by field: money as decimal strings in 万元, dates in ISO 8601,
percentages in percent (completion 45.20 means 45.20 %), each field described in Chinese in
the schema."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Escalation, Light, Meeting, Milestone, Problem, Project, Region
from projects.models.levels import leads_by_level

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
PERCENT = {"max_digits": 9, "decimal_places": 2, "coerce_to_string": True}


def absolute(request, name, *args):
    return request.build_absolute_uri(reverse(name, args=args))


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Administrative code of the region (6 digits)."))
    name = serializers.CharField(help_text=_("Name of the region."))


class ProjectSerializer(serializers.ModelSerializer):
    """A project of the register (台账)."""

    region = RegionRefSerializer(help_text=_("The district the project belongs to."))
    zone = serializers.CharField(source="zone.name", help_text=_("Zone (功能区)."))
    levels = serializers.SerializerMethodField(
        help_text=_("Levels: district (区重点), city (市重点), province (省重点).")
    )
    category = serializers.ChoiceField(
        choices=Project.Category.choices, help_text=_("Category of the project.")
    )
    status = serializers.ChoiceField(
        choices=Project.Status.choices,
        help_text=_("Stage of the project: planning, to start, under construction, …"),
    )
    responsible_unit = serializers.CharField(
        source="responsible_unit.name",
        allow_null=True,
        default=None,
        help_text=_("Responsible unit (责任单位)."),
    )
    lead_official = serializers.CharField(
        source="lead_official.name",
        allow_null=True,
        default=None,
        help_text=_("Lead official (牵头分包领导)."),
    )
    total_investment = serializers.DecimalField(
        help_text=_("Total investment, 10k yuan (万元)."), **MONEY
    )
    url = serializers.SerializerMethodField(help_text=_("This project in the API."))

    class Meta:
        model = Project
        fields = [
            "code",
            "national_code",
            "name",
            "region",
            "zone",
            "levels",
            "category",
            "status",
            "owner",
            "scope",
            "responsible_unit",
            "lead_official",
            "total_investment",
            "planned_start",
            "planned_completion",
            "actual_start",
            "actual_completion",
            "url",
        ]
        extra_kwargs = {
            "code": {"help_text": _("Project code in this tracker.")},
            "national_code": {
                "help_text": _(
                    "National project code (24 characters, 全国投资项目在线审批监管平台)."
                )
            },
            "name": {"help_text": _("Project name.")},
            "owner": {"help_text": _("Owner (建设单位).")},
            "scope": {"help_text": _("Scope and scale (建设内容及规模).")},
            "planned_start": {"help_text": _("Planned start date.")},
            "planned_completion": {"help_text": _("Planned completion date.")},
            "actual_start": {"help_text": _("Actual start date.")},
            "actual_completion": {"help_text": _("Actual completion date.")},
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_levels(self, project):
        return [level for level in project.levels.split(",") if level]

    def get_url(self, project) -> str:
        return absolute(self.context["request"], "api:project_detail", project.code)


class MilestoneSerializer(serializers.ModelSerializer):
    """A dated step of the project (时间节点)."""

    class Meta:
        model = Milestone
        fields = ["name", "kind", "order", "baseline_date", "planned_date", "actual_date", "note"]
        extra_kwargs = {
            "name": {"help_text": _("Milestone.")},
            "kind": {"help_text": _("Construction step or pre-construction approval.")},
            "order": {"help_text": _("Order within the project.")},
            "baseline_date": {"help_text": _("First planned date (baseline).")},
            "planned_date": {"help_text": _("Planned date.")},
            "actual_date": {"help_text": _("Actual date, when done.")},
            "note": {"help_text": _("Note.")},
        }


class LevelLeadSerializer(serializers.Serializer):
    """The lead official and responsible unit of one of the project's levels."""

    level = serializers.ChoiceField(
        choices=Project.Level.choices, help_text=_("Level: district, city or province.")
    )
    lead_official = serializers.CharField(
        source="official.name",
        allow_null=True,
        default=None,
        help_text=_("Lead official of the level (the city's is its 挂点领导)."),
    )
    responsible_unit = serializers.CharField(
        source="unit.name",
        allow_null=True,
        default=None,
        help_text=_("Responsible unit of the level."),
    )


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its milestones and the leads of each of its levels."""

    milestones = MilestoneSerializer(many=True, read_only=True)
    level_leads = serializers.SerializerMethodField(
        help_text=_("Lead official and responsible unit per level (区重点, 市重点, 省重点).")
    )

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "level_leads", "milestones"]

    @extend_schema_field(LevelLeadSerializer(many=True))
    def get_level_leads(self, project):
        return LevelLeadSerializer(leads_by_level(project), many=True).data


class ProgressSerializer(serializers.Serializer):
    """A project's figures for the month, as the progress workbook has them."""

    code = serializers.CharField(help_text=_("Project code in this tracker."))
    national_code = serializers.CharField(help_text=_("National project code."))
    name = serializers.CharField(help_text=_("Project name."))
    region = RegionRefSerializer(help_text=_("The district the project belongs to."))
    zone = serializers.CharField(source="zone.name", help_text=_("Zone (功能区)."))
    year = serializers.SerializerMethodField(help_text=_("Year of the figures."))
    month = serializers.SerializerMethodField(help_text=_("Month of the figures (as of its end)."))
    total_investment = serializers.DecimalField(
        help_text=_("Total investment, 10k yuan (万元)."), **MONEY
    )
    annual_plan = serializers.DecimalField(
        allow_null=True,
        help_text=_("Annual planned investment, 10k yuan; null without a plan."),
        **MONEY,
    )
    month_amount = serializers.DecimalField(
        help_text=_("Investment completed this month, 10k yuan."), **MONEY
    )
    ytd = serializers.DecimalField(
        help_text=_("Investment completed from January to this month, 10k yuan."), **MONEY
    )
    cumulative = serializers.DecimalField(
        help_text=_("Investment completed since the start, 10k yuan."), **MONEY
    )
    completion_rate = serializers.DecimalField(
        allow_null=True,
        help_text=_("Completion rate of the annual plan, percent; null without a plan."),
        **PERCENT,
    )
    time_schedule = serializers.DecimalField(
        allow_null=True, help_text=_("Time schedule (序时进度), percent."), **PERCENT
    )
    gap = serializers.DecimalField(
        allow_null=True,
        help_text=_("Points behind the time schedule (positive: behind)."),
        **PERCENT,
    )
    light = serializers.SerializerMethodField(
        help_text=_("Pace light: green, yellow, red, or none (no plan).")
    )
    physical_progress = serializers.CharField(
        source="report_progress",
        allow_null=True,
        help_text=_("Physical progress (形象进度) of the latest report of the year."),
    )
    physical_progress_month = serializers.IntegerField(
        source="report_month",
        allow_null=True,
        help_text=_("Month of the report the physical progress comes from."),
    )
    report_problems = serializers.CharField(
        allow_null=True, help_text=_("Problems (存在问题) written in that report.")
    )
    problems_open = serializers.IntegerField(
        source="open_problems", help_text=_("Problems of the register open at the month's end.")
    )
    overdue_milestones = serializers.IntegerField(help_text=_("Milestones overdue."))
    photos = serializers.SerializerMethodField(
        help_text=_("Site photos of the month's report (URLs in the API).")
    )

    def get_year(self, project) -> int:
        return self.context["period"].year

    def get_month(self, project) -> int:
        return self.context["period"].month

    def get_light(self, project) -> str:
        return Light.from_rank(project.light_rank).value

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, project):
        request = self.context["request"]
        photos = self.context.get("photos", {}).get(project.pk, [])
        return [absolute(request, "api:photo", pk) for pk in photos]


class RegionTotalsSerializer(serializers.Serializer):
    """A region of the tree and what its projects add up to for the month."""

    code = serializers.CharField(help_text=_("Administrative code of the region (6 digits)."))
    name = serializers.CharField(help_text=_("Name of the region."))
    kind = serializers.ChoiceField(choices=Region.Kind.choices, help_text=_("Kind of region."))
    parent = serializers.CharField(
        allow_null=True, help_text=_("Code of the region above; null at the top.")
    )
    projects = serializers.IntegerField(help_text=_("Number of projects."))
    total_investment = serializers.DecimalField(
        help_text=_("Total investment, 10k yuan (万元)."), **MONEY
    )
    annual_plan = serializers.DecimalField(
        help_text=_("Annual planned investment, 10k yuan."), **MONEY
    )
    month_amount = serializers.DecimalField(
        help_text=_("Investment completed this month, 10k yuan."), **MONEY
    )
    ytd = serializers.DecimalField(
        help_text=_("Investment completed from January to this month, 10k yuan."), **MONEY
    )
    cumulative = serializers.DecimalField(
        help_text=_("Investment completed since the start, 10k yuan."), **MONEY
    )
    completion_rate = serializers.DecimalField(
        allow_null=True, help_text=_("Completion rate of the annual plan, percent."), **PERCENT
    )
    time_schedule = serializers.DecimalField(
        allow_null=True,
        help_text=_("Time schedule (序时进度), percent, weighted by the plans."),
        **PERCENT,
    )
    gap = serializers.DecimalField(
        allow_null=True, help_text=_("Points behind the time schedule."), **PERCENT
    )
    lights = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Number of projects per light: none, green, yellow, red."),
    )


class ProblemSerializer(serializers.ModelSerializer):
    """A problem of the register, open or closed, with its escalation (提醒, 催办, 督办)."""

    project = serializers.CharField(source="project.code", help_text=_("Project code."))
    national_code = serializers.CharField(
        source="project.national_code", help_text=_("National project code.")
    )
    responsible_unit = serializers.CharField(
        source="responsible_unit.name",
        allow_null=True,
        default=None,
        help_text=_("Responsible unit (责任单位)."),
    )
    meeting_date = serializers.DateField(
        source="meeting.date",
        allow_null=True,
        default=None,
        help_text=_("Date of the meeting that raised it."),
    )
    escalation = serializers.SerializerMethodField(
        help_text=_("Escalation today: 0 not overdue, 1 reminded, 2 urged, 3 supervised (督办).")
    )
    escalation_label = serializers.SerializerMethodField(help_text=_("Escalation, in words."))

    class Meta:
        model = Problem
        fields = [
            "id",
            "project",
            "national_code",
            "description",
            "responsible_unit",
            "meeting_date",
            "disposition",
            "deadline",
            "status",
            "closed_at",
            "closing_note",
            "escalation",
            "escalation_label",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Number of the problem.")},
            "description": {"help_text": _("Description.")},
            "disposition": {"help_text": _("Solved on the spot, or by a deadline.")},
            "deadline": {"help_text": _("Deadline.")},
            "status": {"help_text": _("Open or closed (销号).")},
            "closed_at": {"help_text": _("When it was closed.")},
            "closing_note": {"help_text": _("How it was solved.")},
        }

    def get_escalation(self, problem) -> int:
        return int(problem.escalation)

    def get_escalation_label(self, problem) -> str:
        return str(Escalation(problem.escalation).label)


class MeetingSerializer(serializers.ModelSerializer):
    """A monthly meeting (例会) and its documents."""

    region = RegionRefSerializer(help_text=_("The region whose meeting it is."))
    frozen_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "When the meeting's record was frozen (its latest issue); null while it is not "
            "held: its documents then show today's figures."
        ),
    )
    documents = serializers.SerializerMethodField(
        help_text=_(
            "The meeting's documents, as frozen once it is held: packet (PDF), minutes and "
            "bulletin (Word), downloaded with the same token."
        )
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "region",
            "number",
            "year",
            "month",
            "date",
            "title",
            "venue",
            "chair",
            "frozen_at",
            "documents",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Number of the meeting in this tracker.")},
            "number": {"help_text": _("Number of the meeting within its year.")},
            "year": {"help_text": _("Year reviewed.")},
            "month": {"help_text": _("Month reviewed.")},
            "date": {"help_text": _("Date of the meeting.")},
            "title": {"help_text": _("Title.")},
            "venue": {"help_text": _("Venue.")},
            "chair": {"help_text": _("Chair.")},
        }

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_documents(self, meeting):
        request = self.context["request"]
        return {
            "packet_pdf": absolute(request, "api:meeting_packet", meeting.pk),
            "minutes_docx": absolute(request, "api:meeting_minutes", meeting.pk),
            "bulletin_docx": absolute(request, "api:meeting_bulletin", meeting.pk),
        }
