"""Write the standard progress workbook (重点项目进展情况表) for a period."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.exchange.workbook import progress_workbook
from projects.exchange.xlsx import UNITS
from projects.progress.period import Period


class Command(BaseCommand):
    help = "Write the 重点项目进展情况表 workbook for --year/--month to --output."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--unit", choices=list(UNITS), default="万元")

    def handle(self, *args, year, month, output, unit, **options):
        try:
            period = Period(year, month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        with open(output, "wb") as handle:
            handle.write(progress_workbook(period, unit=unit))
        self.stdout.write(
            _("Written: %(file)s (%(period)s, in %(unit)s)")
            % {"file": output, "period": period.label, "unit": unit}
        )
