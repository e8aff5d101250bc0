"""The project office's admin: the whole register, with the pace light on the changelist."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import ApplyTemplateForm, VersionedModelForm
from .models import (
    AnnualPlan,
    Light,
    Meeting,
    Milestone,
    MilestoneTemplate,
    MilestoneTemplateItem,
    MonthLock,
    MonthlyReport,
    Official,
    Problem,
    Project,
    Unit,
    Zone,
)
from .periods import Period
from .services import apply_milestone_template
from .templatetags.jiefang import light_badge


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "position", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class AnnualPlanInline(admin.TabularInline):
    model = AnnualPlan
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = VersionedModelForm  # a milestone saved by someone else is not overwritten
    extra = 0
    fields = ["order", "name", "baseline_date", "planned_date", "actual_date", "note"]


class LightFilter(admin.SimpleListFilter):
    title = _("pace light")
    parameter_name = "light"

    def lookups(self, request, model_admin):
        return Light.choices

    def queryset(self, request, queryset):
        if self.value() in Light.values:
            return queryset.filter(light_rank=Light(self.value()).rank)
        return queryset


class VersionedAdmin(SimpleHistoryAdmin):
    """History for every change, and no silent overwrite of someone else's save."""

    form = VersionedModelForm


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    list_display = [
        "code",
        "name",
        "zone",
        "lead_official",
        "responsible_unit",
        "status",
        "total_investment",
        "completion_rate_display",
        "gap_display",
        "light_display",
    ]
    list_display_links = ["code", "name"]
    list_filter = [LightFilter, "zone", "status", "category", "lead_official"]
    list_select_related = ["zone", "lead_official", "responsible_unit"]
    search_fields = ["code", "name", "owner"]
    autocomplete_fields = ["lead_official", "responsible_unit", "street_office"]
    filter_horizontal = ["liaisons"]
    show_full_result_count = False
    inlines = [AnnualPlanInline, MilestoneInline]
    actions = ["apply_template"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress(Period.latest())

    @admin.display(description=_("completion rate (%)"), ordering="completion_rate")
    def completion_rate_display(self, obj):
        return "—" if obj.completion_rate is None else obj.completion_rate

    @admin.display(description=_("gap (points)"), ordering="gap")
    def gap_display(self, obj):
        return "—" if obj.gap is None else obj.gap

    @admin.display(description=_("pace light"), ordering="light_rank")
    def light_display(self, obj):
        return light_badge(obj)

    @admin.action(description=_("Apply a milestone template (reverse scheduling)"))
    def apply_template(self, request, queryset):
        form = ApplyTemplateForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for project in queryset:
                apply_milestone_template(
                    project, form.cleaned_data["template"], form.cleaned_data["target_date"]
                )
            self.message_user(
                request,
                _("Milestones planned backwards for %(count)s project(s).")
                % {"count": queryset.count()},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/projects/apply_template.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Apply a milestone template"),
                "form": form,
                "projects": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "planned_investment", "target"]
    list_filter = ["year", "project__zone"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]
    show_full_result_count = False


@admin.register(Milestone)
class MilestoneAdmin(VersionedAdmin):
    list_display = ["project", "name", "baseline_date", "planned_date", "actual_date"]
    list_filter = ["project__zone"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name", "name"]
    autocomplete_fields = ["project"]
    show_full_result_count = False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(VersionedAdmin):
    list_display = ["project", "year", "month", "amount", "submitted_by", "submitted_at"]
    list_filter = ["year", "month", "project__zone"]
    list_select_related = ["project", "submitted_by"]
    search_fields = ["project__code", "project__name", "physical_progress"]
    autocomplete_fields = ["project"]
    show_full_result_count = False


class ProblemInline(admin.TabularInline):
    model = Problem
    extra = 0
    fields = ["project", "description", "responsible_unit", "disposition", "deadline", "status"]
    autocomplete_fields = ["project", "responsible_unit"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "year", "month", "title"]
    list_filter = ["year"]
    search_fields = ["title", "minutes"]
    inlines = [ProblemInline]


@admin.register(Problem)
class ProblemAdmin(VersionedAdmin):
    list_display = [
        "description",
        "project",
        "meeting",
        "responsible_unit",
        "disposition",
        "deadline",
        "status",
    ]
    list_filter = ["status", "disposition", "meeting", "project__zone"]
    list_select_related = ["project", "meeting", "responsible_unit"]
    search_fields = ["description", "project__code", "project__name"]
    autocomplete_fields = ["project", "responsible_unit"]
    show_full_result_count = False


class MilestoneTemplateItemInline(admin.TabularInline):
    model = MilestoneTemplateItem
    extra = 1


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MilestoneTemplateItemInline]


@admin.register(MonthLock)
class MonthLockAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "locked_by", "locked_at"]
    list_filter = ["year"]
    fields = ["year", "month"]

    def save_model(self, request, obj, form, change):
        obj.locked_by = request.user
        super().save_model(request, obj, form, change)
