"""seed_scale --regions: the synthetic register spread over districts in cities under a
province; and the pages above districts cost the same number of queries for 3 districts as
for 12."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Meeting, Official, Problem, Project, Region, Unit, Zone

pytestmark = pytest.mark.django_db

PERIOD = {"year": 2013, "month": 12}


def seed(projects, regions):
    call_command("seed_scale", projects=projects, regions=regions, stdout=io.StringIO())


def test_seed_scale_spreads_the_projects_over_districts_in_cities():
    seed(120, 12)
    districts = Region.objects.districts()
    per_district = dict(
        Project.objects.values("region").annotate(n=Count("pk")).values_list("region", "n")
    )
    assert len(per_district) == 12 == districts.count()
    assert sorted(per_district.values()) == [10] * 12  # spread evenly
    assert Project.objects.count() == 120

    # The tree: one province, two cities (ten districts and two), every code six digits,
    # unique, and each path its parent's path and its own code.
    province = Region.objects.get(parent__isnull=True)
    assert province.kind == Region.Kind.PROVINCE
    cities = list(province.children.all())
    assert {city.kind for city in cities} == {Region.Kind.CITY}
    assert sorted(city.children.count() for city in cities) == [2, 10]
    codes = list(Region.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 1 + 2 + 12
    assert all(re.fullmatch(r"41[0-9]{4}", code) for code in codes)
    for region in Region.objects.select_related("parent"):
        parent = region.parent.path if region.parent else ""
        assert region.path == f"{parent}{region.code}/"
    assert all(district.parent.kind == Region.Kind.CITY for district in districts)

    # Each district has its own zones, officials, units and meeting, and its projects use
    # only those.
    for model in (Zone, Official, Unit, Meeting):
        owners = set(model.objects.values_list("region", flat=True).distinct())
        assert owners == set(per_district), model
    assert not Project.objects.exclude(zone__region=F("region")).exists()
    assert not Project.objects.exclude(lead_official__region=F("region")).exists()
    assert not Project.objects.exclude(responsible_unit__region=F("region")).exists()
    assert not Project.objects.exclude(street_office__region=F("region")).exists()
    assert not Problem.objects.exclude(meeting__region=F("project__region")).exists()
    assert not Problem.objects.exclude(responsible_unit__region=F("project__region")).exists()

    # An office account for every district, city and the province, in its own region.
    for region in Region.objects.all():
        user = User.objects.get(username=f"office{region.code}")
        assert user.profile.region == region
        assert user.groups.filter(name="project_office").exists()
        assert not user.has_usable_password()


def test_seed_scale_without_regions_keeps_one_district():
    seed(30, 0)
    assert Project.objects.values("region").distinct().count() == 1
    assert not User.objects.filter(username__startswith="office").exists()


PAGES = ("projects:dashboard", "projects:regions", "projects:ranking", "projects:zone_list")


def query_counts(regions):
    """{(office, page): queries} with `regions` districts, in a savepoint rolled back."""
    point = transaction.savepoint()
    try:
        seed(4 * regions, regions)
        counts = {}
        province = Region.objects.get(parent__isnull=True)
        city = province.children.annotate(n=Count("children")).order_by("-n").first()
        for office in (province, city):
            client = Client()
            client.force_login(User.objects.get(username=f"office{office.code}"))
            for page in PAGES:
                client.get(reverse(page), PERIOD)  # builds the months the page reads
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(reverse(page), PERIOD).status_code == 200
                counts[office.kind, page] = len(queries)
        return counts, city.children.count()
    finally:
        transaction.savepoint_rollback(point)


def test_the_pages_above_districts_cost_the_same_for_more_districts(settings):
    """The province's and a city's dashboard, districts table, ranking (with its board of
    districts) and zone summary: the same number of queries for 3 districts as for 12."""
    settings.ALLOWED_HOSTS = ["testserver"]
    few, city_few = query_counts(3)
    many, city_many = query_counts(12)
    assert (city_few, city_many) == (3, 10)
    assert few == many


def test_the_province_ranks_its_cities_and_districts(client, settings):
    """Above the districts the ranking is of the regions beneath: the province's office sees
    its cities and its districts ranked (each city's figures its districts' added up), a
    city's office its districts, and neither the lead officials nor the zones of a
    district; a district's office its own lead officials, zones and units as before."""
    settings.ALLOWED_HOSTS = ["testserver"]
    seed(120, 12)
    province = Region.objects.get(parent__isnull=True)
    big = province.children.annotate(n=Count("children")).order_by("-n").first()
    client.force_login(User.objects.get(username=f"office{province.code}"))
    client.get(reverse("projects:ranking"), PERIOD)  # builds the months the page reads
    response = client.get(reverse("projects:ranking"), PERIOD)
    result = response.context["ranking"]
    assert [title for title, *_rest in response.context["boards"]] == ["市", "区县"]
    assert sorted(entry.key for entry in result.regions) == sorted(
        province.children.values_list("pk", flat=True)
    )
    assert len(result.districts) == 12
    assert result.officials == result.zones == result.units == []
    assert all(entry.score is not None for entry in result.regions + result.districts)
    for city in result.regions:
        mine = [
            entry
            for entry in result.districts
            if Region.objects.get(pk=entry.key).parent_id == city.key
        ]
        for figure in ("count", "red", "yellow", "expected", "reported", "problems_due"):
            assert city.figures[figure] == sum(entry.figures[figure] for entry in mine), figure
    assert sum(entry.figures["count"] for entry in result.regions) == 120
    page = response.content.decode()
    assert big.name in page
    assert not any(name in page for name in Official.objects.values_list("name", flat=True))
    assert not any(f">{name}<" in page for name in Zone.objects.values_list("name", flat=True))

    client.force_login(User.objects.get(username=f"office{big.code}"))
    response = client.get(reverse("projects:ranking"), PERIOD)
    result = response.context["ranking"]
    assert [title for title, *_rest in response.context["boards"]] == ["区县"]
    assert sorted(entry.key for entry in result.districts) == sorted(
        big.children.values_list("pk", flat=True)
    )
    assert result.regions == result.officials == []

    district = big.children.order_by("code").first()
    client.force_login(User.objects.get(username=f"office{district.code}"))
    result = client.get(reverse("projects:ranking"), PERIOD).context["ranking"]
    assert result.officials and result.zones and not result.districts
    assert {entry.key for entry in result.officials} <= set(
        Official.objects.filter(region=district).values_list("pk", flat=True)
    )
