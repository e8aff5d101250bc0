"""manage.py bench_api: the API's progress pages (500 rows) against the admin changelist in
one run, and a full nightly pull of the register and the month's progress (docs/performance.md).
Run after seed_scale, with JIEFANG_API_RATE high enough for the pull."""

import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ApiToken, MonthlyReport, Project

from .bench_files import measure_together


class Command(BaseCommand):
    help = "Time the API's pages of 500 rows against the admin changelist, and a full pull."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=9)
        parser.add_argument("--page-size", type=int, default=500)

    def handle(self, *args, repeat, page_size, **options):
        count = Project.objects.count()
        if not count:
            raise CommandError("没有项目数据:请先运行 seed_scale。")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        user, _created = User.objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        token, key = ApiToken.objects.create_token(user, "bench")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        admin, api = Client(), Client()
        admin.force_login(user)
        period = MonthlyReport.objects.latest_period()
        query = {"year": period.year, "month": period.month, "page_size": page_size}
        progress = reverse("api:progress_list")
        api.get(progress, query, **auth)  # builds the month in the progress table once
        second = api.get(progress, query, **auth).json()["next"]

        def get(client, url, params=None, **extra):
            def call():
                assert client.get(url, params, **extra).status_code == 200, url

            return call

        functions = {
            "admin changelist (baseline)": get(admin, reverse("admin:projects_project_changelist")),
            "progress/, first page": get(api, progress, query, **auth),
            "progress/, second page": get(api, second, **auth),
            "projects/, first page": get(
                api, reverse("api:project_list"), {"page_size": page_size}, **auth
            ),
        }
        self.stdout.write(f"数据库 {connection.vendor},项目 {count},统计期 {period.label}")
        medians = measure_together(functions, repeat)
        baseline = medians["admin changelist (baseline)"]
        for name, seconds in medians.items():
            with CaptureQueriesContext(connection) as queries:
                functions[name]()
            self.stdout.write(
                f"{name:<32}{seconds * 1000:>10.1f} ms{len(queries):>4} queries"
                f"{seconds / baseline:>7.2f}"
            )
        for name, params in [
            ("api:project_list", {"page_size": page_size}),
            ("api:progress_list", query),
        ]:
            url, pages, rows, start = reverse(name), 0, 0, time.perf_counter()
            while url:
                data = api.get(url, params, **auth).json()
                pages, rows = pages + 1, rows + len(data["results"])
                url, params = data["next"], None
            self.stdout.write(
                f"full pull of {name}: {rows} rows, {pages} pages, "
                f"{time.perf_counter() - start:.1f} s"
            )
        token.delete()
