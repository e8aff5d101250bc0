"""The OpenAPI 3 schema validates and describes every endpoint in Chinese; Swagger UI and
Redoc come from this server, with nothing from another host."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from tests.api.conftest import JIEFANG, bearer, token_of
from tests.conftest import setup_demo
from tests.test_csp import Inline, policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db):
    setup_demo(year=2013)
    return token_of(JIEFANG)


def test_the_schema_is_valid_openapi_3_with_every_endpoint(client, key):
    response = client.get(reverse("api:schema"), **bearer(key))
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid schema
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/projects/",
        "/api/v1/projects/{code}/",
        "/api/v1/progress/",
        "/api/v1/regions/",
        "/api/v1/problems/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/packet.pdf",
        "/api/v1/meetings/{id}/minutes.docx",
        "/api/v1/meetings/{id}/bulletin.docx",
        "/api/v1/photos/{id}/",
    }
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_schema_describes_the_fields_and_parameters_in_chinese(client, key):
    schema = client.get(reverse("api:schema"), **bearer(key)).json()
    progress = schema["components"]["schemas"]["Progress"]["properties"]
    assert progress["total_investment"]["description"] == "总投资（万元）。"
    assert progress["time_schedule"]["description"] == "序时进度（%）。"
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/progress/"]["get"]["parameters"]
    }
    assert {"year", "month", "region", "light", "updated_since", "cursor", "page_size"} <= set(
        parameters
    )
    assert "行政区划代码" in parameters["region"]["description"]
    assert schema["paths"]["/api/v1/progress/"]["get"]["summary"] == (
        "各项目当月进度（与重点项目进展情况表一致）"
    )


@pytest.mark.parametrize("name", ["api:swagger_ui", "api:redoc"])
def test_the_docs_pages_load_nothing_from_another_host(client, key, name):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    checker = Inline(nonce.group(1) if nonce else None)
    checker.feed(html)
    if name == "api:redoc":  # Redoc's own styles are inline (this page's policy allows them)
        checker.problems = [p for p in checker.problems if "<style>" not in p]
    assert checker.problems == []
    assert not re.search(r"https?://(?!testserver)", html)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert assets and all("drf_spectacular_sidecar" in asset for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert not any("http" in s for sources in policy(response).values() for s in sources)


def test_only_the_redoc_page_allows_inline_styles(client, key):
    client.force_login(User.objects.get(username="observer"))
    redoc = policy(client.get(reverse("api:redoc")))
    swagger = policy(client.get(reverse("api:swagger_ui")))
    assert redoc["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in str(swagger)
    assert redoc["script-src"][0] == swagger["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in redoc["script-src"]


def test_the_docs_pages_send_an_anonymous_visitor_to_sign_in(client, key):
    for name in ("api:swagger_ui", "api:redoc"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_redocs_script_asks_nothing_of_another_host(client, key):
    """Redoc's footer logo came from cdn.redoc.ly; the script this server hands out draws it
    from here."""
    client.force_login(User.objects.get(username="office"))
    redoc = client.get(reverse("api:redoc")).text
    script = client.get(reverse("api:redoc_js"))
    assert reverse("api:redoc_js") in redoc
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    body = b"".join(script.streaming_content) if script.streaming else script.content
    assert b"cdn.redoc.ly" not in body and b"redoc-logo-mini.svg" in body
