"""manage.py restore FILE"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes, **options):
        if (
            not yes
            and input(
                _("This replaces all data in the database with the backup. Type yes to go on: ")
            )
            != "yes"
        ):
            raise CommandError(_("Cancelled."))
        try:
            migrated = restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Restored from %(file)s.") % {"file": file})
        if migrated:
            self.stdout.write(
                _(
                    "The backup came from an older version; its database was migrated to this one (%(names)s)."
                )
                % {"names": ", ".join(migrated)}
            )
