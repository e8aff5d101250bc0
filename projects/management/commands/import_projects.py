"""manage.py import_projects FILE [--dry-run]"""

from projects.exchange.commands import ImportCommand


class Command(ImportCommand):
    kind = "projects"
