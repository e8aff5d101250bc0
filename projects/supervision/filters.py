"""Filters of the problem register."""

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Escalation, Meeting, Official, Problem, Unit, Zone
from projects.scope import restrict_choices


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
    # A ChoiceFilter, so the select starts at "---------": a TypedChoiceFilter has no empty
    # choice, showed 提醒 while not filtering, and sent it with the next 筛选.
    escalation = django_filters.ChoiceFilter(
        label=_("escalation"),
        choices=[(str(value), label) for value, label in Escalation.choices[1:]],
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

    # Each filter of a related row, and where a problem holds it.
    OPTIONS = {
        "responsible_unit": "responsible_unit",
        "lead_official": "project__lead_official",
        "zone": "project__zone",
        "meeting": "meeting",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.limit_options(user)

    def limit_options(self, user):
        """Offer the units, officials, zones and meetings of `user`'s regions, and of those
        only the ones of the problems `user` may see: the names of others are not a unit
        contact's to read (the rows and the export are scoped by the view)."""
        restrict_choices(self.filters, user)
        if user.has_perm("projects.view_project"):  # reads the whole register of its region
            return
        visible = Problem.objects.restrict(user)
        for name, lookup in self.OPTIONS.items():
            choice = self.filters[name]
            choice.queryset = choice.queryset.filter(pk__in=visible.values(lookup))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
        )

    def filter_escalation(self, queryset, name, value):
        """At this level exactly (the register is judged today)."""
        return queryset.filter(escalation=int(value))

    def filter_state(self, queryset, name, value):
        if value == self.State.OVERDUE:
            return queryset.filter(is_overdue=True)
        return queryset.filter(status=value)
