"""Filters of the project list."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Light, Milestone, Official, Project, Region, StatsStatus, Unit, Zone
from projects.models.stats import unlisted_condition
from projects.scope import restrict_choices
from projects.web.forms import QuickSelect, QuickSelectMultiple


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="search")
    region = django_filters.ModelChoiceFilter(
        label=_("region"),
        queryset=Region.objects.districts(),
        method="filter_region",
        widget=QuickSelect,
    )
    zone = django_filters.ModelChoiceFilter(queryset=Zone.objects.all(), widget=QuickSelect)
    lead_official = django_filters.ModelChoiceFilter(
        queryset=Official.objects.all(), widget=QuickSelect
    )
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.exclude(kind=Unit.Kind.STREET), widget=QuickSelect
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Project.Status.choices, widget=QuickSelectMultiple
    )
    category = django_filters.ChoiceFilter(choices=Project.Category.choices, widget=QuickSelect)
    light = django_filters.MultipleChoiceFilter(
        label=_("pace light"),
        choices=Light.choices,
        method="filter_light",
        widget=QuickSelectMultiple,
    )
    preparation = django_filters.ChoiceFilter(
        label=_("pre-construction approvals"),
        choices=[("pending", _("still pending")), ("overdue", _("overdue"))],
        method="filter_preparation",
        widget=QuickSelect,
    )
    stats = django_filters.ChoiceFilter(
        label=_("statistics (入库)"),
        choices=[("unlisted", _("started, not in the statistics (未入库)")), *StatsStatus.choices],
        method="filter_stats",
        widget=QuickSelect,
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "region",
            "zone",
            "lead_official",
            "responsible_unit",
            "status",
            "category",
            "light",
            "preparation",
            "stats",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            restrict_choices(self.filters, user)
            if self.filters["region"].queryset.count() < 2:
                del self.filters["region"]  # a district's own list: nothing to choose

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(owner__icontains=value)
        )

    def filter_light(self, queryset, name, value):
        """Needs the queryset annotated by with_progress."""
        return queryset.filter(light_rank__in=[Light(light).rank for light in value])

    def filter_preparation(self, queryset, name, value):
        """Projects stuck in 前期: an approval not obtained yet (overdue: past its date)."""
        pending = Milestone.objects.filter(
            project=OuterRef("pk"), kind=Milestone.Kind.PREPARATION, actual_date__isnull=True
        )
        if value == "overdue":
            pending = pending.filter(planned_date__lt=timezone.localdate())
        return queryset.filter(Exists(pending))

    def filter_stats(self, queryset, name, value):
        """未入库: 500万元 or more, started and not in the statistics; else by status."""
        if value == "unlisted":
            return queryset.filter(unlisted_condition())
        return queryset.filter(stats_status=value)
