"""manage.py restore FILE"""

from django.core.management.base import BaseCommand, CommandError

from projects.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes, **options):
        if not yes and input("这将用备份覆盖当前数据库的全部数据。继续吗?输入 yes 确认:") != "yes":
            raise CommandError("已取消。")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已从 {file} 恢复。")
