"""Log-in lockout behind the reverse proxy, and the office's page to unlock accounts."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.test_permissions import locked_attempt

pytestmark = pytest.mark.django_db

PROXY = "192.168.10.1"  # every request arrives from the reverse proxy
USERS = ["office", "observer", "chenlixin", "liaison", "liuweidong", "wangjun", "zhaomin"]


def login(client, username, password, client_ip):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.fixture
def behind_proxy(settings):
    """What BEHIND_HTTPS_PROXY=1 sets (see jiefang/settings.py)."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def test_an_attacker_behind_the_proxy_locks_only_himself(client, demo_users, behind_proxy):
    """35 wrong passwords for seven accounts from one computer: that computer is locked out
    of those accounts, the officials at their own computers are not."""
    for username in USERS:
        for _ in range(5):
            login(Client(), username, "wrong", "10.1.1.66")
    assert login(Client(), "office", "jiefang-demo-2013", "10.1.1.66").status_code == 429
    assert login(Client(), "office", "jiefang-demo-2013", "10.1.1.20").status_code == 302
    assert login(Client(), "observer", "jiefang-demo-2013", "10.1.1.21").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.1.66"}


def test_the_office_unlocks_an_account_from_its_page(client, demo_users, behind_proxy):
    for _ in range(5):
        login(Client(), "observer", "wrong", "10.1.1.30")
    assert login(Client(), "observer", "jiefang-demo-2013", "10.1.1.30").status_code == 429
    office = User.objects.get(username="office")
    client.force_login(office)
    page = client.get(reverse("projects:lockouts"))
    html = page.content.decode()
    assert "observer" in html and "10.1.1.30" in html and "解除锁定" in html
    attempt = AccessAttempt.objects.get(username="observer")
    response = client.post(reverse("projects:lockouts"), {"attempt": attempt.pk}, follow=True)
    assert "observer 可以从 10.1.1.30 重新登录" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="observer").exists()
    entry = LogEntry.objects.latest("action_time")
    assert entry.user == office and "observer" in entry.change_message
    assert login(Client(), "observer", "jiefang-demo-2013", "10.1.1.30").status_code == 302


def test_unlocking_a_missing_attempt_is_a_404_and_changes_nothing(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    for value in ("999999", "²", "", "-1"):
        assert client.post(reverse("projects:lockouts"), {"attempt": value}).status_code == 404
    assert not LogEntry.objects.exists()


def test_the_menu_links_the_page_for_the_office_only(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    assert reverse("projects:lockouts") in client.get("/").content.decode()
    client.force_login(User.objects.get(username="observer"))
    assert reverse("projects:lockouts") not in client.get("/").content.decode()


def test_the_page_runs_the_same_queries_for_one_or_many_attempts(
    client, demo_users, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username="office"))
    for index in range(30):
        locked_attempt(f"user{index}")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("projects:lockouts")).status_code == 200
