"""Deterministic synthetic data at scale, for the benchmark."""

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.models import (
    AnnualPlan,
    Meeting,
    Milestone,
    MonthlyPlan,
    MonthlyReport,
    Official,
    Problem,
    Project,
    Region,
    Unit,
    Zone,
    clear_progress,
)

from .demo_places import ZONES as ZONE_OUTLINES

ZONES = ["特色商业区", "解放工业园区", "文化旅游综合服务区", "新型城市社区"]
YEARS = range(2009, 2014)
MILESTONES = ["征迁完成", "取得施工许可", "开工", "主体封顶"]
BATCH = 5000


class Command(BaseCommand):
    help = (
        "Create N synthetic projects with plans, 5 years of monthly reports, milestones and "
        "problems, in an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=2013)
        parser.add_argument(
            "--monthly-plans",
            action="store_true",
            help="split every annual plan by month (a building-season curve), as districts do",
        )

    @transaction.atomic
    def handle(self, *args, projects, seed, monthly_plans=False, **options):
        if Project.objects.exists():
            raise CommandError("数据库中已有项目;请在空数据库上运行 seed_scale。")
        rng = random.Random(seed)
        # Every row names its region: a default looked up per row would cost a query each.
        region = Region.objects.single_district() or Region.objects.heading()
        zones = [
            Zone.objects.get_or_create(
                name=name,
                region=region,
                defaults={"order": i, "outline": ZONE_OUTLINES[name]},
            )[0]
            for i, name in enumerate(ZONES, 1)
        ]
        # Each project within its zone's outline's bounds (the demo's boxes in 焦作); 1 in 50 unplaced.
        spans = [zone_span(ZONE_OUTLINES[name]) for name in ZONES]

        def place(i):
            if i % 50 == 49:
                return {}
            west, south, east, north = spans[i % 4]
            return {
                "latitude": Decimal(f"{rng.uniform(south, north):.6f}"),
                "longitude": Decimal(f"{rng.uniform(west, east):.6f}"),
            }

        units = Unit.objects.bulk_create(
            [Unit(name=f"部门{i:02d}", kind=Unit.Kind.DEPARTMENT, region=region) for i in range(30)]
            + [Unit(name=f"街道{i:02d}", kind=Unit.Kind.STREET, region=region) for i in range(8)]
        )
        departments, streets = units[:30], units[30:]
        officials = Official.objects.bulk_create(
            Official(name=f"领导{i:03d}", position="副区长", region=region)
            for i in range(max(projects // 50, 1))
        )
        items = Project.objects.bulk_create(
            (
                Project(
                    code=f"S{i:06d}",
                    name=f"合成项目{i}",
                    region=region,
                    zone=zones[i % 4],
                    owner=f"建设单位{i % 997}",
                    scope="新建综合体",
                    total_investment=Decimal(rng.randrange(10_000, 500_000)),
                    category=Project.Category.values[i % 5],
                    status=Project.Status.UNDER_CONSTRUCTION,
                    planned_start=datetime.date(2009, 1 + i % 12, 1),
                    planned_completion=datetime.date(2015, 1 + i % 12, 1),
                    lead_official=officials[i % len(officials)],
                    responsible_unit=departments[i % 30],
                    street_office=streets[i % 8],
                    **place(i),
                )
                for i in range(projects)
            ),
            batch_size=BATCH,
        )
        self.stdout.write(f"项目 {len(items)}")
        plans = AnnualPlan.objects.bulk_create(
            (
                AnnualPlan(
                    project=p, year=y, planned_investment=Decimal(rng.randrange(100, 5000) * 12)
                )
                for p in items
                for y in YEARS
            ),
            batch_size=BATCH,
        )
        if monthly_plans:
            # Little in winter, most in the building season; the twelve parts add up.
            weights = [2, 3, 6, 9, 11, 12, 12, 12, 11, 10, 7, 5]
            MonthlyPlan.objects.bulk_create(
                (
                    MonthlyPlan(
                        annual_plan=plan,
                        month=month,
                        amount=plan.planned_investment * weight / 100,
                    )
                    for plan in plans
                    for month, weight in enumerate(weights, start=1)
                ),
                batch_size=BATCH,
            )
            self.stdout.write(f"分月计划 {len(plans) * 12}")
        MonthlyReport.objects.bulk_create(
            (
                MonthlyReport(
                    project=p,
                    year=y,
                    month=m,
                    amount=Decimal(rng.randrange(0, 5000)),
                    physical_progress="主体施工",
                )
                for p in items
                for y in YEARS
                for m in range(1, 13)
            ),
            batch_size=BATCH,
        )
        self.stdout.write(f"月度进展 {MonthlyReport.objects.count()}")
        Milestone.objects.bulk_create(
            (
                Milestone(
                    project=p,
                    name=name,
                    order=o,
                    baseline_date=datetime.date(2013, 1 + (o * 3 + p.pk) % 12, 1),
                    planned_date=datetime.date(2013, 1 + (o * 3 + p.pk) % 12, 1),
                    actual_date=datetime.date(2013, 1, 15) if rng.random() < 0.3 else None,
                )
                for p in items
                for o, name in enumerate(MILESTONES)
            ),
            batch_size=BATCH,
        )
        meeting = Meeting.objects.create(
            number=12, date=datetime.date(2013, 12, 20), year=2013, month=12, region=region
        )
        Problem.objects.bulk_create(
            (
                Problem(
                    project=p,
                    meeting=meeting,
                    description="需协调事项",
                    responsible_unit=departments[p.pk % 30],
                    deadline=datetime.date(2013, 12, 20 + p.pk % 10),
                )
                for p in items[::5]
            ),
            batch_size=BATCH,
        )
        clear_progress()  # bulk writes send no signals; pages rebuild the table when read
        self.stdout.write(self.style.SUCCESS("合成数据已生成。"))


def zone_span(outline):
    """(west, south, east, north) of a polygon's outer ring."""
    ring = outline["coordinates"][0]
    longitudes, latitudes = [p[0] for p in ring], [p[1] for p in ring]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)
