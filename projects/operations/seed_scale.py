"""Deterministic synthetic data at scale, for the benchmark."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group, User
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
    Profile,
    Project,
    Region,
    StageChange,
    Unit,
    Zone,
    clear_progress,
    rebuild_soon,
)
from projects.roles import ensure_roles

from .demo_places import ZONES as ZONE_OUTLINES

ZONES = ["特色商业区", "解放工业园区", "文化旅游综合服务区", "新型城市社区"]
YEARS = range(2009, 2014)
MILESTONES = ["征迁完成", "取得施工许可", "开工", "主体封顶"]
BATCH = 5000
# With --regions: districts per city (the last city may have fewer), and the province above.
DISTRICTS_PER_CITY = 10
PROVINCE = ("410000", "河南省")


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
        parser.add_argument(
            "--regions",
            type=int,
            default=0,
            help=(
                "spread the projects over N districts, 10 to a city, the cities under a "
                "province; each district with its own zones, officials, units and meeting, and "
                "an office account per district, city and the province (office<code>)"
            ),
        )

    @transaction.atomic
    def handle(self, *args, projects, seed, monthly_plans=False, regions=0, **options):
        if Project.objects.exists():
            raise CommandError("数据库中已有项目;请在空数据库上运行 seed_scale。")
        if regions < 0 or regions > 90 * DISTRICTS_PER_CITY:
            raise CommandError(f"--regions 须在 1 到 {90 * DISTRICTS_PER_CITY} 之间。")
        rng = random.Random(seed)
        if regions:
            districts = self.region_tree(regions)
        else:
            # Every row names its region: a default looked up per row would cost a query each.
            districts = [Region.objects.single_district() or Region.objects.heading()]
        count = len(districts)
        # Project i belongs to district i % count, and is the (i // count)-th of its district:
        # with one district (no --regions) every row is as it always was.
        sizes = [len(range(d, projects, count)) for d in range(count)]
        zones, departments, streets, officials = [], [], [], []
        for region, size in zip(districts, sizes, strict=True):
            zones.append(
                [
                    Zone.objects.get_or_create(
                        name=name,
                        region=region,
                        defaults={"order": i, "outline": ZONE_OUTLINES[name]},
                    )[0]
                    for i, name in enumerate(ZONES, 1)
                ]
            )
            units = Unit.objects.bulk_create(
                [
                    Unit(name=f"部门{i:02d}", kind=Unit.Kind.DEPARTMENT, region=region)
                    for i in range(30)
                ]
                + [
                    Unit(name=f"街道{i:02d}", kind=Unit.Kind.STREET, region=region)
                    for i in range(8)
                ]
            )
            departments.append(units[:30])
            streets.append(units[30:])
            officials.append(
                Official.objects.bulk_create(
                    Official(name=f"领导{i:03d}", position="副区长", region=region)
                    for i in range(max(size // 50, 1))
                )
            )

        # Each project within its zone's outline's bounds (the demo's boxes in 焦作); 1 in 50
        # unplaced.
        spans = [zone_span(ZONE_OUTLINES[name]) for name in ZONES]

        def place(j):
            if j % 50 == 49:
                return {}
            west, south, east, north = spans[j % 4]
            return {
                "latitude": Decimal(f"{rng.uniform(south, north):.6f}"),
                "longitude": Decimal(f"{rng.uniform(west, east):.6f}"),
            }

        def project(i):
            d, j = i % count, i // count
            # One in ten is planned to start in 2013 (the year the reports end in), the rest
            # started in 2009: the 开工率 page has its year's planned starts to count.
            new = i % 10 == 0
            return Project(
                code=f"S{i:06d}",
                name=f"合成项目{i}",
                region=districts[d],
                zone=zones[d][j % 4],
                owner=f"建设单位{i % 997}",
                scope="新建综合体",
                total_investment=Decimal(rng.randrange(10_000, 500_000)),
                category=Project.Category.values[i % 5],
                status=Project.Status.UNDER_CONSTRUCTION,
                planned_start=datetime.date(2013 if new else 2009, 1 + i % 12, 1),
                planned_completion=datetime.date(2013 if i % 20 == 5 else 2015, 1 + i % 12, 1),
                actual_start=None if new else datetime.date(2009, 1 + i % 12, 1),
                stage=Project.Stage.PREPARATION if new else Project.Stage.CONTINUING,
                lead_official=officials[d][j % len(officials[d])],
                responsible_unit=departments[d][j % 30],
                street_office=streets[d][j % 8],
                **place(j),
            )

        items = Project.objects.bulk_create((project(i) for i in range(projects)), batch_size=BATCH)
        self.stdout.write(f"项目 {len(items)}")
        # Half of those have started, on their planned day.
        started = [p for i, p in enumerate(items) if i % 20 == 0]
        StageChange.objects.bulk_create(
            (
                StageChange(
                    project=p, on=p.planned_start, from_stage="preparation", to_stage="new_start"
                )
                for p in started
            ),
            batch_size=BATCH,
        )
        for p in started:
            p.stage, p.actual_start = Project.Stage.NEW_START, p.planned_start
        Project.objects.bulk_update(started, ["stage", "actual_start"], batch_size=BATCH)
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
        meetings = [
            Meeting.objects.create(
                number=12, date=datetime.date(2013, 12, 20), year=2013, month=12, region=region
            )
            for region in districts
        ]
        Problem.objects.bulk_create(
            (
                Problem(
                    project=p,
                    meeting=meetings[i % count],
                    description="需协调事项",
                    responsible_unit=departments[i % count][p.pk % 30],
                    deadline=datetime.date(2013, 12, 20 + p.pk % 10),
                )
                for i, p in list(enumerate(items))[::5]
            ),
            batch_size=BATCH,
        )
        # Bulk writes send no signals: the table is rebuilt by a task at once (a worker),
        # not by the first reader or the night.
        clear_progress()
        rebuild_soon()
        self.stdout.write(self.style.SUCCESS("合成数据已生成。"))

    def region_tree(self, number):
        """`number` districts under cities of up to DISTRICTS_PER_CITY, the cities under one
        province, each with a valid and unique six-digit code (41CCDD), and an office account
        for each (office<code>). The region the migration made (焦作市, 解放区) is kept as
        the first city and district. Returns the districts, in order."""
        ensure_roles()
        province = Region.objects.filter(kind=Region.Kind.PROVINCE).first()
        if province is None:
            province = Region.objects.create(
                code=PROVINCE[0], name=PROVINCE[1], kind=Region.Kind.PROVINCE
            )
        cities = list(Region.objects.filter(kind=Region.Kind.CITY).order_by("code"))
        for city in cities:
            if city.parent_id is None:
                city.parent = province
                city.save()  # its districts' paths follow
        taken = set(Region.objects.values_list("code", flat=True))
        spare = (f"{province.code[:2]}{n:02d}00" for n in range(1, 100))
        wanted = -(-number // DISTRICTS_PER_CITY)
        while len(cities) < wanted:
            code = next(code for code in spare if code not in taken)
            taken.add(code)
            cities.append(
                Region.objects.create(
                    code=code,
                    name=f"合成市{code[2:4]}",
                    kind=Region.Kind.CITY,
                    parent=province,
                )
            )
        districts = []
        for city in cities[:wanted]:
            mine = list(Region.objects.filter(parent=city, kind=Region.Kind.DISTRICT))
            size = min(DISTRICTS_PER_CITY, number - len(districts))
            numbers = (f"{city.code[:4]}{n:02d}" for n in range(1, 100))
            while len(mine) < size:
                code = next(code for code in numbers if code not in taken)
                taken.add(code)
                mine.append(
                    Region.objects.create(
                        code=code, name=f"合成区{code}", kind=Region.Kind.DISTRICT, parent=city
                    )
                )
            districts += mine[:size]
        office = Group.objects.get(name="project_office")
        for region in [province, *cities[:wanted], *districts]:
            user, created = User.objects.get_or_create(
                username=f"office{region.code}",
                defaults={"first_name": f"{region.name}项目办", "is_staff": True},
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(office)
            Profile.objects.get_or_create(user=user, defaults={"region": region})
        self.stdout.write(
            f"地区 {province.name}:{wanted} 个市,{len(districts)} 个区县,"
            f"各有项目办账号 office<代码>"
        )
        return districts


def zone_span(outline):
    """(west, south, east, north) of a polygon's outer ring."""
    ring = outline["coordinates"][0]
    longitudes, latitudes = [p[0] for p in ring], [p[1] for p in ring]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)
