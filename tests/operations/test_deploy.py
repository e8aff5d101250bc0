"""Deployment: the health check, and two app servers sharing one database."""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db.utils import OperationalError

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch(
        "projects.operations.health.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.mark.django_db
def test_healthz_is_503_not_500_with_a_session_cookie(client, office_user):
    """A logged-in browser (or a balancer replaying a cookie) still gets 503: the check does
    not save the session in the database that is down."""
    client.force_login(office_user)
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


def test_connections_are_health_checked():
    """Kept connections are checked before use (CONN_HEALTH_CHECKS)."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dropped_postgresql_connection_is_replaced_before_the_next_request():
    """What a PostgreSQL restart does to a worker's kept connection: the server ends it. The
    next request (request_started closes unusable connections) must get a fresh one."""
    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite connections are files, not server sessions")
    import psycopg

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    close_old_connections()  # what request_started does in each worker
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection.info.backend_pid != pid


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client for a server on loopback."""

    def __init__(self, jar=None):
        self.jar = jar or http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        with self.opener.open(url, timeout=20) as response:
            return response.status, response.read().decode()

    def post(self, url, data, referer):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, body, headers={"Referer": referer})
        with self.opener.open(request, timeout=20) as response:
            return response.status, response.read().decode()


@contextlib.contextmanager
def shared_database(tmp_path):
    """The database both servers use: a fresh PostgreSQL database on the suite's server when
    the suite runs on PostgreSQL (as production does), an SQLite file otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"jiefang_two_servers_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *command):
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def two_servers(tmp_path):
    """Two gunicorn processes on loopback serving one database (PostgreSQL in CI's second run)."""
    with shared_database(tmp_path) as database_url:
        yield from serve_two(database_url)


def serve_env(database_url):
    """The environment of a server or worker process on `database_url`, as in production."""
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "JIEFANG_TESTING": "1",
        "SECRET_KEY": "two-servers-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
    }


def serve_two(database_url):
    env = serve_env(database_url)
    manage(env, "migrate", "-v0")
    manage(env | {"DEBUG": "1"}, "setup_demo", "--year", "2013")  # refused with DEBUG off
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jiefang.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports], env
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


@pytest.mark.slow
def test_two_app_servers_share_sessions_and_data(two_servers):
    """Log in on one server, carry on with the same session on the other, see each other's writes."""
    (a, b), _env = two_servers
    browser = Browser()
    browser.get(f"{a}/accounts/login/")
    status, html = browser.post(
        f"{a}/accounts/login/",
        {"username": "chenlixin", "password": "jiefang-demo-2013"},
        referer=f"{a}/accounts/login/",
    )
    assert status == 200 and "我的项目" in html
    # The same cookies on the other server: the session lives in the database.
    status, html = browser.get(f"{b}/my/?year=2013&month=5")
    assert status == 200 and "翰林国际旅游度假区一期" in html
    edit = re.search(r'href="(/reports/(\d+)/edit/)"', html)
    status, form = browser.get(f"{b}{edit.group(1)}")
    version = re.search(r'name="loaded_version" value="(\d+)"', form).group(1)
    status, html = browser.post(
        f"{b}{edit.group(1)}",
        {
            "amount": "2468.00",
            "physical_progress": "两台服务器",
            "problems": "",
            "loaded_version": version,
        },
        referer=f"{b}{edit.group(1)}",
    )
    assert status == 200 and "已保存" in html
    status, html = browser.get(f"{a}/projects/1/?year=2013&month=5")
    assert "两台服务器" in html and "2,468.00" in html


@pytest.mark.slow
def test_reminders_go_out_on_schedule_beside_two_servers(two_servers):
    """Each server's timer runs `send_reminders` at the same moment, on 17 June 2013: a problem
    of 焦北街道 is due in three working days, another is two weeks overdue (督办). Every digest
    is recorded once and e-mailed once through a real SMTP server, and a user sees the same
    bell on either server."""
    from tests.reminders.servers import SmtpServer

    (a, b), env = two_servers
    smtp = SmtpServer().start()
    try:
        env = env | {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port)}
        manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from django.contrib.auth.models import User\n"
            "for user in User.objects.all():\n"
            "    user.email = f'{user.username}@jf.test'\n"
            "    user.save()",
        )
        command = [sys.executable, "manage.py", "send_reminders", "--date", "2013-06-17"]
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        summary = manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from projects.models import Notification, Delivery\n"
            "print(Notification.objects.count(), Delivery.objects.filter(status='sent').count(),"
            " Delivery.objects.count())",
        ).stdout.split()
        notifications, sent, deliveries = map(int, summary)
        assert notifications >= 3 and sent == deliveries == notifications
        recipients = [address for to, _message in smtp.mailbox.messages for address in to]
        assert len(recipients) == len(set(recipients)) == notifications
        (mail,) = smtp.mailbox.to("jiaobei@jf.test")  # the unit's contact: due on the 20th
        assert "商户过渡安置场地不足" in mail.get_content()
        assert "须于2013年6月20日（星期四）前办结" in mail.get_content()
        (mail,) = smtp.mailbox.to("office@jf.test")  # 督办: the office hears of it
        assert "【督办】动漫产业园：“项目用地指标尚未落实，影响开工”" in mail.get_content()
        # A third run later that day sends nothing new.
        manage(env, "send_reminders", "--date", "2013-06-17")
        assert len(smtp.mailbox.messages) == notifications
    finally:
        smtp.stop()
    browser = Browser()
    browser.get(f"{a}/accounts/login/")
    browser.post(
        f"{a}/accounts/login/",
        {"username": "liuweidong", "password": "jiefang-demo-2013"},
        referer=f"{a}/accounts/login/",
    )
    for server in (a, b):
        status, html = browser.get(f"{server}/notifications/")
        assert status == 200 and '<span class="badge">1</span>' in html
        assert "项目用地指标尚未落实" in html
