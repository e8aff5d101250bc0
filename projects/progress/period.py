"""The reporting period (year, month) that every progress figure is judged at."""

import calendar
import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .workdays import nth_working_day

CENT = Decimal("0.01")


@overload
def quantize(value: None) -> None: ...
@overload
def quantize(value: Decimal | int | float | str) -> Decimal: ...
def quantize(value: Decimal | int | float | str | None) -> Decimal | None:
    """Round a money or percentage value to 2 decimals, the one rounding rule for display."""
    if value is None:
        return None
    # Called for every figure of every row: a Decimal is rounded as it is, not copied first.
    if type(value) is not Decimal:
        value = Decimal(value)
    return value.quantize(CENT, ROUND_HALF_UP)


def percent(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator in percent, 2 decimals; None without a denominator."""
    if not denominator:
        return None
    return quantize(Decimal(numerator or 0) * 100 / Decimal(denominator))


@dataclass(frozen=True)
class Period:
    """The end of month `month` of `year`; as-of is that day or today, whichever is earlier."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(_("The month must be between 1 and 12."))
        if not 2000 <= self.year <= 2100:
            raise ValueError(_("The year must be between 2000 and 2100."))

    @property
    def month_end(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def as_of(self) -> datetime.date:
        return min(self.month_end, timezone.localdate())

    @property
    def running(self) -> bool:
        """The month has not ended yet: its figures stand as of today."""
        return self.as_of < self.month_end

    @property
    def as_of_label(self) -> str:
        """What a figure of the month stands at, after “截至”: the month's end (“2026年11月底”),
        or today for the month in progress (“2026年12月4日”)."""
        if self.running:
            day = self.as_of
            return _("%(month)s/%(day)s/%(year)s") % {
                "year": day.year,
                "month": day.month,
                "day": day.day,
            }
        return _("the end of %(year)s-%(month)s") % {"year": self.year, "month": self.month}

    @property
    def time_schedule(self) -> Decimal:
        """序时进度: the share of the year elapsed at the end of the month, in percent."""
        return quantize(Decimal(self.month) * 100 / 12)

    @property
    def label(self) -> str:
        return _("%(year)s-%(month)s") % {"year": self.year, "month": self.month}

    @property
    def ytd_label(self) -> str:
        """'1-N月' as used in the standard table."""
        return _("Jan-%(month)s") % {"month": self.month}

    @property
    def due_date(self) -> datetime.date:
        """The day this month's reports are due: the JIEFANG_REPORT_DUE_WORKDAY-th working day
        of the next month (default the 3rd)."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return nth_working_day(year, month, settings.JIEFANG_REPORT_DUE_WORKDAY)

    @property
    def due_by(self) -> datetime.datetime:
        """The instant the month's reports must be in by: the start of the day after the due
        date, in the site's time zone (a report submitted before it is on time)."""
        return timezone.make_aware(
            datetime.datetime.combine(self.due_date + datetime.timedelta(days=1), datetime.time())
        )

    def days_late(self, day: datetime.date) -> int:
        """Calendar days `day` is past the due date (0 when on time)."""
        return max((day - self.due_date).days, 0)

    def due_passed(self, today: datetime.date | None = None) -> bool:
        """Whether the month's due date is behind `today` (default today): only then can a
        report of the month be late."""
        return (today or timezone.localdate()) > self.due_date

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def shifted(self, months: int) -> "Period":
        """The period `months` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def query_string(self) -> str:
        return f"year={self.year}&month={self.month}"

    @classmethod
    def current(cls) -> "Period":
        today = timezone.localdate()
        return cls(today.year, today.month)

    @classmethod
    def collecting(cls, today: datetime.date | None = None) -> "Period":
        """The month whose reports are being collected, the period every page opens on: last
        month. Its reports are due early this month (Period.due_date) and chased after that,
        and this month's meeting reviews it; the month in progress is reported by the next
        one."""
        today = today or timezone.localdate()
        return cls(today.year, today.month).shifted(-1)

    @classmethod
    def from_params(
        cls, params: Mapping[str, str], default: Callable[[], "Period"] | None = None
    ) -> "Period":
        """The period named by ?year=&month=, or `default()` (the month being collected);
        bad values raise ValueError."""
        default = default or cls.collecting
        year_text, month_text = params.get("year"), params.get("month")
        if not year_text and not month_text:
            return default()
        try:
            year = int(year_text) if year_text else default().year
            month = int(month_text) if month_text else 12
        except ValueError:
            raise ValueError(_("The year and month must be whole numbers.")) from None
        return cls(year, month)


def rate_and_gap(
    ytd: Decimal | int | None, annual_plan: Decimal | int | None, time_schedule: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """(completion rate %, gap in points) for a year-to-date amount, rounded as with_progress
    rounds them; (None, None) without a plan. The report form's projection uses it."""
    rate = percent(ytd, annual_plan)
    if rate is None:
        return None, None
    return rate, quantize(Decimal(time_schedule) - rate)
