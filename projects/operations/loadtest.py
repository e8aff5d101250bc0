"""A bounded load test against a running server on loopback.

20 simulated lead officials create and edit monthly reports while 5 observers load lists
and the Excel export, for a fixed time. Afterwards every accepted write is checked against
the database (through the change log), and latency percentiles are printed.

Only loopback addresses are allowed as targets.
"""

import http.cookiejar
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from projects.models import MonthlyReport, Official, Project, Zone, refresh_progress
from projects.operations.demo import holds_a_real_register

PASSWORD = "loadtest-password-2013"
LOOPBACK = re.compile(r"^https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$")


class Session:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, data=None):
        url = self.base + path
        body = None
        headers = {"Referer": url}
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(urllib.request.Request(url, body, headers), timeout=60) as r:
                status, text = r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        return status, text, time.perf_counter() - started

    def login(self, username):
        self.request("/accounts/login/")
        status, text, _ = self.request(
            "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        if "退出" not in text:
            raise RuntimeError(f"{username} could not log in ({status})")


class Command(BaseCommand):
    help = "Load-test a running server: officials write reports while observers read."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--officials", type=int, default=20)
        parser.add_argument("--observers", type=int, default=5)

    def handle(self, *args, base_url, seconds, officials, observers, **options):
        base_url = base_url.rstrip("/")
        if not LOOPBACK.match(base_url):
            raise CommandError("只允许对本机回环地址做压力测试。")
        if not 1 <= seconds <= 600:
            raise CommandError("--seconds 必须在 1 到 600 之间。")
        # It writes reports and accounts with a known password: a throwaway database only.
        if not settings.DEBUG or holds_a_real_register(also=["LT-"]):
            raise CommandError(
                "压力测试只在演示或空白的临时数据库上运行(DEBUG 开启,项目库中没有真实项目)。"
            )
        try:
            self.run(base_url, seconds, officials, observers)
        finally:
            self.clean_up()

    def run(self, base_url, seconds, officials, observers):
        self.base_url = base_url
        projects = self.prepare(officials, observers)
        self.latencies = defaultdict(list)
        self.errors = []
        self.accepted = {}  # (project pk, year, month) -> [accepted amounts in order]
        self.refused = 0
        self.lock = threading.Lock()
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=self.official, args=(i, projects[i], deadline))
            for i in range(officials)
        ] + [threading.Thread(target=self.observer, args=(i, deadline)) for i in range(observers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.report(seconds)

    @staticmethod
    def clean_up():
        """Remove what the load test made: its lt-* accounts, LT- projects and their officials."""
        projects = Project.objects.filter(code__startswith="LT-")
        officials = Official.objects.filter(projects__in=projects).distinct()
        official_pks = list(officials.values_list("pk", flat=True))
        for project in projects:
            project.delete()
        Official.objects.filter(pk__in=official_pks).delete()
        User.objects.filter(username__startswith="lt-").delete()

    def prepare(self, officials, observers):
        """Accounts lt-official-NN (each leading one project) and lt-observer-N."""
        zone = Zone.objects.order_by("order").first() or Zone.objects.create(name="特色商业区")
        lead_group = Group.objects.get(name="lead_official")
        projects = []
        for i in range(officials):
            user = self.account(f"lt-official-{i:02d}", lead_group)
            official, _ = Official.objects.get_or_create(
                name=f"压测领导{i:02d}", defaults={"user": user}
            )
            project, _ = Project.objects.get_or_create(
                code=f"LT-{i:02d}",
                defaults={
                    "name": f"压测项目{i:02d}",
                    "zone": zone,
                    "lead_official": official,
                    "total_investment": Decimal("1000000"),
                },
            )
            MonthlyReport.objects.filter(project=project).delete()
            refresh_progress([project.pk])
            projects.append(project)
        observer_group = Group.objects.get(name="observer")
        for i in range(observers):
            self.account(f"lt-observer-{i}", observer_group)
        return projects

    @staticmethod
    def account(username, group):
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(group)
        return user

    def record(self, kind, status, seconds, text=""):
        with self.lock:
            self.latencies[kind].append(seconds)
            if status >= 500:
                self.errors.append((kind, status, text[:200]))

    def official(self, index, project, deadline):
        session = Session(self.base_url)
        session.login(f"lt-official-{index:02d}")
        months = [(year, month) for year in range(2000, 2026) for month in range(1, 13)]
        amount = 0
        while time.monotonic() < deadline and months:
            year, month = months.pop(0)
            amount += 1
            status, text, seconds = session.request(
                f"/projects/{project.pk}/reports/new/",
                {
                    "year": year,
                    "month": month,
                    "amount": f"{amount}.00",
                    "physical_progress": f"压测 {amount}",
                    "problems": "",
                },
            )
            self.record("create report", status, seconds, text)
            if "已保存" not in text:
                continue
            self.accept(project.pk, year, month, amount)
            match = re.search(r'/reports/(\d+)/edit/"', self.find_row(text, project.code))
            if not match or time.monotonic() >= deadline:
                continue
            edit = f"/reports/{match.group(1)}/edit/"
            status, form, seconds = session.request(edit)
            self.record("open form", status, seconds, form)
            version = re.search(r'name="loaded_version" value="(\d+)"', form).group(1)
            # Two submissions from the same loaded form: the first must be saved, the
            # second (a stale copy, as from a colleague's screen) refused and explained.
            for attempt in ("fresh", "stale"):
                amount += 1
                status, text, seconds = session.request(
                    edit,
                    {
                        "amount": f"{amount}.00",
                        "physical_progress": f"修改 {amount}",
                        "problems": "",
                        "loaded_version": version,
                    },
                )
                self.record("edit report", status, seconds, text)
                saved, refused = "已保存" in text, "未保存" in text
                if saved:
                    self.accept(project.pk, year, month, amount)
                if attempt == "stale" and saved:
                    with self.lock:
                        self.errors.append(("stale edit accepted", status, edit))
                elif attempt == "stale" and refused:
                    with self.lock:
                        self.refused += 1

    @staticmethod
    def find_row(html, code):
        start = html.find(f"<td>{code}</td>")
        return html[start : html.find("</tr>", start)] if start >= 0 else ""

    def accept(self, project, year, month, amount):
        with self.lock:
            self.accepted.setdefault((project, year, month), []).append(Decimal(amount))

    def observer(self, index, deadline):
        session = Session(self.base_url)
        session.login(f"lt-observer-{index}")
        pages = [
            ("project list", "/projects/?year=2013&month=5"),
            ("project list sorted", "/projects/?year=2013&month=5&sort=-gap"),
            ("zone summary", "/zones/?year=2013&month=5"),
            ("progress workbook", "/exports/progress.xlsx?year=2013&month=5"),
        ]
        turn = index
        while time.monotonic() < deadline:
            kind, path = pages[turn % len(pages)]
            turn += 1
            status, text, seconds = session.request(path)
            self.record(kind, status, seconds, text if status >= 500 else "")

    def report(self, seconds):
        lost = []
        for (project, year, month), amounts in self.accepted.items():
            stored = MonthlyReport.objects.filter(project=project, year=year, month=month).first()
            history = set(
                MonthlyReport.history.filter(
                    project_id=project, year=year, month=month
                ).values_list("amount", flat=True)
            )
            if stored is None or stored.amount != amounts[-1] or not set(amounts) <= history:
                lost.append((project, year, month))
        writes = sum(len(a) for a in self.accepted.values())
        self.stdout.write(
            f"时长 {seconds}s;服务器错误 {len(self.errors)};接受的写入 {writes};"
            f"被拒绝并已告知 {self.refused};丢失的写入 {len(lost)}"
        )
        self.stdout.write(
            f"{'request':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        )
        for kind, values in sorted(self.latencies.items()):
            values = sorted(values)
            q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            self.stdout.write(
                f"{kind:<22}{len(values):>7}{q[49] * 1000:>9.0f}{q[94] * 1000:>9.0f}"
                f"{q[98] * 1000:>9.0f}{values[-1] * 1000:>9.0f}"
            )
        for error in self.errors[:5]:
            self.stderr.write(f"server error: {error}")
        if self.errors or lost:
            raise CommandError(f"失败:服务器错误 {len(self.errors)},丢失写入 {len(lost)}。")
