"""manage.py export_projects --output FILE"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from projects.exchange.template import export_projects


class Command(BaseCommand):
    help = "Write the register in the projects import template (one row per project and year)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)

    def handle(self, *args, output, **options):
        with open(output, "wb") as handle:
            handle.write(export_projects())
        self.stdout.write(_("Written: %(file)s") % {"file": output})
