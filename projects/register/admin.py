"""The project office's admin of the register, with the pace light on the changelist.

VersionedAdmin is shared by the admin of reports and problems."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from projects.models import (
    AnnualPlan,
    Light,
    Milestone,
    MilestoneTemplate,
    MilestoneTemplateItem,
    MonthlyReport,
    Official,
    Project,
    Unit,
    Zone,
)
from projects.templatetags.jiefang import light_badge
from projects.web.forms import VersionedModelForm

from .forms import ApplyTemplateForm
from .scheduling import apply_milestone_template


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
        return super().get_queryset(request).with_progress(MonthlyReport.objects.latest_period())

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


class MilestoneTemplateItemInline(admin.TabularInline):
    model = MilestoneTemplateItem
    extra = 1


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MilestoneTemplateItemInline]
