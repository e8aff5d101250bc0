"""manage.py import_progress FILE [--dry-run]"""

from projects.exchange.commands import ImportCommand


class Command(ImportCommand):
    kind = "progress"
