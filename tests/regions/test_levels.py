"""A project on several levels (setup_demo --city, May 2013): 解放区's JF2013-001 and 山阳区's
SY2013-006 are also 市重点, with the city's 挂点领导 李文博 and 焦作市发展和改革委员会 beside
each district's own lead; the city's meeting hears its 市重点 across both districts; the
city's office names the city's leads, a district's office reads them."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.meetings.packet import meeting_packet
from projects.models import Meeting, Official, Project, ProjectLevel, Region, Unit
from projects.models.levels import leads_by_level
from tests.api.conftest import CITY, JIEFANG, SHANYANG, bearer, token_of
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

CITY_KEY = {"JF2013-001", "SY2013-006"}


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_a_project_shows_its_district_lead_and_the_citys(client, city):
    project = Project.objects.get(code="JF2013-001")
    page = as_user(client, "office").get(project.get_absolute_url()).text
    assert re.search(r"项目级别</dt><dd>区重点、市重点</dd>", page)
    assert re.search(r"市重点牵头领导</dt><dd>李文博 副市长</dd>", page)
    assert re.search(r"市重点责任单位</dt><dd>焦作市发展和改革委员会</dd>", page)
    # The district's own lead stays the project's lead official.
    assert project.lead_official.name in page
    # A project of the district only names no city lead.
    other = as_user(client, "office").get(Project.objects.get(code="JF2013-002").get_absolute_url())
    assert "市重点牵头领导" not in other.text


def test_leads_by_level_gives_each_level_its_own_people(city):
    project = Project.objects.get(code="SY2013-006")
    leads = leads_by_level(project)
    assert [(lead.level, lead.label) for lead in leads] == [
        ("district", "区重点"),
        ("city", "市重点"),
    ]
    assert leads[0].official == project.lead_official and leads[0].unit == project.responsible_unit
    assert (leads[1].official.name, leads[1].unit.name) == ("李文博", "焦作市发展和改革委员会")
    assert [lead.level for lead in leads_by_level(project, above=True)] == ["city"]


def test_a_level_takes_only_people_of_that_level_above_the_project(city):
    project = Project.objects.get(code="JF2013-002")  # 区重点 only
    city_official = Official.objects.get(name="李文博")
    refused = ProjectLevel(project=project, level="city", lead_official=city_official)
    with pytest.raises(ValidationError) as error:
        refused.full_clean()
    assert "不是该级别的重点项目" in str(error.value)
    project.levels = "district,city"
    project.save()
    district_official = project.lead_official
    with pytest.raises(ValidationError) as error:
        ProjectLevel(project=project, level="city", lead_official=district_official).full_clean()
    assert "lead_official" in error.value.message_dict
    district_unit = Unit.objects.filter(region__code=SHANYANG).first()
    with pytest.raises(ValidationError) as error:
        ProjectLevel(project=project, level="city", responsible_unit=district_unit).full_clean()
    assert "responsible_unit" in error.value.message_dict
    ProjectLevel(project=project, level="city", lead_official=city_official).full_clean()


def test_the_citys_office_names_the_city_lead_and_a_districts_office_reads_it(client, city):
    project = Project.objects.get(code="JF2013-001")
    url = reverse("admin:projects_project_change", args=[project.pk])
    city_page = as_user(client, "jiaozuo").get(url).text
    assert 'name="level_leads-0-lead_official"' in city_page
    district_page = as_user(client, "office").get(url).text
    assert 'name="level_leads-0-lead_official"' not in district_page
    assert "李文博" in district_page  # shown, read-only
    # The city office's choice of city lead lists the city's people, never a sibling's view
    # narrowed away: 李文博 is among them.
    assert re.search(r'<option value="\d+"[^>]*>李文博', city_page)


def test_the_citys_meeting_hears_its_city_key_projects_across_districts(city):
    city_meeting = Meeting.objects.get(region__code=CITY)
    packet = meeting_packet(city_meeting, photos=False)
    codes = {p.code for section in packet["sections"] for p in section.projects}
    assert codes == CITY_KEY
    assert packet["total"]["count"] == 2
    assert packet["level"] == "市重点"
    # A district's meeting still hears its whole register.
    district = meeting_packet(
        Meeting.objects.get(region__code=JIEFANG, year=2013, month=5), photos=False
    )
    assert district["total"]["count"] == Project.objects.filter(region__code=JIEFANG).count()


def test_the_citys_packet_names_each_projects_district_and_city_lead(client, city):
    city_meeting = Meeting.objects.get(region__code=CITY)
    html = as_user(client, "jiaozuo").get(reverse("projects:meeting_print", args=[city_meeting.pk]))
    assert html.status_code == 200
    text = html.text
    assert "各区的市重点项目" in text
    assert text.count("市重点牵头：李文博") == 2
    assert "解放区·" in text and "山阳区·" in text
    names = set(Project.objects.exclude(code__in=CITY_KEY).values_list("name", flat=True))
    assert not any(f"<td>{name}" in text for name in names)
    # A district's office cannot open the city's meeting.
    response = as_user(client, "shanyang").get(
        reverse("projects:meeting_print", args=[city_meeting.pk])
    )
    assert response.status_code == 404


def test_the_api_gives_the_leads_of_each_level(client, city):
    key = token_of(JIEFANG)
    url = reverse("api:project_detail", args=["JF2013-001"])
    leads = client.get(url, **bearer(key)).json()["level_leads"]
    assert leads[1] == {
        "level": "city",
        "lead_official": "李文博",
        "responsible_unit": "焦作市发展和改革委员会",
    }
    assert leads[0]["level"] == "district"
    sibling = token_of(SHANYANG)
    assert client.get(url, **bearer(sibling)).status_code == 404
    city_key = token_of(CITY)
    assert client.get(url, **bearer(city_key)).json()["level_leads"] == leads
    level = client.get(reverse("api:project_list"), {"level": "city"}, **bearer(city_key))
    assert {row["code"] for row in level.json()["results"]} == CITY_KEY


def test_the_city_region_owns_the_city_lead(city):
    official = Official.objects.get(name="李文博")
    assert official.region == Region.objects.get(code=CITY)
    assert not Official.objects.restrict(User.objects.get(username="office")).filter(pk=official.pk)
