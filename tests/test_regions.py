"""Two sibling districts and their city in one tracker (setup_demo --city): every page and
download of a district shows nothing of its sibling, a direct URL to a sibling's object
answers 404, and the city sees both.

The pages are those of the permission matrix (tests/test_permissions.py), with its URLs to
解放区's objects; the workbooks and Word documents are read back. A PDF is its print page's
HTML rendered (projects/meetings/pdf.py): the print pages are checked with the pages, and
the PDFs (each at its own .pdf URL) are read back on their own.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Official, Problem, Project, Region, Unit, Zone
from projects.progress.period import Period
from tests.conftest import setup_demo
from tests.pdf import needs_pdftotext, pdf_text
from tests.test_permissions import MATRIX, USERS

pytestmark = pytest.mark.django_db

JIEFANG, SHANYANG, CITY = "410802", "410811", "410800"
# Each page's downloads, asked for with these query strings besides the page itself.
DOWNLOADS = {
    "projects:project_list": ["export=xlsx"],
    "projects:official_list": ["export=xlsx"],
    "projects:zone_list": ["export=xlsx"],
    "projects:problem_list": ["export=xlsx"],
    "projects:meeting_list": ["export=xlsx"],
    "projects:ranking": ["export=xlsx"],
    "projects:scores": ["export=xlsx"],
    "projects:factor_needs": ["export=xlsx", "kind=land&export=xlsx"],
}
# Rendered by WeasyPrint from the print page's HTML (checked as the print page).
PDF = {"projects:meeting_pdf", "projects:official_pdf", "projects:problem_notice_pdf"}
PERIOD = {"year": 2013, "month": 5}


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def names_of(code):
    """What only the district's rows are called: its projects, officials, units, zones and
    problems."""
    region = Region.objects.get(code=code)
    return {
        *Project.objects.filter(region=region).values_list("name", flat=True),
        *Official.objects.filter(region=region).values_list("name", flat=True),
        *Unit.objects.filter(region=region).values_list("name", flat=True),
        *Zone.objects.filter(region=region).values_list("name", flat=True),
        *(
            d[:12]
            for d in Problem.objects.filter(project__region=region).values_list(
                "description", flat=True
            )
        ),
    }


def foreign_names(own, other):
    """The sibling's names, leaving out those inside one of the district's own (区商务局 is
    inside 山阳区商务局)."""
    mine = names_of(own)
    return {name for name in names_of(other) if not any(name in text for text in mine)}


def text_of(response):
    """What a page or download shows, as text: the HTML, every cell of a workbook, the
    words of a Word document."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as document:
            return re.sub(r"<[^>]+>", "", document.read("word/document.xml").decode())
    return content.decode("utf-8", errors="replace")


def shown(client, name, kwargs):
    """{query: text} of the page and its downloads that answer 200."""
    url = reverse(name, kwargs=kwargs)
    texts = {}
    for query in ["", *DOWNLOADS.get(name, [])]:
        response = client.get(f"{url}?{query}" if query else url, PERIOD)
        if response.status_code == 200:
            texts[query] = text_of(response)
    return texts


READ_PAGES = sorted(
    name for name, (_build, get_roles, *_rest) in MATRIX.items() if get_roles and name not in PDF
)


# The account's own objects (its export, its notification), made by the matrix's builders:
# a file the test itself wrote, or a 404 for anyone else.
OWN_OBJECTS = {"projects:export_job", "projects:export_download", "projects:notification_open"}
# Fixed text, the same for every region: the user guide (its examples are the article's
# projects) and the import template (its sample row is in 特色商业区).
STATIC = {"projects:help", "projects:import_template"}


@pytest.mark.slow
@pytest.mark.parametrize("role", ["office", "lead", "liaison", "observer", "unit"])
def test_a_district_shows_nothing_of_its_sibling(client, city, role):
    """解放区's accounts read no name of 山阳区 on any page, download, filter option, count
    or total."""
    client.force_login(User.objects.get(username=USERS[role]))
    foreign = foreign_names(JIEFANG, SHANYANG)
    assert foreign
    leaks = []
    for name in READ_PAGES:
        if name in OWN_OBJECTS:
            continue
        for query, text in shown(client, name, MATRIX[name][0]()).items():
            if leaked := sorted(word for word in foreign if word in text):
                leaks.append((name, query, leaked))
    assert not leaks


def test_the_sibling_office_sees_nothing_of_the_district(client, city):
    """山阳区's office gets 404 for 解放区's objects by URL, and its own pages show no name
    of 解放区."""
    client.force_login(User.objects.get(username="shanyang"))
    foreign = foreign_names(SHANYANG, JIEFANG)
    leaks = []
    for name in READ_PAGES:
        kwargs = MATRIX[name][0]()
        if kwargs and name not in OWN_OBJECTS and name != "projects:help_screenshot":
            status = client.get(reverse(name, kwargs=kwargs), PERIOD).status_code
            if status != 404:
                leaks.append((name, status))
            continue
        if name in STATIC:
            continue
        for query, text in shown(client, name, kwargs).items():
            if leaked := sorted(word for word in foreign if word in text):
                leaks.append((name, query, leaked))
    assert not leaks


@needs_pdftotext
def test_the_pdfs_are_the_districts_own(client, city):
    """Every PDF of 解放区 (the packet, an official's part, a 督办单), read back, names
    nothing of 山阳区; 山阳区's office asking for them by URL gets 404."""
    assert PDF == {name for name in MATRIX if name.endswith("_pdf")}
    urls = [reverse(name, kwargs=MATRIX[name][0]()) for name in sorted(PDF)]
    assert all(url.endswith(".pdf") for url in urls)
    client.force_login(User.objects.get(username="office"))
    foreign = foreign_names(JIEFANG, SHANYANG)
    own = names_of(JIEFANG)
    for url in urls:
        text = pdf_text(client.get(url, PERIOD)).replace(" ", "")
        assert any(name in text for name in own), url
        assert not sorted(word for word in foreign if word in text), url
    client.force_login(User.objects.get(username="shanyang"))
    assert [client.get(url, PERIOD).status_code for url in urls] == [404] * len(urls)


def test_the_sibling_cannot_act_on_the_districts_objects(client, city):
    """A POST to 解放区's problem, meeting or report from 山阳区's office answers 404 and
    changes nothing."""
    client.force_login(User.objects.get(username="shanyang"))
    problem = Problem.objects.get(description="商户过渡安置场地不足")
    meeting = problem.meeting
    version = problem.version
    for name, kwargs, data in [
        ("projects:problem_close", {"pk": problem.pk}, {"closing_note": "已解决"}),
        ("projects:problem_answer", {"pk": problem.pk}, {"kind": "progress", "note": "·"}),
        ("projects:meeting_lock", {"pk": meeting.pk}, {"action": "lock"}),
        ("projects:problem_create", {"pk": meeting.pk}, {"description": "新问题"}),
    ]:
        assert client.post(reverse(name, kwargs=kwargs), data).status_code == 404, name
    problem.refresh_from_db()
    assert problem.version == version and problem.status == Problem.Status.OPEN


def test_the_city_sees_both_districts(client, city):
    """The city's office and observer find both districts' projects, officials and problems,
    and totals adding up both."""
    both = names_of(JIEFANG) | names_of(SHANYANG)
    for username in ("jiaozuo", "jiaozuo_observer"):
        client.force_login(User.objects.get(username=username))
        text = "".join(
            shown(client, name, {})[""]
            for name in ("projects:project_list", "projects:official_list", "projects:zone_list")
        )
        text += shown(client, "projects:problem_list", {})[""]
        missing = sorted(
            name
            for name in both
            if name not in text and not Problem.objects.filter(description__startswith=name)
        )
        assert not missing, (username, missing)
        assert client.get(reverse("projects:dashboard"), PERIOD).context["total"]["count"] == 22


@pytest.mark.parametrize(
    ("username", "count"), [("office", 10), ("shanyang", 12), ("jiaozuo", 22), ("observer", 10)]
)
def test_counts_and_totals_are_the_regions(client, city, username, count):
    """The dashboard's and the zones' totals add up the account's region: each district its
    own, the city both."""
    client.force_login(User.objects.get(username=username))
    dashboard = client.get(reverse("projects:dashboard"), PERIOD).context
    zones = client.get(reverse("projects:zone_list"), PERIOD).context
    assert dashboard["total"]["count"] == zones["total"]["count"] == count
    region = Region.objects.get(profiles__user__username=username)
    expected = Project.objects.in_region(region).with_stored_progress(Period(2013, 5))
    assert dashboard["total"]["ytd"] == sum(project.ytd for project in expected)


def test_the_filter_options_are_the_regions(client, city):
    """The project list offers the account's zones, officials and units only."""
    for username, code in (("office", JIEFANG), ("shanyang", SHANYANG)):
        client.force_login(User.objects.get(username=username))
        filters = client.get(reverse("projects:project_list"), PERIOD).context["filter"].filters
        for name in ("zone", "lead_official", "responsible_unit"):
            regions = set(filters[name].queryset.values_list("region__code", flat=True))
            assert regions == {code}, (username, name, regions)


def test_a_single_district_instance_looks_as_before(client, db):
    """Without --city, the demo is one district under its city: every account sees it all."""
    setup_demo(year=2013)
    assert Region.objects.single_district().name == "解放区"
    client.force_login(User.objects.get(username="office"))
    assert client.get(reverse("projects:dashboard"), PERIOD).context["total"]["count"] == 10


def test_the_region_tree_reads_ancestors_and_descendants_in_one_query(
    db, django_assert_num_queries
):
    """However deep the tree, a region's ancestors and its descendants are one query each."""
    province = Region.objects.create(name="河南省", code="410000", kind=Region.Kind.PROVINCE)
    city = Region.objects.get(code=CITY)
    city.parent = province
    city.save()  # the city and everything beneath it move under the province
    district = Region.objects.get(code=JIEFANG)
    assert district.path == f"410000/{CITY}/{JIEFANG}/"
    deeper = Region.objects.create(name="某片区", code="410899", kind="district", parent=district)
    with django_assert_num_queries(1):
        assert [r.code for r in deeper.ancestors()] == ["410000", CITY, JIEFANG]
    with django_assert_num_queries(1):
        assert {r.code for r in province.descendants()} == {CITY, JIEFANG, "410899"}


def test_the_city_sees_its_districts_side_by_side(client, city):
    """The districts page: one row per district with its own figures, adding up to the
    city's total; each row opens the district's own dashboard."""
    client.force_login(User.objects.get(username="jiaozuo"))
    context = client.get(reverse("projects:regions"), PERIOD).context
    rows = {row["region"].name: row for row in context["rows"]}
    assert {name: row["total"]["count"] for name, row in rows.items()} == {
        "解放区": 10,
        "山阳区": 12,
    }
    for name in ("ytd", "annual_plan", "total_investment"):
        assert sum(row["total"][name] for row in rows.values()) == context["total"][name]
    for code, count in ((JIEFANG, 10), (SHANYANG, 12)):
        dashboard = client.get(reverse("projects:dashboard"), {"region": code, **PERIOD})
        assert dashboard.context["total"]["count"] == count
    # 山阳区's two slowest projects have not reported May.
    assert rows["山阳区"]["missing"] == 2
    assert rows["解放区"]["missing"] + 2 == context["missing"]


def test_a_district_cannot_open_its_siblings_figures(client, city):
    """?region= of a sibling answers 404, on the districts page and the dashboard."""
    client.force_login(User.objects.get(username="office"))
    for name in ("projects:regions", "projects:dashboard"):
        assert client.get(reverse(name), {"region": SHANYANG}).status_code == 404


def test_the_districts_page_costs_the_same_for_more_districts(client, city):
    """One grouped query over the progress table's totals for all the districts: a third
    district adds no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(User.objects.get(username="jiaozuo"))
    url = reverse("projects:regions")
    client.get(url, PERIOD)  # the month's table is built on first read
    with CaptureQueriesContext(connection) as two:
        client.get(url, PERIOD)
    Region.objects.create(
        name="中站区", code="410803", kind="district", parent=Region.objects.get(code=CITY)
    )
    with CaptureQueriesContext(connection) as three:
        client.get(url, PERIOD)
    assert len(three.captured_queries) == len(two.captured_queries)


def test_the_city_filters_the_project_list_by_district(client, city):
    """The city's project list and its workbook take a district; a district's list offers
    no such choice."""
    client.force_login(User.objects.get(username="jiaozuo"))
    shanyang = Region.objects.get(code=SHANYANG)
    url = reverse("projects:project_list")
    response = client.get(url, {"region": shanyang.pk, "per_page": 50, **PERIOD})
    codes = {row.record.code for row in response.context["table"].paginated_rows}
    assert len(codes) == 12 and all(code.startswith("SY") for code in codes)
    workbook = client.get(url, {"region": shanyang.pk, "export": "xlsx", **PERIOD})
    assert "北山生态修复工程" in text_of(workbook)
    assert "翰林国际" not in text_of(workbook)
    client.force_login(User.objects.get(username="office"))
    assert "region" not in client.get(url, PERIOD).context["filter"].form.fields


ADMIN_LISTS = [
    "projects_project",
    "projects_zone",
    "projects_official",
    "projects_unit",
    "projects_meeting",
    "projects_problem",
    "projects_monthlyreport",
    "projects_annualplan",
    "projects_milestone",
    "projects_region",
    "projects_profile",
]


def test_the_admin_is_scoped_as_every_page(client, city):
    """In the admin, 山阳区's office lists and opens nothing of 解放区 (its list filters
    included), and the city lists both."""
    client.force_login(User.objects.get(username="shanyang"))
    foreign = foreign_names(SHANYANG, JIEFANG)
    leaks = []
    for name in ADMIN_LISTS:
        text = client.get(reverse(f"admin:{name}_changelist")).content.decode()
        if leaked := sorted(word for word in foreign if word in text):
            leaks.append((name, leaked))
    assert not leaks
    jiefang_project = Project.objects.get(code="JF2013-001")
    response = client.get(reverse("admin:projects_project_change", args=[jiefang_project.pk]))
    assert response.status_code == 302  # "doesn't exist": back to the admin's index
    add = client.get(reverse("admin:projects_project_add")).context["adminform"].form
    assert set(add.fields["zone"].queryset.values_list("region__code", flat=True)) == {SHANYANG}
    assert set(add.fields["region"].queryset.values_list("code", flat=True)) == {SHANYANG}
    client.force_login(User.objects.get(username="jiaozuo"))
    text = client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "北山生态修复工程" in text and "翰林国际旅游度假区一期" in text


def test_the_citys_progress_workbook_groups_each_district(client, city):
    """The city's 重点项目进展情况表: its total counts both districts, then each district's
    zones as groups named with the district, 解放区's first; a district's table is as before."""
    client.force_login(User.objects.get(username="jiaozuo"))
    response = client.get(reverse("projects:progress_xlsx"), PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["进展情况"]
    labels = [
        row[1]
        for row in sheet.iter_rows(values_only=True)
        if isinstance(row[1], str) and row[1][1:2] == "、"
    ]
    assert [label.split("、")[1].split("·")[0] for label in labels] == ["解放区"] * 4 + [
        "山阳区"
    ] * 2
    assert sheet.cell(1, 1).value.startswith("焦作市")
    client.force_login(User.objects.get(username="office"))
    response = client.get(reverse("projects:progress_xlsx"), PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["进展情况"]
    assert sheet.cell(1, 1).value.startswith("解放区")
    assert not any("·" in str(row[1]) for row in sheet.iter_rows(values_only=True) if row[1])


def test_the_city_ranks_its_districts(client, city):
    """The city's ranking is a board of its districts on the ranking's measures (and a sheet
    in its workbook): their lead officials, zones and units are ranked on each district's
    own ranking, which is as before (no board of districts)."""
    client.force_login(User.objects.get(username="jiaozuo"))
    response = client.get(reverse("projects:ranking"), PERIOD)
    result = response.context["ranking"]
    assert sorted(entry.name for entry in result.districts) == ["山阳区", "解放区"]
    assert all(entry.score is not None for entry in result.districts)
    counts = {entry.name: entry.figures["count"] for entry in result.districts}
    assert counts == {"解放区": 10, "山阳区": 12}
    assert result.officials == result.zones == result.units == result.regions == []
    assert [title for title, *_rest in response.context["boards"]] == ["区县"]
    page = response.content.decode()
    assert "本级排名比较下辖各地区" in page
    assert not any(name in page for name in Official.objects.values_list("name", flat=True))
    workbook = client.get(reverse("projects:ranking"), {"export": "xlsx", **PERIOD})
    assert "区县" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert "牵头领导" not in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames

    # Each district's figures on the city's board are those of its own ranking's totals.
    for username, name in (("office", "解放区"), ("shanyang", "山阳区")):
        client.force_login(User.objects.get(username=username))
        own = client.get(reverse("projects:ranking"), PERIOD).context["ranking"]
        assert own.districts == [] and own.officials and own.zones
        entry = next(entry for entry in result.districts if entry.name == name)
        assert entry.figures["count"] == sum(e.figures["count"] for e in own.zones)
        assert entry.figures["red"] == sum(e.figures["red"] for e in own.zones)
        assert entry.figures["problems_due"] == sum(
            e.figures["problems_due"] for e in own.officials
        )


def test_setup_demo_city_again_changes_nothing(city):
    """`make run` again: the city demo is built once; its codes count as the demo's, so the
    demo's own second district never reads as a real register."""
    from projects.operations.demo import holds_a_real_register

    assert not holds_a_real_register()
    before = (Project.objects.count(), Region.objects.count(), User.objects.count())
    setup_demo(year=2013, city=True)
    assert (Project.objects.count(), Region.objects.count(), User.objects.count()) == before


def test_the_offices_hear_of_their_own_regions_problems_only(city):
    """督办 reaches the office of the problem's district and the city's, never the sibling's."""
    from django.utils import timezone

    from projects.reminders.schedule import due_reminders

    by_person = due_reminders(timezone.localdate())  # the story's problems are long overdue
    texts = {
        person.username: " ".join(r.text for r in items) for person, items in by_person.items()
    }
    assert "北山生态修复工程" in texts["shanyang"] and "北山生态修复工程" in texts["jiaozuo"]
    assert "北山生态修复工程" not in texts["office"]
    assert "商户过渡安置场地不足" in texts["office"] and "商户过渡安置场地不足" in texts["jiaozuo"]
    assert "商户过渡安置场地不足" not in texts["shanyang"]


def test_the_city_dashboard_charts_its_districts_and_a_district_its_zones(client, city):
    """Above districts the dashboard's chart, its table and the missing reports are per
    district (a province's would be hundreds of zones and thousands of officials); a
    district's dashboard keeps its zones and lead officials."""
    client.force_login(User.objects.get(username="jiaozuo"))
    response = client.get(reverse("projects:dashboard"), PERIOD)
    rows = response.context["zones"]
    assert [(row["label"], row["count"]) for row in rows] == [("解放区", 10), ("山阳区", 12)]
    assert sum(row["ytd"] for row in rows) == response.context["total"]["ytd"]
    assert response.context["missing"] == [{"label": "山阳区", "count": 2}]
    assert "分地区年度计划与完成投资" in response.content.decode()
    client.force_login(User.objects.get(username="office"))
    response = client.get(reverse("projects:dashboard"), PERIOD)
    assert "zone__name" in response.context["zones"][0]
    assert "分功能区年度计划与完成投资" in response.content.decode()


def test_a_region_cannot_be_placed_beneath_a_district(city):
    """A district is the tree's leaf (its office reads its rows by its id): a region put
    beneath it is refused with a Chinese message and nothing is saved."""
    from django.core.exceptions import ValidationError

    from projects.models import Region

    district = Region.objects.get(code="410802")
    street = Region(name="焦北街道", code="410899", kind=Region.Kind.DISTRICT, parent=district)
    with pytest.raises(ValidationError) as error:
        street.full_clean()
    assert "区县下不能再设地区" in " ".join(error.value.message_dict["parent"])
    city_region = Region.objects.get(code="410800")
    Region(name="新区", code="410898", kind=Region.Kind.DISTRICT, parent=city_region).full_clean()
    assert not Region.objects.filter(code="410899").exists()
