"""The city demo (`setup_demo --city`): 焦作市 with 解放区 (the article's register) and a second
district, 山阳区, with a dozen fictional projects, its own zones, officials, units and
meeting, reported up to the same month as 解放区's story."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from projects.models import (
    AnnualPlan,
    FactorNeed,
    FundingSource,
    Meeting,
    Milestone,
    MonthLock,
    MonthlyReport,
    Official,
    Problem,
    Project,
    ProjectLevel,
    Region,
    RegionSubmission,
    ScoreRule,
    StageChange,
    Unit,
    Zone,
    clear_progress,
)
from projects.models.regions import CITY_CODE, CITY_NAME
from projects.progress.period import Period

SHANYANG_CODE = "410811"
JIEFANG_CODE = "410802"
SHANYANG_NAME = "山阳区"

ZONES = ["山阳新城片区", "焦作高新技术产业园区"]
OFFICIALS = [("孙建华", "区委常委、副区长"), ("周晓燕", "副区长"), ("吴国栋", "区委常委")]
UNITS = [
    ("山阳区发展和改革委员会", Unit.Kind.DEPARTMENT),
    ("山阳区住房和城乡建设局", Unit.Kind.DEPARTMENT),
    ("山阳区工业和信息化局", Unit.Kind.DEPARTMENT),
    ("艺新街道办事处", Unit.Kind.STREET),
]
# code, name, zone, official, unit, total investment, annual plan (万元), pace of the plan
PROJECTS = [
    ("SY2013-001", "山阳新城商务中心", 0, 0, 0, "85000", "18000", "1.00"),
    ("SY2013-002", "北山生态修复工程", 0, 1, 1, "32000", "9000", "0.55"),
    ("SY2013-003", "塔南路地下综合管廊", 0, 1, 1, "46000", "12000", "0.90"),
    ("SY2013-004", "山阳区人民医院新院区", 0, 2, 1, "60000", "15000", "1.05"),
    ("SY2013-005", "艺新街区棚户区改造", 0, 2, 3, "28000", "8000", "0.40"),
    ("SY2013-006", "焦作高新区智能装备产业园", 1, 0, 2, "120000", "30000", "0.95"),
    ("SY2013-007", "新能源汽车零部件项目", 1, 0, 2, "54000", "16000", "0.70"),
    ("SY2013-008", "山阳电子信息产业园一期", 1, 1, 2, "75000", "20000", "1.00"),
    ("SY2013-009", "高新区污水处理厂扩建", 1, 1, 1, "18000", "6000", "0.85"),
    ("SY2013-010", "生物医药孵化基地", 1, 2, 0, "40000", "10000", "0.60"),
    ("SY2013-011", "现代物流仓储中心", 1, 2, 0, "36000", "9000", "1.10"),
    ("SY2013-012", "山阳区全民健身中心", 0, 0, 0, "15000", "5000", "0.20"),
]
CODES = frozenset(row[0] for row in PROJECTS)


def city_regions():
    """焦作市 and its second demo district, 山阳区 (created when missing): (city, 山阳区)."""
    city, _created = Region.objects.get_or_create(
        code=CITY_CODE, defaults={"name": CITY_NAME, "kind": Region.Kind.CITY}
    )
    shanyang, _created = Region.objects.get_or_create(
        code=SHANYANG_CODE,
        defaults={
            "name": SHANYANG_NAME,
            "kind": Region.Kind.DISTRICT,
            "parent": city,
            "reporting_unit": "山阳区重点项目建设办公室",
        },
    )
    return city, shanyang


@transaction.atomic
def add_shanyang(period):
    """山阳区's register, reported through `period` (the month 解放区's story stands at), with
    its meeting of that month and two problems raised there."""
    _city, region = city_regions()
    if Project.objects.filter(region=region).exists():
        return region
    zones = [Zone.objects.create(name=name, order=i, region=region) for i, name in enumerate(ZONES)]
    officials = [
        Official.objects.create(name=name, position=position, region=region)
        for name, position in OFFICIALS
    ]
    units = [Unit.objects.create(name=name, kind=kind, region=region) for name, kind in UNITS]
    year = period.year
    projects = []
    for code, name, zone, official, unit, total, plan, pace in PROJECTS:
        project = Project.objects.create(
            code=code,
            name=name,
            region=region,
            zone=zones[zone],
            lead_official=officials[official],
            responsible_unit=units[unit],
            owner=f"{name}建设单位",
            total_investment=Decimal(total),
            status=Project.Status.UNDER_CONSTRUCTION,
            planned_start=datetime.date(year, 3, 1),
            planned_completion=datetime.date(year + 2, 12, 31),
            actual_start=datetime.date(year, 3, 1),
            stage=Project.Stage.NEW_START,
        )
        projects.append((project, Decimal(plan), Decimal(pace)))
    StageChange.objects.bulk_create(
        StageChange(
            project=project,
            on=project.actual_start,
            from_stage=Project.Stage.PREPARATION,
            to_stage=Project.Stage.NEW_START,
            note="取得施工许可证",
        )
        for project, _plan, _pace in projects
    )
    AnnualPlan.objects.bulk_create(
        AnnualPlan(project=project, year=year, planned_investment=plan)
        for project, plan, _pace in projects
    )
    submitted = timezone.make_aware(datetime.datetime(year, period.month, 1, 9))
    MonthlyReport.objects.bulk_create(
        MonthlyReport(
            project=project,
            year=year,
            month=month,
            amount=(plan / 12 * pace).quantize(Decimal("0.01")),
            physical_progress=f"{project.name}按计划推进",
            submitted_at=min(submitted, timezone.now()),
        )
        for project, plan, pace in projects
        for month in range(1, period.month + 1)
        # The slowest projects have not reported the month yet.
        if month < period.month or pace >= Decimal("0.5")
    )
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            name=name,
            order=order,
            planned_date=datetime.date(year, month, 15),
            baseline_date=datetime.date(year, month, 15),
        )
        for project, _plan, _pace in projects
        for order, (name, month) in enumerate([("主体开工", 4), ("主体封顶", 11)], start=1)
    )
    meeting = Meeting.objects.create(
        region=region,
        number=period.month,
        date=min(period.as_of, timezone.localdate()),
        year=year,
        month=period.month,
        title=f"山阳区{year}年第{period.month}次重点项目推进会",
        chair="孙建华",
    )
    Problem.objects.create(
        project=projects[1][0],
        meeting=meeting,
        description="北山生态修复工程土方外运手续未办结",
        responsible_unit=units[1],
        deadline=meeting.date + datetime.timedelta(days=20),
    )
    Problem.objects.create(
        project=projects[4][0],
        meeting=meeting,
        description="艺新街区改造居民安置房源不足",
        responsible_unit=units[3],
        deadline=meeting.date + datetime.timedelta(days=10),
    )
    add_shanyang_needs_and_funding([project for project, _plan, _pace in projects], units, meeting)
    clear_progress()  # the bulk writes above: pages rebuild the table when read
    copy_score_rules(region.parent, region)
    return region


def copy_score_rules(*regions):
    """The demo district's 考核办法 for `regions` too (山阳区 and the city score alike)."""
    district = Region.objects.filter(code=JIEFANG_CODE).first()
    rules = ScoreRule.objects.filter(region=district) if district else []
    ScoreRule.objects.bulk_create(
        ScoreRule(
            region=region,
            measure=rule.measure,
            weight=rule.weight,
            period=rule.period,
            valid_from=rule.valid_from,
        )
        for region in regions
        if not ScoreRule.objects.filter(region=region).exists()
        for rule in rules
    )


# The city's own key projects (市重点): one of each district's, with the city's 挂点领导.
CITY_OFFICIAL = ("李文博", "副市长")
CITY_UNIT = "焦作市发展和改革委员会"
CITY_PROJECTS = ("JF2013-001", "SY2013-006")


@transaction.atomic
def add_city_key_projects(period):
    """焦作市's 市重点: a project of each district also a city key project, with the city's
    挂点领导 and responsible unit, and the city's own meeting of `period` hearing them."""
    city, _shanyang = city_regions()
    if Meeting.objects.filter(region=city).exists():
        return city
    name, position = CITY_OFFICIAL
    official = Official.objects.create(name=name, position=position, region=city)
    unit = Unit.objects.create(name=CITY_UNIT, kind=Unit.Kind.DEPARTMENT, region=city)
    for project in Project.objects.filter(code__in=CITY_PROJECTS):
        project.levels = f"{Project.Level.DISTRICT},{Project.Level.CITY}"
        project.save(update_fields=["levels"])
        ProjectLevel.objects.create(
            project=project, level=Project.Level.CITY, lead_official=official, responsible_unit=unit
        )
    Meeting.objects.create(
        region=city,
        number=period.month,
        date=min(period.as_of, timezone.localdate()),
        year=period.year,
        month=period.month,
        title=f"焦作市{period.year}年第{period.month}次市重点项目推进会",
        chair=name,
    )
    return city


def last_month(today=None):
    """The month 解放区's demo story stands at once brought to `today`."""
    today = today or timezone.localdate()
    return Period(today.year, today.month).shifted(-1)


def accepted_month(district, period, office, city_office):
    """`district`'s `period` submitted by its office and accepted by the city's (locked)."""
    submission, created = RegionSubmission.objects.get_or_create(
        region=district,
        year=period.year,
        month=period.month,
        defaults={
            "submitted_by": office,
            "state": RegionSubmission.State.ACCEPTED,
            "decided_by": city_office,
            "decided_at": timezone.now(),
        },
    )
    MonthLock.objects.get_or_create(
        region=district, year=period.year, month=period.month, defaults={"locked_by": office}
    )
    return submission


def add_shanyang_needs_and_funding(projects, units, meeting):
    """山阳区's 要素保障 (a land need of its industrial park, due after the meeting) and the
    funding of two of its projects."""
    FactorNeed.objects.create(
        project=projects[5],
        kind=FactorNeed.Kind.LAND,
        description="智能装备产业园二期用地",
        amount=Decimal("80"),
        unit="亩",
        responsible_unit=units[0],
        deadline=meeting.date + datetime.timedelta(days=15),
    )
    FundingSource.objects.bulk_create(
        [
            FundingSource(
                project=projects[0], kind=FundingSource.Kind.OWN, planned=85000, received=20000
            ),
            FundingSource(
                project=projects[5], kind=FundingSource.Kind.BANK, planned=60000, received=15000
            ),
        ]
    )
