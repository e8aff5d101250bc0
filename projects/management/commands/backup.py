"""manage.py backup --output FILE"""

from django.core.management.base import BaseCommand, CommandError

from projects.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump on PostgreSQL, the online backup API on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)

    def handle(self, *args, output, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"备份完成:{path}({path.stat().st_size} 字节)")
