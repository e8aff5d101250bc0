"""While the database cannot be reached, pages answer 503 with a Chinese page and Retry-After
(a restart of PostgreSQL under load answered 500s before)."""

import contextlib
import socket

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from projects.operations.unavailable import database_unreachable


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def unreachable_database():
    """The real connection pointed at a database that cannot be opened: a closed port on
    PostgreSQL, a file in a folder that does not exist on SQLite."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    else:
        connection.settings_dict["NAME"] = "/nonexistent-folder/jiefang.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(demo_users):
    browser = Client(raise_request_exception=False)
    browser.force_login(User.objects.get(username="office"))
    anonymous = Client(raise_request_exception=False)
    with unreachable_database():
        answers = [
            browser.get(reverse("projects:dashboard")),
            browser.post(reverse("projects:lockouts"), {"attempt": "1"}),
            anonymous.post(reverse("login"), {"username": "office", "password": "x"}),
        ]
    for response in answers:
        assert response.status_code == 503
        assert response["Retry-After"] == "10"
        assert "数据库暂时无法连接" in response.content.decode()
    # Back as soon as the database is.
    assert browser.get(reverse("projects:dashboard")).status_code == 200


@pytest.mark.django_db
def test_an_error_on_a_working_connection_is_not_called_unavailable():
    """A missing table is a fault of the site, not the database being away: it stays a 500."""
    with pytest.raises(DatabaseError) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert not database_unreachable(raised.value)
    assert not database_unreachable(ValueError("not the database"))
