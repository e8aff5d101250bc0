"""登录锁定 between two districts and their city (setup_demo --city): a district's office sees
and unlocks its own accounts' locked log-ins, never a sibling's; the city sees its districts'
and the names that are nobody's account."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import setup_demo
from tests.test_permissions import locked_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def listed(client, username):
    client.force_login(User.objects.get(username=username))
    page = client.get(reverse("projects:lockouts"))
    assert page.status_code == 200
    return sorted(attempt.username for attempt in page.context["attempts"])


def test_each_office_sees_and_unlocks_its_own_accounts_only(client, city):
    shanyang = locked_attempt("shanyang")
    jiefang = locked_attempt("chenlixin")
    locked_attempt("nobody-at-all")
    assert listed(client, "office") == ["chenlixin"]
    assert listed(client, "shanyang") == ["shanyang"]
    assert listed(client, "jiaozuo") == ["chenlixin", "nobody-at-all", "shanyang"]

    # 解放区's office cannot unlock 山阳区's account: nothing changes.
    client.force_login(User.objects.get(username="office"))
    assert client.post(reverse("projects:lockouts"), shanyang).status_code == 404
    assert AccessAttempt.objects.filter(username="shanyang").exists()
    response = client.post(reverse("projects:lockouts"), jiefang)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="chenlixin").exists()


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_the_admins_pages_of_log_ins_are_scoped_alike(client, city, model):
    """The admin's pages of django-axes' records show a district's office its own accounts'
    log-ins only: 山阳区's username and address never reach 解放区's office."""
    from axes.models import AccessFailureLog, AccessLog

    locked_attempt("shanyang")
    locked_attempt("chenlixin")
    for username in ("shanyang", "chenlixin"):
        AccessLog.objects.create(username=username, ip_address="10.9.9.9", user_agent="")
        AccessFailureLog.objects.create(
            username=username, ip_address="10.9.9.9", user_agent="", locked_out=False
        )
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse(f"admin:axes_{model}_changelist"))
    assert page.status_code == 200
    seen = {row.username for row in page.context["cl"].result_list}
    assert "chenlixin" in seen and "shanyang" not in seen
    client.force_login(User.objects.get(username="jiaozuo"))
    page = client.get(reverse(f"admin:axes_{model}_changelist"))
    assert {"chenlixin", "shanyang"} <= {row.username for row in page.context["cl"].result_list}
