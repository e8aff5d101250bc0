"""A small register for the reminder tests, around 国庆节 2025, and the real servers."""

import datetime
import shutil
from decimal import Decimal

import pytest

from projects.models import Official, Problem, Project, Unit, Zone
from tests.conftest import report, user_in

from .servers import Robot, SmtpServer, certificate


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a loopback port, and Django's SMTP backend pointed at it."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def robot(settings):
    """A group robot on a loopback port, which the rules refuse: the tests list that one
    address and port in a setting that only the test suite can set (it is never read from
    the environment, and honoured only while JIEFANG_TESTING is set)."""
    server = Robot().start()
    settings.JIEFANG_WEBHOOK_TEST_SERVERS = {f"127.0.0.1:{server.port}"}
    yield server
    server.stop()


@pytest.fixture
def tls_robot(settings, tmp_path, monkeypatch):
    """A group robot over HTTPS with a certificate for 127.0.0.1, and `trust(True)` to make
    the system trust it (through SSL_CERT_FILE, which OpenSSL reads)."""
    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command")
    cert, key = certificate(tmp_path)
    server = Robot(tls=(cert, key)).start()
    settings.JIEFANG_WEBHOOK_TEST_SERVERS = {f"127.0.0.1:{server.port}"}
    server.trust = lambda: monkeypatch.setenv("SSL_CERT_FILE", cert)
    yield server
    server.stop()


@pytest.fixture
def unlisted_robot():
    """A robot on loopback that the tests do not list: what the rules see in production."""
    server = Robot().start()
    yield server
    server.stop()


class World:
    """Two projects of one official, both reported for August 2025, one for September and
    one not; a liaison;
    a unit with two contacts; a problem due on 2025-10-14."""

    def __init__(self):
        zone = Zone.objects.create(name="特色商业区", order=1)
        self.office = user_in("project_office", "office", email="office@jf.test")
        self.lead = user_in("lead_official", "lead", first_name="陈立新", email="lead@jf.test")
        self.liaison = user_in(
            "lead_official", "liaison", first_name="小李", email="liaison@jf.test"
        )
        self.contact = user_in("unit_contact", "contact", first_name="王科长", email="c1@jf.test")
        self.contact2 = user_in("unit_contact", "contact2", first_name="赵干事")
        self.official = Official.objects.create(name="陈立新", user=self.lead)
        self.unit = Unit.objects.create(name="焦北街道办事处", kind=Unit.Kind.STREET)
        self.unit.contacts.add(self.contact, self.contact2)
        self.late = Project.objects.create(
            code="JF-001",
            name="翰林国际旅游度假区",
            zone=zone,
            total_investment=Decimal("50000"),
            status=Project.Status.UNDER_CONSTRUCTION,
            lead_official=self.official,
        )
        self.late.liaisons.add(self.liaison)
        self.on_time = Project.objects.create(
            code="JF-002",
            name="唐人中心",
            zone=zone,
            total_investment=Decimal("100000"),
            status=Project.Status.UNDER_CONSTRUCTION,
            lead_official=self.official,
        )
        for project in (self.late, self.on_time):
            report(project, 2025, 8, "100")  # August is in: its late notices are not at stake
        report(
            self.on_time,
            2025,
            9,
            "100",
            submitted_at=datetime.datetime(2025, 10, 8, 10, tzinfo=datetime.UTC),
        )
        self.problem = Problem.objects.create(
            project=self.late,
            description="商户过渡安置场地不足",
            responsible_unit=self.unit,
            deadline=datetime.date(2025, 10, 14),
        )


@pytest.fixture
def world(db):
    return World()
