"""Filters of the factor needs (要素保障) list: kind, quarter of the deadline, state."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import FactorNeed, Unit, Zone
from projects.scope import restrict_choices
from projects.web.forms import QuickSelect


def quarter_bounds(value):
    """(first day, last day) of a quarter written 2013-Q2."""
    year, quarter = int(value[:4]), int(value[-1])
    first = datetime.date(year, 3 * quarter - 2, 1)
    following = datetime.date(year + (quarter == 4), 3 * quarter % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def quarter_choices(years):
    """The quarters of `years`, the latest first."""
    return [
        (f"{y}-Q{q}", _("%(year)s Q%(quarter)s") % {"year": y, "quarter": q})
        for y in sorted(years, reverse=True)
        for q in (1, 2, 3, 4)
    ]


class FactorNeedFilterSet(django_filters.FilterSet):
    STATES = [("open", _("Open")), ("met", _("Met")), ("overdue", _("Overdue"))]

    q = django_filters.CharFilter(label=_("search"), method="search")
    kind = django_filters.ChoiceFilter(choices=FactorNeed.Kind.choices, widget=QuickSelect)
    quarter = django_filters.ChoiceFilter(
        label=_("quarter of the deadline"), method="filter_quarter", widget=QuickSelect
    )
    state = django_filters.ChoiceFilter(
        label=_("state"), choices=STATES, method="filter_state", widget=QuickSelect
    )
    zone = django_filters.ModelChoiceFilter(
        label=_("zone"), field_name="project__zone", queryset=Zone.objects.all(), widget=QuickSelect
    )
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), widget=QuickSelect
    )

    class Meta:
        model = FactorNeed
        fields = ["q", "kind", "quarter", "state", "zone", "responsible_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # The quarters of this year and of the years the needs' deadlines fall in.
        years = {timezone.localdate().year}
        if user is not None:
            restrict_choices(self.filters, user)
            deadlines = FactorNeed.objects.restrict(user).dates("deadline", "year")
            years |= {day.year for day in deadlines}
        self.filters["quarter"].extra["choices"] = quarter_choices(years)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_quarter(self, queryset, name, value):
        first, last = quarter_bounds(value)
        return queryset.filter(deadline__gte=first, deadline__lte=last)

    def filter_state(self, queryset, name, value):
        """Overdue is judged today (the view annotates is_overdue)."""
        if value == "overdue":
            return queryset.filter(is_overdue=True)
        return queryset.filter(state=value)
