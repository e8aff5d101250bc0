"""The project list's text search (code, name, owner): case-insensitive, `%` and `_` taken
literally, and on PostgreSQL answered from the trigram indexes of migration 0043."""

import pytest
from django.db import connection

from projects.models import Project
from projects.register.filters import ProjectFilterSet
from tests.conftest import make_project, make_projects

pytestmark = pytest.mark.django_db


def search(value):
    return ProjectFilterSet({"q": value}, queryset=Project.objects.order_by("code")).qs


def test_the_search_finds_code_name_and_owner_in_any_case(zone):
    make_project(zone, "JF-001", name="解放路改造", owner="Jiefang Construction")
    make_project(zone, "JF-002", name="山阳商城", owner="")
    make_project(zone, "XX-100%", name="百分_之百", owner="")
    assert [p.code for p in search("jf-00")] == ["JF-001", "JF-002"]
    assert [p.code for p in search("解放路")] == ["JF-001"]
    assert [p.code for p in search("CONSTRUCTION")] == ["JF-001"]
    # The wildcards of LIKE are searched for as they are.
    assert [p.code for p in search("100%")] == ["XX-100%"]
    assert [p.code for p in search("分_之")] == ["XX-100%"]
    assert [p.code for p in search("%")] == ["XX-100%"]
    assert not search("0_1").exists()


def test_the_search_reads_the_trigram_indexes(zone):
    """EXPLAIN of the search: each searched column is read through its trigram index, on
    UPPER(column) as Django writes icontains (the test table is small, so sequential scans
    are switched off: the planner then takes the index it finds best; it had none before)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the trigram indexes are PostgreSQL's")
    make_projects(zone, 60)
    sql, params = search("项目12").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on projects_project" not in plan, plan
    for column in ("code", "name", "owner"):
        assert f"Bitmap Index Scan on project_{column}_trgm" in plan, plan
