"""Who may read the API: a token of a read-only account, or a signed-in user; nobody else,
and nobody may write."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from projects.models import ApiToken, Meeting, Project, ReportPhoto
from tests.api.conftest import JIEFANG, bearer, token_of

pytestmark = pytest.mark.django_db

# Every endpoint of the API, with the arguments of one of 解放区's objects.
ENDPOINTS = {
    "api:project_list": lambda: [],
    "api:project_detail": lambda: ["JF2013-001"],
    "api:progress_list": lambda: [],
    "api:region_list": lambda: [],
    "api:problem_list": lambda: [],
    "api:meeting_list": lambda: [],
    "api:photo": lambda: [photo().pk],
    "api:meeting_packet": lambda: [meeting().pk],
    "api:meeting_minutes": lambda: [meeting().pk],
    "api:meeting_bulletin": lambda: [meeting().pk],
    "api:schema": lambda: [],
}
DOCS = {"api:swagger_ui", "api:redoc", "api:redoc_js"}


def photo():
    report = Project.objects.get(code="JF2013-001").reports.get(year=2013, month=5)
    return ReportPhoto.objects.create(
        report=report, image="photos/a.jpg", thumbnail="photos/a-t.jpg", width=1, height=1
    )


def meeting():
    return Meeting.objects.get(region__code=JIEFANG, year=2013, month=5)


def urls():
    return {name: reverse(name, args=args()) for name, args in ENDPOINTS.items()}


def test_every_url_of_the_api_is_tested_here():
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                yield f"api:{pattern.name}"

    assert set(walk(get_resolver().url_patterns, None)) == set(ENDPOINTS) | DOCS


def test_anonymous_gets_401_with_a_chinese_detail_everywhere(client, city):
    for name, url in urls().items():
        response = client.get(url)
        assert response.status_code == 401, name
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert "身份认证" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_every_other_method_than_get_answers_405(client, tokens, method):
    for name, url in urls().items():
        response = getattr(client, method)(url, **bearer(tokens[JIEFANG]))
        assert response.status_code == 405, (name, method)
        assert "不被允许" in response.json()["detail"]
    assert Project.objects.filter(code="JF2013-001").exists()


def test_a_signed_in_user_posting_with_the_session_gets_405_not_a_csrf_error(city):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="office"))
    assert client.post(reverse("api:project_list")).status_code == 405


def test_a_role_that_does_not_read_the_register_gets_403(client, city):
    key = token_of(JIEFANG, role="unit_contact")
    for name, url in urls().items():
        if name == "api:schema":
            continue  # the schema describes the API to any signed-in client
        response = client.get(url, **bearer(key))
        assert response.status_code == 403, name
        assert response.json()["detail"] == "你的账号无权读取项目台账。"


def test_an_account_without_a_role_gets_403(client, city):
    key = token_of(JIEFANG, role=None)
    assert client.get(reverse("api:project_list"), **bearer(key)).status_code == 403


def test_a_token_reads_every_endpoint_and_its_last_use_is_kept(client, tokens):
    for name, url in urls().items():
        response = client.get(url, {"year": 2013, "month": 5}, **bearer(tokens[JIEFANG]))
        # The photo's file was never written: its row is visible, the file answers 404.
        assert response.status_code == (404 if name == "api:photo" else 200), name
    token = ApiToken.objects.get(key_prefix=tokens[JIEFANG][:8])
    assert token.last_used_at is not None


def test_a_wrong_or_revoked_token_gets_401(client, tokens):
    url = reverse("api:project_list")
    response = client.get(url, **bearer("jf_not-a-token"))
    assert response.status_code == 401 and "令牌" in response.json()["detail"]
    ApiToken.objects.filter(key_prefix=tokens[JIEFANG][:8]).update(revoked_at="2026-01-01T00:00Z")
    assert client.get(url, **bearer(tokens[JIEFANG])).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer").status_code == 401


def test_only_the_digest_of_a_token_is_kept(tokens):
    key = tokens[JIEFANG]
    token = ApiToken.objects.get(key_prefix=key[:8])
    assert key not in (token.key_digest, token.key_prefix) and len(token.key_digest) == 64


def test_a_signed_in_user_reads_with_the_session(client, city):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("api:project_list"))
    assert response.status_code == 200
    assert {row["region"]["code"] for row in response.json()["results"]} == {JIEFANG}


def test_the_command_makes_a_read_only_account_of_the_region_and_prints_the_token_once(
    client, city
):
    out = io.StringIO()
    call_command(
        "api_token", "create", "--region", JIEFANG, "--name", "焦作市发改委平台", stdout=out
    )
    key = re.search(r"jf_[-\w]+", out.getvalue()).group()
    token = ApiToken.objects.get(name="焦作市发改委平台")
    assert token.user.profile.region.code == JIEFANG
    assert list(token.user.groups.values_list("name", flat=True)) == ["observer"]
    assert client.get(reverse("api:project_list"), **bearer(key)).status_code == 200
    call_command("api_token", "revoke", token.key_prefix, stdout=io.StringIO())
    assert client.get(reverse("api:project_list"), **bearer(key)).status_code == 401


def test_the_office_creates_a_token_in_the_admin_and_sees_it_once(client, city):
    client.force_login(User.objects.get(username="office"))
    account = User.objects.get(username="observer")
    response = client.post(
        reverse("admin:projects_apitoken_add"),
        {"name": "市调度平台", "user": account.pk},
        follow=True,
    )
    assert response.status_code == 200
    key = re.search(r"jf_[-\w]+", response.content.decode()).group()
    assert key not in client.get(reverse("admin:projects_apitoken_changelist")).content.decode()
    client.logout()
    assert client.get(reverse("api:project_list"), **bearer(key)).status_code == 200


def test_a_token_polling_too_fast_is_told_to_wait(client, tokens, monkeypatch):
    """The rate is per token: another system's token is not held back."""
    from projects.api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "2/hour"})
    url = reverse("api:project_list")
    assert client.get(url, **bearer(tokens[JIEFANG])).status_code == 200
    assert client.get(url, **bearer(tokens[JIEFANG])).status_code == 200
    response = client.get(url, **bearer(tokens[JIEFANG]))
    assert response.status_code == 429 and "Retry-After" in response
    assert any("\u4e00" <= char <= "\u9fff" for char in response.json()["detail"])
    assert client.get(url, **bearer(tokens["410811"])).status_code == 200


def test_the_office_manages_only_its_regions_tokens_in_the_admin(client, tokens):
    """解放区's office sees and makes tokens of 解放区's accounts, never of 山阳区's."""
    client.force_login(User.objects.get(username="office"))
    changelist = client.get(reverse("admin:projects_apitoken_changelist")).content.decode()
    assert "系统410802" in changelist
    assert "系统410811" not in changelist and "系统410800" not in changelist
    sibling = User.objects.get(username="shanyang")
    response = client.post(
        reverse("admin:projects_apitoken_add"), {"name": "越权", "user": sibling.pk}
    )
    assert response.status_code == 200  # the form again, with the choice refused
    assert not ApiToken.objects.filter(name="越权").exists()
