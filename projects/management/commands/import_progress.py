"""manage.py import_progress FILE [--dry-run]"""

from projects.management.importing import ImportCommand


class Command(ImportCommand):
    kind = "progress"
