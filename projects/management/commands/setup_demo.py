"""Load the demo data once, in the present (or in 2013 with --year 2013), and create one demo
account per role (local demo only)."""

from io import StringIO

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.models import Official, Profile, Project, Region, Unit
from projects.operations import city_demo
from projects.operations.demo import STORY, bring_to_today, holds_a_real_register, load_demo
from projects.operations.demo_places import place_demo
from projects.roles import ensure_roles

PASSWORD = "jiefang-demo-2013"
ACCOUNTS = [
    # username, full name, group, official name (for lead officials)
    ("office", "项目办", "project_office", None),
    ("observer", "区领导（只读）", "observer", None),
    ("chenlixin", "陈立新", "lead_official", "陈立新"),
    ("liuweidong", "刘卫东", "lead_official", "刘卫东"),
    ("wanghongmei", "王红梅", "lead_official", "王红梅"),
    ("zhaozhiqiang", "赵志强", "lead_official", "赵志强"),
    ("liaison", "联络员小李", "lead_official", None),
    ("jiaobei", "焦北街道联络人", "unit_contact", None),
]
# The unit contact answers for the problems assigned to 焦北街道办事处.
UNIT_CONTACTS = {"jiaobei": "焦北街道办事处"}
# With --city: 山阳区's office, and the city's office and observer (username, full name,
# group, region code).
CITY_ACCOUNTS = [
    ("shanyang", "山阳区项目办", "project_office", city_demo.SHANYANG_CODE),
    ("jiaozuo", "焦作市项目办", "project_office", city_demo.CITY_CODE),
    ("jiaozuo_observer", "市领导（只读）", "observer", city_demo.CITY_CODE),
]


class Command(BaseCommand):
    help = (
        "Load fixtures/demo.json if the register is empty, brought to the present unless "
        "--year 2013 is given, and create the demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            choices=[STORY.year],
            help="keep the article's dates (the May 2013 meeting) instead of living in today",
        )
        parser.add_argument(
            "--city",
            action="store_true",
            help="焦作市 with 解放区 and a second district, 山阳区, and the city's accounts",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        # Demo accounts share one published password: never on a production site, and never
        # beside a real register (the office account of the demo has every right).
        if not settings.DEBUG:
            raise CommandError(
                "演示数据和演示账号只用于本机演示：DEBUG 关闭（生产环境）时拒绝运行 setup_demo。"
            )
        if holds_a_real_register():
            raise CommandError(
                "项目库中已有非演示项目：拒绝导入演示数据和创建演示账号（演示账号的密码是公开的）。"
            )
        ensure_roles()
        district = Region.objects.single_district()
        if district is None:  # already a city (setup_demo --city ran before)
            district = Region.objects.get(code="410802")
        if Project.objects.exists():
            self.stdout.write("项目库已有数据，未重复导入演示数据。")
        else:
            load_demo()
            if options["year"] is None:
                bring_to_today()
            # A first history record for each demo row, so that later changes show old → new.
            call_command("populate_history", auto=True, stdout=StringIO())
            self.stdout.write(f"已导入演示数据：{Project.objects.count()} 个项目。")
        accounts = [(*account, district.code) for account in ACCOUNTS]
        if options["city"]:
            period = STORY if options["year"] else city_demo.last_month()
            city_demo.add_shanyang(period)
            city_demo.add_city_key_projects(period)
            accounts += [
                (username, name, group, None, code) for username, name, group, code in CITY_ACCOUNTS
            ]
        lines = []
        for username, full_name, group, official_name, code in accounts:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": full_name, "is_staff": group == "project_office"},
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=group))
            Profile.objects.get_or_create(
                user=user, defaults={"region": Region.objects.get(code=code)}
            )
            if official_name:
                Official.objects.filter(name=official_name, user__isnull=True).update(user=user)
            lines.append(f"  {username:<14} {PASSWORD}   {full_name}({group})")
        for username, unit_name in UNIT_CONTACTS.items():
            for unit in Unit.objects.filter(name=unit_name):
                unit.contacts.add(User.objects.get(username=username))
        place_demo()
        liaison = User.objects.get(username="liaison")
        for project in Project.objects.filter(code__in=["JF2013-001", "JF2013-003"]):
            project.liaisons.add(liaison)
        if options["city"]:
            # Last month: 解放区 submitted it and the city accepted it; 山阳区 has not yet.
            city_demo.accepted_month(
                district,
                STORY if options["year"] else city_demo.last_month(),
                User.objects.get(username="office"),
                User.objects.get(username="jiaozuo"),
            )
        self.stdout.write("演示账号（仅供本机演示使用）：")
        self.stdout.write("\n".join(lines))
