"""Filters of the project list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Light, Official, Project, Unit, Zone


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
