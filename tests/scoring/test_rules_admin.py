"""The office keeps its 考核办法 in the admin: a rule names a registered measure, one rule a
measure and day, and a district's office sees only its own region's rules."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Region, ScoreRule
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db


def form(**fields):
    return {
        "region": Region.objects.get(code="410802").pk,
        "period": "quarter",
        "valid_from": "2013-07-01",
        "measure": "gap",
        "weight": "40",
    } | fields


def test_the_office_adds_a_rule_and_nonsense_is_refused_in_chinese(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    url = reverse("admin:projects_scorerule_add")
    assert client.post(url, form()).status_code == 302
    assert ScoreRule.objects.filter(valid_from="2013-07-01", measure="gap", weight=40).exists()
    count = ScoreRule.objects.count()
    for bad, message in (
        (form(), "本地区该考核项在同一起用日期已有规则"),
        (form(measure="luck"), "选择一个有效的选项"),
        (form(weight="-5"), "大于或等于"),
    ):
        response = client.post(url, bad)
        assert response.status_code == 200 and message in response.content.decode()
    assert ScoreRule.objects.count() == count


def test_a_district_sees_only_its_own_rules(client):
    setup_demo(year=2013, city=True)
    client.force_login(User.objects.get(username="shanyang"))
    response = client.get(reverse("admin:projects_scorerule_changelist"))
    shown = response.context["cl"].queryset
    assert shown.count() == ScoreRule.objects.filter(region__code="410811").count() > 0
    theirs = ScoreRule.objects.filter(region__code="410802").first()
    change = reverse("admin:projects_scorerule_change", args=[theirs.pk])
    assert client.get(change).status_code in (302, 404)
