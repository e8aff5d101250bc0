"""manage.py backup --output FILE"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the site photos into one file (pg_dump on PostgreSQL, the online backup API on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)

    def handle(self, *args, output, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Backed up to %(file)s (%(size)s bytes)")
            % {"file": path, "size": path.stat().st_size}
        )
