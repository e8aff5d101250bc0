"""The project office's admin of the register, with the pace light on the changelist.

VersionedAdmin is shared by the admin of reports and problems."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from projects.action_admin import ActionAdmin, edit_of
from projects.factors.admin import LIFE_INLINES
from projects.models import (
    AnnualPlan,
    Light,
    Milestone,
    MilestoneTemplate,
    MilestoneTemplateItem,
    MonthlyPlan,
    Official,
    Profile,
    Project,
    Region,
    Unit,
    Zone,
)
from projects.models.base import person_name
from projects.progress.period import Period
from projects.scope import accounts_beneath, region_of, restrict_choices
from projects.templatetags.jiefang import light_badge
from projects.web.forms import VersionedModelForm

from . import actions
from .forms import ApplyTemplateForm, OutlineForm, OutlineWidget
from .geojson import outlines
from .levels_admin import ProjectLevelInline


class PeopleField(forms.ModelMultipleChoiceField):
    """Accounts by the person's name, the user name in brackets."""

    def label_from_instance(self, obj):
        name = person_name(obj)
        return name if name == obj.username else f"{name}（{obj.username}）"


# A webhook typed without its scheme is taken as https (Django 6's default).
WEBHOOK_FIELD = {models.URLField: {"assume_scheme": "https"}}


class PeopleMixin:
    """Many-to-many fields of accounts offer the active accounts of one role, by name, of the
    office's region and beneath (never a sibling district's): `people_roles` maps each field
    to its role."""

    people_roles = {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        role = self.people_roles.get(db_field.name)
        if role:
            people = get_user_model().objects.filter(is_active=True, groups__name=role)
            region = region_of(request.user)
            if region is not None:
                people = accounts_beneath(people, region)
            kwargs["queryset"] = people.order_by("first_name", "username")
            kwargs["form_class"] = PeopleField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RegionScopedAdmin(ActionAdmin):
    """The admin of a model of a region, scoped as every page is (projects/scope.py): an
    account sees, changes and chooses only rows of its region and the regions beneath it,
    and writes only through actions that check it again (ActionAdmin)."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            restrict_choices({db_field.name: field}, request.user)
        return field

    def get_changeform_initial_data(self, request):
        """A new row of the account's own region, unless it chooses another beneath it."""
        initial = super().get_changeform_initial_data(request)
        region = region_of(request.user)
        if region is not None and any(f.name == "region" for f in self.model._meta.fields):
            initial.setdefault("region", region.pk)
        return initial


def related_only(*names):
    """List filters offering only the values the account's rows use (not every region's)."""
    return [(name, admin.RelatedOnlyFieldListFilter) for name in names]


class OutlineAdmin:
    """The outline of a zone or a region: pasted, uploaded, or drawn on a map of the outlines
    the account already sees."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "outline":
            kwargs["widget"] = OutlineWidget(context=outlines(request.user))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(OutlineAdmin, RegionScopedAdmin, admin.ModelAdmin):
    form = OutlineForm
    list_display = ["name", "code", "kind", "parent", "reporting_unit"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Profile)
class ProfileAdmin(RegionScopedAdmin, admin.ModelAdmin):
    """Which region each account acts in (and every region beneath it)."""

    list_display = ["user", "region"]
    list_select_related = ["user", "region"]
    list_filter = related_only("region")
    search_fields = ["user__username", "user__first_name", "region__name"]
    autocomplete_fields = ["user"]


@admin.register(Zone)
class ZoneAdmin(OutlineAdmin, RegionScopedAdmin, admin.ModelAdmin):
    form = OutlineForm
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Official)
class OfficialAdmin(RegionScopedAdmin, admin.ModelAdmin):
    # The last reminder that could not reach the official's address shows in the list.
    list_display = ["name", "position", "user", "delivery_error", "delivery_error_at"]
    list_select_related = ["user"]
    search_fields = ["name", "position", "user__username"]
    autocomplete_fields = ["user"]
    readonly_fields = ["delivery_error", "delivery_error_at"]
    formfield_overrides = WEBHOOK_FIELD


@admin.register(Unit)
class UnitAdmin(RegionScopedAdmin, PeopleMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "delivery_error", "delivery_error_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    fields = [
        "name",
        "kind",
        "region",
        "contacts",
        "webhook_url",
        "delivery_error",
        "delivery_error_at",
    ]
    readonly_fields = ["delivery_error", "delivery_error_at"]
    filter_horizontal = ["contacts"]
    people_roles = {"contacts": "unit_contact"}  # 责任单位联系人
    formfield_overrides = WEBHOOK_FIELD


class MonthlyPlanFormSet(BaseInlineFormSet):
    """The twelve months of a plan must add up to the annual figure (or be left empty)."""

    def clean(self):
        super().clean()
        amounts = [
            form.cleaned_data.get("amount")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        self.instance.check_months(amounts)


class MonthlyPlanInline(admin.TabularInline):
    model = MonthlyPlan
    formset = MonthlyPlanFormSet
    extra = 0
    max_num = 12


QUARTERS = ["q1", "q2", "q3", "q4"]


class AnnualPlanForm(VersionedModelForm):
    """The annual plan, and optionally its four quarters (spread evenly within each); a plan
    saved by someone else since the page was opened is not overwritten."""

    q1 = forms.DecimalField(label=_("1st quarter"), required=False, min_value=0, decimal_places=2)
    q2 = forms.DecimalField(label=_("2nd quarter"), required=False, min_value=0, decimal_places=2)
    q3 = forms.DecimalField(label=_("3rd quarter"), required=False, min_value=0, decimal_places=2)
    q4 = forms.DecimalField(label=_("4th quarter"), required=False, min_value=0, decimal_places=2)

    class Meta:
        model = AnnualPlan
        fields = ["project", "year", "planned_investment", "target"]

    def quarter_amounts(self):
        values = [self.cleaned_data.get(name) for name in QUARTERS]
        return [value or 0 for value in values] if any(v is not None for v in values) else []

    def clean(self):
        cleaned = super().clean()
        if self.quarter_amounts() and cleaned.get("planned_investment") is not None:
            total = sum(self.quarter_amounts())
            if total != cleaned["planned_investment"]:
                self.add_error(
                    None,
                    _("The quarters add up to %(total)s, not the annual plan %(plan)s (10k yuan).")
                    % {"total": f"{total:,.2f}", "plan": f"{cleaned['planned_investment']:,.2f}"},
                )
        return cleaned


class AnnualPlanInline(admin.TabularInline):
    model = AnnualPlan
    form = VersionedModelForm  # a plan saved by someone else is not overwritten
    extra = 0
    fields = ["year", "planned_investment", "target", "loaded_version"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = VersionedModelForm  # a milestone saved by someone else is not overwritten
    extra = 0
    fields = [
        "order",
        "kind",
        "name",
        "approval_number",
        "baseline_date",
        "planned_date",
        "actual_date",
        "note",
        "loaded_version",  # hidden: without it on the page every row would be refused
    ]


class LightFilter(admin.SimpleListFilter):
    title = _("pace light")
    parameter_name = "light"

    def lookups(self, request, model_admin):
        return Light.choices

    def queryset(self, request, queryset):
        if self.value() in Light.values:
            return queryset.filter(light_rank=Light(self.value()).rank)
        return queryset


class RecordInline(admin.TabularInline):
    """A record kept by the app (a problem's steps, the reminders sent): shown, never edited."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class VersionedAdmin(SimpleHistoryAdmin):
    """History for every change, and no silent overwrite of someone else's save."""

    form = VersionedModelForm


@admin.register(Project)
class ProjectAdmin(RegionScopedAdmin, PeopleMixin, VersionedAdmin):
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
    list_filter = [LightFilter, *related_only("zone"), "status", "category"]
    list_filter += related_only("lead_official")
    list_select_related = ["zone", "lead_official", "responsible_unit"]
    search_fields = ["code", "name", "owner", "national_code"]
    autocomplete_fields = ["lead_official", "responsible_unit", "street_office"]
    filter_horizontal = ["liaisons"]
    show_full_result_count = False
    inlines = [ProjectLevelInline, AnnualPlanInline, MilestoneInline, *LIFE_INLINES]
    actions = ["apply_template"]
    # Liaisons report for the lead official: accounts of that role.
    people_roles = {"liaisons": "lead_official"}

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress(Period.collecting())

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
            count = actions.apply_template(
                request.user,
                queryset,
                form.cleaned_data["template"],
                form.cleaned_data["target_date"],
            )
            self.message_user(
                request,
                _("Milestones planned backwards for %(count)s project(s).") % {"count": count},
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
class AnnualPlanAdmin(RegionScopedAdmin, SimpleHistoryAdmin):
    """An annual plan with its twelve months inline, or four quarters spread evenly."""

    form = AnnualPlanForm
    list_display = ["project", "year", "planned_investment", "target"]
    list_filter = ["year", *related_only("project__zone")]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]
    show_full_result_count = False
    inlines = [MonthlyPlanInline]
    fieldsets = [
        (None, {"fields": ["project", "year", "planned_investment", "target", "loaded_version"]}),
        (
            _("Or by quarter: replaces the months, spread evenly within each quarter"),
            {"fields": QUARTERS},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        edit = edit_of(form, formsets)
        actions.save_annual_plan(request.user, edit, form.quarter_amounts())


@admin.register(Milestone)
class MilestoneAdmin(RegionScopedAdmin, VersionedAdmin):
    list_display = ["project", "name", "baseline_date", "planned_date", "actual_date"]
    list_filter = related_only("project__zone")
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name", "name"]
    autocomplete_fields = ["project"]
    show_full_result_count = False


class MilestoneTemplateItemInline(admin.TabularInline):
    model = MilestoneTemplateItem
    extra = 1


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(ActionAdmin, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MilestoneTemplateItemInline]
