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
