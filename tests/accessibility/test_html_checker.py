"""The Nu HTML Checker (vnu.jar, the W3C validator's engine) finds no error on any page of any
demo role. .ci/run installs the jar from npm (vnu-jar) into .ci/vnu and Java from Debian;
elsewhere the test is skipped without them, unless JIEFANG_REQUIRE_BROWSER asks for the full
set of checks (as CI does)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from .crawl import Site
from .test_pages import ROLES

pytestmark = pytest.mark.django_db

JAR = Path(
    os.environ.get("JIEFANG_VNU_JAR")
    or Path(__file__).resolve().parents[2] / ".ci/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)


@pytest.fixture
def vnu():
    java = shutil.which("java")
    if java and JAR.exists():
        return [java, "-Xss8m", "-jar", str(JAR)]
    message = (
        "the Nu HTML Checker needs Java and vnu.jar "
        "(apt-get install default-jre-headless; npm install --prefix .ci/vnu vnu-jar)"
    )
    if os.environ.get("JIEFANG_REQUIRE_BROWSER"):
        pytest.fail(f"{message}: required here")
    pytest.skip(f"{message}: skipped")


@pytest.mark.slow
def test_the_html_checker_finds_no_error_on_any_page(client, demo_users, vnu, tmp_path):
    saved = {}
    response = client.get("/accounts/login/")
    saved["login.html"] = ("/accounts/login/", response.content)
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        for number, (link, html) in enumerate(Site(client).pages.items()):
            saved[f"{username}-{number}.html"] = (link, html.encode())
    for name, (_link, content) in saved.items():
        (tmp_path / name).write_bytes(content)
    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = [
        (saved[Path(m["url"]).name][0], m.get("lastLine"), m["message"])
        for m in messages
        if m["type"] == "error"
    ]
    assert len(saved) > 50
    assert errors == []
