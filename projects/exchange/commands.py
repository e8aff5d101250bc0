"""The shared body of the import commands."""

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from .actions import import_workbook
from .reading import silent


class ImportCommand(BaseCommand):
    kind = None
    help = "Import a workbook made from the template; --dry-run checks it and writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", help="the account the change log attributes the import to")

    def handle(self, *args, file, dry_run, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(
                    _("There is no account with the username “%(user)s”.") % {"user": user}
                )
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": error}) from None
        progress = self.report_progress if sys.stdout.isatty() else silent
        try:
            result = import_workbook(account, self.kind, data, dry_run=dry_run, progress=progress)
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        for note in result.notes:
            self.stdout.write(_("Note: %(note)s") % {"note": note})
        self.stdout.write(
            _("%(rows)s rows: %(create)s to create, %(update)s to update, %(unchanged)s unchanged.")
            % {
                "rows": result.rows,
                "create": len(result.create),
                "update": len(result.update),
                "unchanged": len(result.unchanged),
            }
        )
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)s errors found; nothing was written.") % {"count": len(result.errors)}
            )
        self.stdout.write(_("Dry run: nothing was written.") if dry_run else _("Imported."))

    def report_progress(self, text, fraction=None):
        self.stdout.write(text)
