"""Filters of the problem register."""

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Escalation, Meeting, Official, Problem, Unit, Zone


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
    escalation = django_filters.TypedChoiceFilter(
        label=_("escalation"),
        choices=Escalation.choices[1:],
        coerce=int,
        method="filter_escalation",
    )

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
            "escalation",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
        )

    def filter_escalation(self, queryset, name, value):
        """At this level exactly (the register is judged today)."""
        return queryset.filter(escalation=value)

    def filter_state(self, queryset, name, value):
        if value == self.State.OVERDUE:
            return queryset.filter(is_overdue=True)
        return queryset.filter(status=value)
