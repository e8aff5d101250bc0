"""Migration 0046 gives the register's projects a stage from what they held."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("projects", "0045_life_stats_factors_funding")]
AFTER = [("projects", "0046_project_stages")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_projects_get_a_stage_from_their_status_and_dates():
    apps = migrate(BEFORE)
    try:
        Region, Zone, Project = (
            apps.get_model("projects", n) for n in ("Region", "Zone", "Project")
        )
        city = Region.objects.create(name="市", code="419900", kind="city", path="419900/")
        region = Region.objects.create(
            name="区", code="419901", kind="district", parent=city, path="419900/419901/"
        )
        zone = Zone.objects.create(name="区一", region=region)
        this_year = datetime.date.today().year
        for code, status, start, done in [
            ("M-DONE", "under_construction", datetime.date(2012, 1, 1), datetime.date(2013, 1, 1)),
            ("M-OLD", "under_construction", datetime.date(2012, 1, 1), None),
            ("M-NEW", "under_construction", datetime.date(this_year, 1, 1), None),
            ("M-BUILD", "under_construction", None, None),
            ("M-PLAN", "planning", None, None),
            ("M-STATUS", "completed", None, None),
        ]:
            Project.objects.create(
                code=code,
                name=code,
                zone=zone,
                region=region,
                total_investment=1,
                status=status,
                actual_start=start,
                actual_completion=done,
            )
        apps = migrate(AFTER)
        stages = dict(apps.get_model("projects", "Project").objects.values_list("code", "stage"))
        assert stages == {
            "M-DONE": "completed",
            "M-OLD": "continuing",
            "M-NEW": "new_start",
            "M-BUILD": "continuing",
            "M-PLAN": "preparation",
            "M-STATUS": "completed",
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
