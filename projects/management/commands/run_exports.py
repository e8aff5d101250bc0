"""manage.py run_exports [--every SECONDS]: build the waiting background exports."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.exports import jobs


class Command(BaseCommand):
    help = (
        "Build every waiting background export, and delete workbooks older than 24 hours. "
        "Safe to run several at once: each job is taken by one worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="keep running, looking for new jobs every SECONDS (as a service, or in `make run`)",
        )

    def handle(self, *args, every=None, **options):
        if every is None:
            return self.run_once()
        if every < 1:
            raise CommandError(_("Look for jobs at most once a second (--every 1 or more)."))
        while True:
            self.run_once(quiet=True)
            time.sleep(every)

    def run_once(self, quiet=False):
        cleared = jobs.clear_expired()
        built = jobs.run_pending()
        if built or cleared or not quiet:
            self.stdout.write(
                _("%(built)s export(s) built, %(cleared)s expired one(s) deleted")
                % {"built": built, "cleared": cleared}
            )
