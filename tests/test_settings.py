"""Settings come from the environment; the documented production set passes check --deploy."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "x7$k2!q9-production-like-secret-key-with-enough-entropy-2013-jiefang",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "xm.jiefang.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_HTTPS_PROXY": "1",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "JIEFANG_TESTING", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_documented_production_configuration_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    """The app server will not start; check --deploy names the problem."""
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "JIEFANG_TESTING", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    served = subprocess.run(
        [sys.executable, "-c", "import jiefang.wsgi"],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0 and "Set SECRET_KEY" in served.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stdout + result.stderr


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


@pytest.mark.slow
def test_forwarded_for_is_believed_only_from_the_proxys_own_address():
    """Behind the proxy the header is read from loopback (the proxy on the same host) unless
    JIEFANG_TRUSTED_PROXIES says otherwise; without BEHIND_HTTPS_PROXY, from nobody."""
    show = "from django.conf import settings; print(settings.JIEFANG_TRUSTED_PROXIES)"
    result = manage("shell", "--no-imports", "-c", show, env=PRODUCTION)
    assert result.stdout.strip() == "['127.0.0.1', '::1']", result.stderr
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        env=PRODUCTION | {"JIEFANG_TRUSTED_PROXIES": "10.8.0.2"},
    )
    assert result.stdout.strip() == "['10.8.0.2']", result.stderr
    result = manage(
        "shell", "--no-imports", "-c", show, env=PRODUCTION | {"BEHIND_HTTPS_PROXY": "0"}
    )
    assert result.stdout.strip() == "[]", result.stderr
