"""Columns every table shares: money, percent, light and date, each with a plain export value."""

import django_tables2 as tables
from django.contrib import messages
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from projects.templatetags.jiefang import money, pct


class NullsLastColumn(tables.Column):
    """Sorts empty values (no plan, no milestone) last in both directions, on every database."""

    def order(self, queryset, is_descending):
        if not self.order_by:
            return queryset, False
        fields = [F(name.lstrip("-")) for name in self.order_by]
        return queryset.order_by(
            *(f.desc(nulls_last=True) if is_descending else f.asc(nulls_last=True) for f in fields)
        ), True


class MoneyColumn(NullsLastColumn):
    """万元 with thousands separators and 2 decimals; the export keeps the number."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", self.attrs)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money(value)

    def value(self, value):
        return value


class PercentColumn(MoneyColumn):
    def render(self, value):
        return pct(value)


class LightColumn(tables.Column):
    """The pace light: sorts by severity; exports its text (rows draw the badge)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("pace light"))
        kwargs.setdefault("accessor", "light_rank")
        kwargs.setdefault("order_by", ("light_rank",))
        super().__init__(**kwargs)

    def value(self, record):
        return str(record.light.label)


class DateColumn(tables.DateColumn):
    """Y-m-d on the page; a real date in the .xlsx, so that Excel can sort and filter by it."""

    def __init__(self, **kwargs):
        super().__init__(format="Y-m-d", **kwargs)

    def value(self, value):
        return value


MAX_PER_PAGE = 500


class PeriodTable(tables.Table):
    """A table whose links and figures belong to one reporting period."""

    def __init__(self, *args, period=None, **kwargs):
        self.period = period
        super().__init__(*args, **kwargs)
        # Column headers say so (scope="col"), for screen readers that read a cell with them.
        for bound in self.columns:
            attrs = bound.column.attrs
            bound.column.attrs = {**attrs, "th": {**attrs.get("th", {}), "scope": "col"}}

    def paginate(self, *args, per_page=None, **kwargs):
        """Pages of the Meta's size when ?per_page= is out of 1–500, saying so."""
        default = getattr(self._meta, "per_page", 25)
        if per_page is not None and not 1 <= per_page <= MAX_PER_PAGE:
            messages.error(
                self.request,
                _("Rows per page must be from 1 to %(max)d; showing %(default)d.")
                % {"max": MAX_PER_PAGE, "default": default},
            )
            per_page = default
        return super().paginate(*args, per_page=per_page or default, **kwargs)
