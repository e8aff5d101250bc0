"""manage.py import_projects FILE [--dry-run]"""

from projects.management.importing import ImportCommand


class Command(ImportCommand):
    kind = "projects"
