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
    """BEHIND_HTTPS_PROXY=1 with JIEFANG_TRUSTED_PROXIES naming the proxy's address."""
    settings.JIEFANG_TRUSTED_PROXIES = [PROXY]


def post_login(username, password, peer, forwarded=None):
    """A log-in from `peer` (REMOTE_ADDR), with the X-Forwarded-For header it sent if any."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        **headers,
    )


@pytest.mark.parametrize("appending", [False, True], ids=["direct-to-gunicorn", "appending-proxy"])
def test_a_forged_forwarded_for_neither_dodges_the_lockout_nor_locks_out_another(
    demo_users, behind_proxy, appending
):
    """A client at 10.1.1.66 writes its own X-Forwarded-For, either straight to gunicorn or
    through a proxy that appends the address it sees: 30 wrong passwords with a new address
    each time lock that client out (the right password then fails too), and 5 wrong passwords
    sent with the office's address do not lock the office out."""
    attacker, office = "10.1.1.66", "10.1.1.20"

    def attack(username, password, forged):
        if appending:
            return post_login(username, password, PROXY, f"{forged}, {attacker}")
        return post_login(username, password, attacker, forged)

    answers = [attack("observer", "wrong", f"172.16.{n}.{n}").status_code for n in range(30)]
    assert answers[:4] == [200] * 4 and set(answers[4:]) == {429}
    assert attack("observer", "jiefang-demo-2013", "172.16.99.99").status_code == 429
    for _ in range(5):
        attack("office", "wrong", office)
    assert post_login("office", "jiefang-demo-2013", PROXY, office).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}


def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(rf, settings):
    from projects.operations.client_ip import client_ip

    settings.JIEFANG_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.8.0.0/16"]

    def address(peer, forwarded=None):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(rf.get("/", REMOTE_ADDR=peer, **headers))

    assert address("127.0.0.1", "10.1.1.5") == "10.1.1.5"
    assert address("127.0.0.1", "6.6.6.6, 10.1.1.5") == "10.1.1.5"
    assert address("::1", "6.6.6.6, 10.1.1.5, 10.8.3.4") == "10.1.1.5"  # two proxies
    assert address("127.0.0.1", "2001:db8::7") == "2001:db8::7"
    assert address("127.0.0.1") == "127.0.0.1"
    assert address("127.0.0.1", "6.6.6.6, not-an-address") == "127.0.0.1"
    assert address("10.1.1.5", "6.6.6.6") == "10.1.1.5"  # not a proxy: header ignored
    assert address("::ffff:10.1.1.5", "6.6.6.6") == "10.1.1.5"
    settings.JIEFANG_TRUSTED_PROXIES = []  # without BEHIND_HTTPS_PROXY: never read
    assert address("127.0.0.1", "6.6.6.6") == "127.0.0.1"


def test_a_log_in_name_longer_than_any_account_is_refused_before_it_is_recorded(
    demo_users, behind_proxy
):
    """A 300-character name answers the normal error (no 500 on PostgreSQL, whose axes column
    holds 255); nothing is recorded, and what axes would record of one is cut to 255."""
    from projects.operations.client_ip import login_name

    response = post_login("x" * 300, "wrong", PROXY, "10.1.1.40")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert len(login_name(None, {"username": "y" * 300})) == 255
    # The admin's log-in page goes through axes with the same cut.
    response = Client().post(
        reverse("admin:login"),
        {"username": "z" * 300, "password": "wrong"},
        REMOTE_ADDR="10.1.1.41",
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "z" * 255


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
    # The page's queries, and the account's region and the districts (the scope).
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:lockouts")).status_code == 200
