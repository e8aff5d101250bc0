"""Filters of the project list."""

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Light, Meeting, Official, Problem, Project, Unit, Zone


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="search")
    zone = django_filters.ModelChoiceFilter(queryset=Zone.objects.all())
    lead_official = django_filters.ModelChoiceFilter(queryset=Official.objects.all())
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.exclude(kind=Unit.Kind.STREET)
    )
    status = django_filters.MultipleChoiceFilter(choices=Project.Status.choices)
    category = django_filters.ChoiceFilter(choices=Project.Category.choices)
    light = django_filters.MultipleChoiceFilter(
        label=_("pace light"), choices=Light.choices, method="filter_light"
    )

    class Meta:
        model = Project
        fields = ["q", "zone", "lead_official", "responsible_unit", "status", "category", "light"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(owner__icontains=value)
        )

    def filter_light(self, queryset, name, value):
        """Needs the queryset annotated by with_progress."""
        return queryset.filter(light_rank__in=[Light(light).rank for light in value])


class ProblemFilterSet(django_filters.FilterSet):
    """Filters of the problem register; `state` overdue is judged today."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        OVERDUE = "overdue", _("Overdue")

    q = django_filters.CharFilter(label=_("search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("status"), choices=State.choices, method="filter_state"
    )
    responsible_unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all())
    lead_official = django_filters.ModelChoiceFilter(
        label=_("lead official"),
        field_name="project__lead_official",
        queryset=Official.objects.all(),
    )
    zone = django_filters.ModelChoiceFilter(
        label=_("zone"), field_name="project__zone", queryset=Zone.objects.all()
    )
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all())
    disposition = django_filters.ChoiceFilter(choices=Problem.Disposition.choices)

    class Meta:
        model = Problem
        fields = [
            "q",
            "state",
            "responsible_unit",
            "lead_official",
            "zone",
            "meeting",
            "disposition",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        if value == self.State.OVERDUE:
            return queryset.filter(is_overdue=True)
        return queryset.filter(status=value)
