"""The SQL building blocks of the engine: rounded money and percentages, day counts, the
linear share of a plan, sums and counts of related rows per project."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth

from .period import quantize


class RoundedDecimalField(DecimalField):
    """Output field of computed money and percentages: the one place they are rounded.

    SQLite returns computed decimals as floats; every backend's value is
    quantized to 2 decimals here before any page or export sees it.
    """

    def from_db_value(self, value, expression, connection):
        return quantize(value)


MONEY = RoundedDecimalField(max_digits=14, decimal_places=2)
PERCENT = RoundedDecimalField(max_digits=9, decimal_places=2)
FRACTION = DecimalField(max_digits=20, decimal_places=12)


class RoundedPercent(Func):
    """ROUND(numerator * 100 / denominator, 2); NULL when the denominator is 0 or NULL.

    The numerator is cast so that SQLite, which stores whole decimals as integers,
    does not fall back to integer division.
    """

    arity = 2
    output_field = PERCENT

    def as_sql(self, compiler, connection, **extra_context):
        (num, num_params), (den, den_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        cast = "REAL" if connection.vendor == "sqlite" else "NUMERIC"
        return (
            f"ROUND(CAST({num} AS {cast}) * 100 / NULLIF({den}, 0), 2)",
            (*num_params, *den_params),
        )


class DaysSince(Func):
    """Whole days from a date expression to a fixed date (as_of - expression)."""

    arity = 1
    output_field = IntegerField()

    def __init__(self, expression, until, **extra):
        self.until = until
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "sqlite":
            return (
                f"CAST(julianday(%s) - julianday({sql}) AS INTEGER)",
                (self.until.isoformat(), *params),
            )
        return f"(%s::date - {sql})", (self.until, *params)


class LinearShare(Func):
    """The share of a linear plan due by month `month`, for a plan that starts at month
    `start` (1–12; 13 when it starts after the year): 0 before the start, then
    (month − start + 1) / (13 − start). As a percentage (rounded to 2 decimals) or a fraction."""

    arity = 1

    def __init__(self, start, month, percent=True, **extra):
        self.month, self.percent = month, percent
        super().__init__(start, output_field=PERCENT if percent else FRACTION, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        start, params = compiler.compile(self.get_source_expressions()[0])
        cast = "REAL" if connection.vendor == "sqlite" else "NUMERIC"
        share = f"CAST(({self.month} - {start} + 1) AS {cast}) / (13 - {start})"
        value = f"ROUND({share} * 100, 2)" if self.percent else share
        return f"(CASE WHEN {start} > {self.month} THEN 0 ELSE {value} END)", (*params,) * 3


def start_month(period, prefix=""):
    """The month a project's plan starts in the period's year: its planned start, or January
    when it started earlier or has no date; 13 when it starts after the year. `prefix` leads
    to the project from another model ("project__")."""
    first, last = datetime.date(period.year, 1, 1), datetime.date(period.year, 12, 31)
    field = f"{prefix}planned_start"
    return Case(
        When(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": first}), then=Value(1)),
        When(**{f"{field}__gt": last}, then=Value(13)),
        default=ExtractMonth(field),
        output_field=IntegerField(),
    )


def money_sum(queryset):
    """The sum of `amount` of the project's rows of `queryset`, 0 when there are none."""
    subquery = (
        queryset.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(subquery, output_field=MONEY), Value(Decimal("0"), MONEY))


def plan_sum(queryset):
    """The sum of monthly plan amounts of `queryset` (already correlated to the project);
    NULL when there are none, that is when the plan is not split by month."""
    subquery = (
        queryset.order_by().values("annual_plan").annotate(total=Sum("amount")).values("total")
    )
    return Subquery(subquery, output_field=MONEY)


def count_of(queryset):
    subquery = (
        queryset.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))
