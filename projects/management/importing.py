"""The shared body of the import commands."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from projects.imports import run_import


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
                raise CommandError(f"没有用户名为「{user}」的账号。")
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"无法读取文件:{error}") from None
        progress = self.stdout.write if sys.stdout.isatty() else None
        result = run_import(self.kind, data, user=account, dry_run=dry_run, progress=progress)
        for note in result.notes:
            self.stdout.write(f"说明:{note}")
        self.stdout.write(
            f"共 {result.rows} 行:新建 {len(result.create)},更新 {len(result.update)},"
            f"不变 {len(result.unchanged)}。"
        )
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"发现 {len(result.errors)} 处错误,未写入任何数据。")
        self.stdout.write("试运行:未写入任何数据。" if dry_run else "已导入。")
