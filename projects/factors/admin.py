"""A project's 列统 figures, factor needs and funding sources, edited by the office on the
project's admin page (projects/register/admin.py lists these inlines)."""

from django.contrib import admin

from projects.models import FactorNeed, FundingSource, StatsFigure
from projects.scope import restrict_choices


class ScopedInline(admin.TabularInline):
    """An inline whose choices of units are the account's region's."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            restrict_choices({db_field.name: field}, request.user)
        return field


class StatsFigureInline(ScopedInline):
    model = StatsFigure
    fields = ["year", "month", "amount"]


class FactorNeedInline(ScopedInline):
    model = FactorNeed
    fields = [
        "kind",
        "description",
        "amount",
        "unit",
        "responsible_unit",
        "deadline",
        "state",
        "met_on",
    ]


class FundingSourceInline(ScopedInline):
    model = FundingSource
    fields = ["kind", "planned", "received", "note"]


LIFE_INLINES = [StatsFigureInline, FactorNeedInline, FundingSourceInline]
