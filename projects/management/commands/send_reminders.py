"""manage.py send_reminders [--date YYYY-MM-DD]: one pass of the reminder schedule."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.exports.jobs import clear_expired
from projects.factors.needs import raise_overdue_needs
from projects.models import rebuild_if_stale
from projects.reminders.schedule import run


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Give the date as YYYY-MM-DD, like 2025-10-09.")) from None


class Command(BaseCommand):
    help = (
        "Raise unmet factor needs past their deadline as problems; send the day's reminders "
        "(one digest a person, never the same reminder twice) and retry every copy that failed "
        "before; delete the exports kept past their day; on a new day, enqueue the progress "
        "table's rebuild. Safe to run as often as wanted, and "
        "twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=parse_date, help="the day to run for instead of today (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="keep running, a pass every SECONDS (beside runserver in `make run`)",
        )

    def handle(self, *args, date=None, every=None, **options):
        if every is None:
            return self.run_once(date)
        if every < 60:
            raise CommandError(_("Run at most once a minute (--every 60 or more)."))
        while True:
            self.run_once(date)
            time.sleep(every)

    def run_once(self, date):
        today = date or timezone.localdate()
        # Needs past their deadline become problems first: today's digests hear of them.
        raised, _closed = raise_overdue_needs(today)
        if raised:
            self.stdout.write(
                _("%(count)s unmet factor need(s) past the deadline raised as problems")
                % {"count": raised}
            )
        created, sent, failed = run(today)
        clear_expired()  # the periodic pass is also the exports' housekeeping
        rebuild_if_stale()  # and, on a new day, has a worker rebuild the progress table
        self.stdout.write(
            _("%(date)s: %(created)s notifications, %(sent)s copies sent, %(failed)s failed")
            % {"date": today.isoformat(), "created": created, "sent": sent, "failed": failed}
        )
        if failed:
            self.stderr.write(_("Failed copies are kept and tried again on the next run."))
