"""资金来源: a project's sources and what has arrived on its page, and the totals per district,
zone and source (the city's page adds its districts up side by side)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Project
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db


def test_the_project_page_lists_the_sources_with_their_totals(client, demo, observer_user):
    client.force_login(observer_user)
    project = Project.objects.get(code="JF2013-001")
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    html = response.content.decode()
    assert [source.get_kind_display() for source in response.context["funding"]] == [
        "银行贷款",
        "企业自筹",
    ]
    assert (
        '<span class="cell-label">计划资金（万元）</span> 200,000.00</td>'
        '<td class="num"><span class="cell-label">到位资金（万元）</span> 40,000.00</td>'
    ) in html


def test_the_funding_page_adds_up_per_zone_and_source(client, demo, observer_user):
    client.force_login(observer_user)
    context = client.get(reverse("projects:funding")).context
    assert context["total"]["projects"] == 4
    assert str(context["total"]["planned"]) == "397000.00"
    assert str(context["total"]["received"]) == "107000.00"
    assert str(context["total"]["rate"]) == "26.95"
    zones = {row["project__zone__name"]: row for row in context["zones"]}
    assert str(zones["特色商业区"]["received"]) == "53000.00"
    assert zones["特色商业区"]["projects"] == 2
    kinds = {row["label"]: row for row in context["kinds"]}
    assert str(kinds["企业自筹"]["planned"]) == "220000.00"


def test_the_city_sees_each_districts_funding_and_a_district_only_its_own(client, db):
    setup_demo(year=2013, city=True)
    client.force_login(User.objects.get(username="jiaozuo"))
    response = client.get(reverse("projects:funding"))
    regions = {row["project__region__name"]: row for row in response.context["regions"]}
    assert set(regions) == {"解放区", "山阳区"}
    assert str(regions["山阳区"]["received"]) == "35000.00"
    assert "按地区" in response.content.decode()
    client.force_login(User.objects.get(username="shanyang"))
    context = client.get(reverse("projects:funding")).context
    assert str(context["total"]["received"]) == "35000.00"
    assert [row["project__region__name"] for row in context["regions"]] == ["山阳区"]
