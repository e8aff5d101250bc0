"""manage.py refresh_progress [--month YYYY-MM] [--rebuild] [--check]: the progress table."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import ProgressPeriod, Project, clear_progress, months_to_hold
from projects.progress import store
from projects.progress.period import Period


def parse_month(value):
    try:
        year, month = (int(part) for part in value.split("-"))
        return Period(year, month)
    except ValueError:
        raise CommandError(_("Give the month as YYYY-MM, like 2025-10.")) from None


class Command(BaseCommand):
    help = (
        "Bring the progress table up to today: rebuild every month held whose as-of day or "
        "light thresholds changed, build every month of this year, last month and the year of "
        "the latest month with reports, and drop other months no page has read for a week. "
        "Run nightly, after midnight."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month",
            type=parse_month,
            action="append",
            default=[],
            help="build this month too (YYYY-MM; may be repeated)",
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="forget every month held and build anew"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare every month held with the engine; exit 1 on any difference",
        )

    def handle(self, *args, month, rebuild, check, **options):
        if check:
            return self.compare_with_engine()
        started = time.perf_counter()
        if rebuild:
            clear_progress()
        # The dashboard's curves add up the totals of every month of the year (the plan's
        # curve runs to December): those are kept.
        wanted = months_to_hold(month)
        pruned = store.prune(Project, keep=wanted)
        months = {
            *wanted,
            *(Period(y, m) for y, m in ProgressPeriod.objects.values_list("year", "month")),
        }
        built = store.build(Project, sorted(months, key=lambda period: period.key))
        # Rows written around the signals (a bulk_create, a repair in SQL) are written too.
        store.complete(Project, Period.current())
        self.stdout.write(
            _(
                "%(date)s: %(built)s month(s) built (%(months)s), %(held)s held, %(pruned)s "
                "dropped, in %(seconds).1f s"
            )
            % {
                "date": timezone.localdate().isoformat(),
                "built": len(built),
                "months": ", ".join(str(period.label) for period in built) or "-",
                "held": ProgressPeriod.objects.count(),
                "pruned": pruned,
                "seconds": time.perf_counter() - started,
            }
        )

    def compare_with_engine(self):
        # Not named check(): BaseCommand.check() runs Django's system checks before handle(),
        # and overriding it made every run compare the table (and refuse to repair it).
        differences = 0
        for year, month in ProgressPeriod.objects.order_by("year", "month").values_list(
            "year", "month"
        ):
            period = Period(year, month)
            store.ensure(Project, period)
            found = store.disagreements(Project, period)
            differences += len(found)
            for where, figure, stored, engine in found[:20]:
                if isinstance(where, tuple):  # a total: (year, month, zone, lead official)
                    where = _("total of zone %(zone)s, lead official %(official)s") % {
                        "zone": where[2],
                        "official": where[3] or "-",
                    }
                else:
                    where = _("project %(pk)s") % {"pk": where}
                self.stderr.write(
                    _("%(month)s %(where)s %(figure)s: table %(stored)s, engine %(engine)s")
                    % {
                        "month": period.label,
                        "where": where,
                        "figure": figure,
                        "stored": stored,
                        "engine": engine,
                    }
                )
        if differences:
            raise CommandError(
                _("The progress table differs from the engine in %(count)s figure(s).")
                % {"count": differences}
            )
        self.stdout.write(_("The progress table agrees with the engine."))
