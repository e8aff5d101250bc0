"""Benchmark the main pages against the Django admin changelist, in one run.

Times are medians of repeated in-process requests; ratios compare pages measured
in the same run, so a noisy machine affects both sides alike.
"""

import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count, Max, Min, Value
from django.db.models.functions import Concat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.exports import jobs
from projects.meetings import issued
from projects.models import (
    ExportJob,
    Meeting,
    MonthlyReport,
    Official,
    Project,
    Region,
    clear_progress,
)
from projects.progress import store
from projects.progress.period import Period

from .bench_commands import CommandBench
from .bench_files import FileBench, measure_together, peak_memory

SEARCH = "&" + urlencode({"q": "项目123"})


def zoomed_in():
    """A `bbox` 0.004° (about 400 m) square around the first placed project, or none."""
    place = Project.objects.filter(latitude__isnull=False).order_by("pk").first()
    if place is None:
        return ""
    lat, lon = float(place.latitude), float(place.longitude)
    return f"&bbox={lon - 0.002:.6f},{lat - 0.002:.6f},{lon + 0.002:.6f},{lat + 0.002:.6f}"


def whole_area(region=None):
    """A `bbox` over every placed project (of `region` when given: the map panned at the zoom
    that shows them all, clusters over a grid on it), or none."""
    projects = Project.objects.in_region(region) if region else Project.objects.all()
    box = projects.aggregate(
        west=Min("longitude"), south=Min("latitude"), east=Max("longitude"), north=Max("latitude")
    )
    if box["west"] is None or box["west"] == box["east"] or box["south"] == box["north"]:
        return ""
    return "&bbox=" + ",".join(
        f"{float(box[side]):.6f}" for side in ("west", "south", "east", "north")
    )


class Command(CommandBench, FileBench, BaseCommand):
    help = (
        "Time the project list, official page, zone summary, 填报情况, the ranking and the "
        "export against baselines."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--skip-export", action="store_true")
        parser.add_argument("--skip-import", action="store_true")
        parser.add_argument("--skip-background", action="store_true")
        parser.add_argument("--skip-documents", action="store_true")
        parser.add_argument(
            "--only",
            default="",
            help="time only the pages whose name holds one of these comma-separated words "
            "(and the admin changelist, the baseline), e.g. --only ranking,map",
        )
        parser.add_argument(
            "--commands",
            action="store_true",
            help="time refresh_progress and send_reminders (they write: a copy of the "
            "database), then the 通知 page after them",
        )
        parser.add_argument(
            "--skip-build",
            action="store_true",
            help="time the pages on the progress table as held, without building it anew",
        )

    def handle(
        self,
        *args,
        repeat,
        skip_export,
        skip_import,
        skip_background,
        skip_build,
        skip_documents=False,
        only="",
        commands=False,
        **options,
    ):
        count = Project.objects.count()
        if not count:
            raise CommandError("没有项目数据:请先运行 seed_scale。")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        user, _created = User.objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client()
        client.force_login(user)
        period = MonthlyReport.objects.latest_period()
        official = Official.objects.annotate(n=Count("projects")).order_by("-n").first()
        query = f"?{period.query_string()}"
        pages = [
            ("admin changelist (baseline)", reverse("admin:projects_project_changelist")),
            ("project list", reverse("projects:project_list") + query),
            ("project list, red lights", reverse("projects:project_list") + query + "&light=red"),
            # The text search (code, name, owner): seed_scale's 合成项目123, 1230–1239, …
            ("project list, text search", reverse("projects:project_list") + query + SEARCH),
            (
                "project list sorted by light",
                reverse("projects:project_list") + query + "&sort=-light",
            ),
            ("official page", reverse("projects:official_detail", args=[official.pk]) + query),
            ("officials list", reverse("projects:official_list") + query),
            ("zone summary", reverse("projects:zone_list") + query),
            ("dashboard", reverse("projects:dashboard") + query),
            # 填报情况 of the period (every report in, late) and of the month being collected
            # (the page's default: nothing in yet, every project missing).
            ("report status", reverse("projects:report_status") + query),
            ("report status, none in yet", reverse("projects:report_status")),
            ("ranking", reverse("projects:ranking") + query),
            # 开工率 and 竣工率: grouped counts with each project's stage on the period's end.
            ("start rates", reverse("projects:start_rates") + query),
            # 挂图作战: the map's first load (the whole scope: clusters above the cap) and a
            # street's worth of it zoomed in (pins), as the map asks for them.
            ("map GeoJSON, whole scope", reverse("projects:map_geojson") + query),
            ("map GeoJSON, zoomed in", reverse("projects:map_geojson") + query + zoomed_in()),
            ("map GeoJSON, whole area", reverse("projects:map_geojson") + query + whole_area()),
        ]
        pages = [(name, url, client) for name, url in pages] + self.region_pages(query)
        if commands and (inbox := self.bench_commands(period, count)):
            pages.append(inbox)
        if words := [word.strip() for word in only.split(",") if word.strip()]:
            pages = pages[:1] + [page for page in pages[1:] if any(w in page[0] for w in words)]
        self.stdout.write(
            f"数据库 {connection.vendor},项目 {count},统计期 {period.label},每项重复 {repeat} 次取中位数\n"
        )
        if not skip_build:
            self.bench_build(period)
        self.stdout.write(f"{'page':<40}{'median ms':>10}{'queries':>9}{'ratio':>8}")
        counts, functions = {}, {}
        for name, url, client in pages:

            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            get()  # a month the table does not hold yet is built by the first request
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                get()
            counts[name] = len(queries)  # read now: the next request clears the log
            functions[name] = get
        medians = measure_together(functions, repeat)
        baseline = medians[pages[0][0]]
        for name, _url, _client in pages:
            self.stdout.write(
                f"{name:<40}{medians[name] * 1000:>10.1f}{counts[name]:>9}"
                f"{medians[name] / baseline:>8.2f}"
            )
        # --only names pages; the documents are timed with them only when named (--only document).
        if not skip_documents and (not only.strip() or "document" in only):
            self.bench_documents(period, functions[pages[0][0]], client)
        if not only.strip() or "packet" in only:
            self.bench_packet_pdf(client, official, repeat)
        if not skip_export:
            self.bench_export(period, count, repeat)
        if not skip_background:
            self.bench_background(period, user)
        if not skip_import:
            self.bench_import(period, repeat)

    def region_pages(self, query):
        """With several districts (seed_scale --regions): the pages of the province's office
        (every district), of a city's office (its districts) and of a district's office (its
        own register), each logged in as that office (seed_scale's office<code> accounts)."""
        if Region.objects.districts().count() < 2:
            return []
        clients = {}
        for region in Region.objects.filter(
            profiles__user__username=Concat(Value("office"), "code")
        ).order_by("code"):
            if region.kind not in clients:  # the first of each kind
                clients[region.kind] = Client()
                clients[region.kind].force_login(User.objects.get(profile__region=region))
                clients[region.kind].region = region
        pages = []
        geojson = reverse("projects:map_geojson") + query
        for kind in (Region.Kind.PROVINCE, Region.Kind.CITY):
            if kind not in clients:
                continue
            region = clients[kind].region
            label = f"{kind}: "
            table = "cities table" if kind == Region.Kind.PROVINCE else "districts table"
            pages += [
                (label + "dashboard", reverse("projects:dashboard") + query, clients[kind]),
                (label + table, reverse("projects:regions") + query, clients[kind]),
                (label + "ranking", reverse("projects:ranking") + query, clients[kind]),
                (label + "zone summary", reverse("projects:zone_list") + query, clients[kind]),
                (label + "start rates", reverse("projects:start_rates") + query, clients[kind]),
                # 挂图作战 above the districts: the regions beneath as clusters, then the
                # area over every placed project of the scope as cells.
                (label + "map GeoJSON, whole scope", geojson, clients[kind]),
                (label + "map GeoJSON, whole area", geojson + whole_area(region), clients[kind]),
            ]
        if Region.Kind.DISTRICT in clients:
            district = clients[Region.Kind.DISTRICT]
            pages += [
                (f"district: {name}", reverse(url) + query + extra, district)
                for name, url, extra in (
                    ("project list", "projects:project_list", ""),
                    ("project list, text search", "projects:project_list", SEARCH),
                    ("project list sorted by light", "projects:project_list", "&sort=-light"),
                    ("officials list", "projects:official_list", ""),
                    ("zone summary", "projects:zone_list", ""),
                    ("dashboard", "projects:dashboard", ""),
                    ("report status", "projects:report_status", ""),
                    ("ranking", "projects:ranking", ""),
                    ("start rates", "projects:start_rates", ""),
                    ("map GeoJSON, whole scope", "projects:map_geojson", ""),
                    # panned at the zoom that shows the whole district: zone × cell clusters
                    (
                        "map GeoJSON, whole area",
                        "projects:map_geojson",
                        whole_area(district.region),
                    ),
                )
            ]
        return pages

    def bench_packet_pdf(self, client, official, repeat):
        """One official's part of the latest meeting's packet as PDF (WeasyPrint), in
        seconds: the official with the most projects, median of `repeat` (at least 3)."""
        url = reverse("projects:official_pdf", args=[official.pk])
        if client.get(reverse("projects:official_print", args=[official.pk])).status_code != 200:
            self.stdout.write("\npacket PDF: no meeting to print (seed_scale makes them)")
            return

        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        size = len(get().content) / 1024
        walls, cpus = [], []
        for _ in range(max(repeat, 3)):
            wall, cpu = time.perf_counter(), time.process_time()
            get()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        self.stdout.write(
            f"\npacket PDF of {official.name} ({official.n} projects, {size:.0f} KiB): "
            f"{statistics.median(walls):.2f} s, {statistics.median(cpus):.2f} s of CPU "
            f"(medians of {len(walls)})"
        )

    def bench_build(self, period):
        """The progress table built from nothing: the period's month (what a page pays at most
        once a day when the nightly refresh has not run), then the rest of its year (the
        nightly refresh's first run; the dashboard's curves add those months' totals up)."""
        clear_progress()
        start = time.perf_counter()
        store.ensure(Project, period)
        month = time.perf_counter() - start
        start = time.perf_counter()
        rest = store.build(Project, [Period(period.year, m) for m in range(1, 13)])
        self.stdout.write(
            f"progress table: {period.label} built for {Project.objects.count()} projects "
            f"in {month * 1000:.0f} ms (once a day at most); the {len(rest)} other months of the year "
            f"in {(time.perf_counter() - start) * 1000:.0f} ms\n"
        )

    def bench_documents(self, period, changelist, client):
        """The two Word documents of the whole register, built as the worker builds them (a
        document of more than JIEFANG_BACKGROUND_DOCUMENT_OVER projects is; a smaller one is
        built in the request the same way), each once after a warm-up, against the admin
        changelist measured beside them; and the request that asks for one (it answers with
        the file, or queues the job and goes to its page)."""
        # The month's meeting of the region with the most projects (with several districts,
        # the first meeting may be one of a district of few).
        largest = (
            Project.objects.values("region").annotate(n=Count("pk")).order_by("-n").first() or {}
        )
        meetings = Meeting.objects.filter(year=period.year, month=period.month)
        meeting = meetings.filter(region=largest.get("region")).first() or meetings.first()
        meeting = meeting or Meeting.objects.order_by("-date").first()
        region = Region.objects.heading()
        builds = {
            "changelist (baseline)": changelist,
            "月度通报 built": lambda: issued.month_bulletin_docx(period, region),
        }
        if meeting is not None:
            builds["会议纪要 built"] = lambda: issued.minutes_docx(meeting)
        url = reverse("projects:bulletin_docx") + f"?{period.query_string()}"

        def ask():
            response = client.get(url)
            assert response.status_code in (200, 302), response.status_code
            ExportJob.objects.filter(kind="bulletin").delete()  # asked again, queued again

        builds["月度通报 request"] = ask
        medians = measure_together(builds, 1)
        base = medians["changelist (baseline)"]
        self.stdout.write(f"\nWord documents ({Project.objects.count()} projects)")
        self.stdout.write(f"{'document':<32}{'ms':>10}{'ratio':>8}")
        for name, seconds in medians.items():
            self.stdout.write(f"{name:<32}{seconds * 1000:>10.0f}{seconds / base:>8.2f}")

    def bench_background(self, period, user):
        """The workbook of the largest zone, built as a background job: time, then peak memory
        (tracemalloc slows what it traces, so the two are separate runs)."""
        zone = Project.objects.values("zone").annotate(n=Count("pk")).order_by("-n").first()
        query = f"{period.query_string()}&zone={zone['zone']}"

        def run():
            job = jobs.queue(user, "progress", period, query, zone["n"])
            built = jobs.run(job.pk)
            assert built.pk == job.pk and built.status == ExportJob.Status.DONE, built.error
            built.file.delete()
            built.delete()

        start = time.perf_counter()
        run()
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"\nbackground export of one zone ({zone['n']} projects): {seconds * 1000:.0f} ms, "
            f"peak {peak_memory(run):.1f} MiB"
        )
