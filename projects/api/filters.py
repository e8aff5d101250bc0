"""The API's filters: a project's codes, its region (with every region beneath it), zone,
level, light and what changed since a time (from the change log, django-simple-history).
A bad value answers 400 naming the parameter."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from projects.models import (
    AnnualPlan,
    Light,
    Meeting,
    Milestone,
    MonthlyReport,
    Problem,
    ProblemUpdate,
    Project,
    Region,
    ReportPhoto,
)
from projects.models.levels import of_level
from projects.progress.lights import LIGHT_NAMES


def changed_since(model, lookup, since):
    """A condition: some change-log record of `model` whose `lookup` is the outer row was
    written at `since` or later (a deletion too: the log keeps it)."""
    return Exists(model.history.filter(**{lookup: OuterRef("pk"), "history_date__gte": since}))


def region_condition(region, prefix):
    return Q(**{f"{prefix}region__path__startswith": region.path})


class RegionField(forms.CharField):
    """A region's code, one the account can see (an unknown code and a sibling's alike are
    “no such region”)."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        region = Region.objects.restrict(self.user).filter(code=value).first()
        if region is None:
            raise forms.ValidationError(
                _("There is no region with the code %(code)s."), params={"code": value}
            )
        return region


class RegionFilter(django_filters.CharFilter):
    field_class = RegionField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(region_condition(value, self.extra_prefix))


class ProjectFilterSet(django_filters.FilterSet):
    """Filters of a list of projects (the register and the month's progress); `prefix` is
    the way from the listed rows to their project."""

    prefix = ""

    national_code = django_filters.CharFilter(
        method="by_project_field", help_text=_("National project code (24 characters).")
    )
    code = django_filters.CharFilter(method="by_project_field", help_text=_("Project code."))
    region = RegionFilter(
        help_text=_("Administrative code of a region: its projects and those beneath it.")
    )
    zone = django_filters.CharFilter(method="by_project_field", help_text=_("Name of a zone."))
    level = django_filters.ChoiceFilter(
        choices=Project.Level.choices,
        method="by_level",
        help_text=_("Level: district, city or province."),
    )
    updated_since = django_filters.IsoDateTimeFilter(
        method="by_change",
        help_text=_(
            "Only what changed at this time or later (ISO 8601, e.g. 2026-12-01T00:00:00+08:00)."
        ),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["region"].extra_prefix = self.prefix
        self.form.fields["region"].user = getattr(request, "user", None)

    def by_project_field(self, queryset, name, value):
        field = {"zone": "zone__name"}.get(name, name)
        return queryset.filter(**{f"{self.prefix}{field}": value})

    def by_level(self, queryset, name, value):
        return queryset.filter(of_level(value, self.prefix))

    def by_change(self, queryset, name, since):
        return queryset.filter(
            changed_since(Project, "id", since) | changed_since(Milestone, "project_id", since)
        )

    class Meta:
        model = Project
        fields = []


class ProgressFilterSet(ProjectFilterSet):
    """The month's progress: also by light; `updated_since` counts every write that moves a
    figure (reports, plans, milestones, problems, photos, the project itself)."""

    light = django_filters.ChoiceFilter(
        choices=Light.choices,
        method="by_light",
        help_text=_("Pace light: green, yellow, red, none."),
    )

    def by_light(self, queryset, name, value):
        rank = {name: rank for rank, name in LIGHT_NAMES.items()}[value]
        return queryset.filter(light_rank=rank)

    def by_change(self, queryset, name, since):
        return queryset.filter(
            changed_since(Project, "id", since)
            | changed_since(Milestone, "project_id", since)
            | changed_since(MonthlyReport, "project_id", since)
            | changed_since(AnnualPlan, "project_id", since)
            | changed_since(Problem, "project_id", since)
            | Exists(
                ReportPhoto.objects.filter(report__project=OuterRef("pk"), uploaded_at__gte=since)
            )
        )


class ProblemFilterSet(ProjectFilterSet):
    prefix = "project__"

    status = django_filters.ChoiceFilter(
        choices=Problem.Status.choices, help_text=_("open or closed.")
    )

    def by_change(self, queryset, name, since):
        return queryset.filter(
            changed_since(Problem, "id", since)
            | Exists(ProblemUpdate.objects.filter(problem=OuterRef("pk"), created_at__gte=since))
        )

    class Meta:
        model = Problem
        fields = []


class MeetingFilterSet(django_filters.FilterSet):
    region = RegionFilter(
        help_text=_("Administrative code of a region: its meetings and those beneath it.")
    )
    year = django_filters.NumberFilter(help_text=_("Year reviewed."))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["region"].extra_prefix = ""
        self.form.fields["region"].user = getattr(request, "user", None)

    class Meta:
        model = Meeting
        fields = []
