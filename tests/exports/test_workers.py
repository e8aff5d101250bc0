"""Several task workers on one database (PostgreSQL in CI's second run, an SQLite file in the
first) take each task once: eight exports queued, two `db_worker` processes started at the
same moment, every workbook built once by one of them."""

import json
import subprocess
import sys

import pytest

from tests.operations.test_deploy import ROOT, manage, serve_env, shared_database

QUEUE = """
from projects.exports import jobs
from django.contrib.auth.models import User
from projects.models import Project
from projects.progress.period import Period
office = User.objects.get(username="office")
for zone in Project.objects.values_list("zone", flat=True).distinct():
    for unit in ("万元", "亿元"):
        jobs.queue(office, "progress", Period(2013, 5), f"zone={zone}", 6000, unit=unit)
"""

REPORT = """
import json
from django_tasks_db.models import DBTaskResult
from projects.models import ExportJob
print(json.dumps({
    "jobs": sorted(ExportJob.objects.values_list("status", flat=True)),
    "claims": [len(r.worker_ids) for r in DBTaskResult.objects.all()],
    "workers": sorted({w for r in DBTaskResult.objects.all() for w in r.worker_ids}),
}))
"""


@pytest.mark.slow
def test_two_workers_take_each_task_once(tmp_path):
    with shared_database(tmp_path) as database_url:
        env = serve_env(database_url)
        manage(env, "migrate", "-v0")
        manage(env | {"DEBUG": "1"}, "setup_demo", "--year", "2013")
        manage(env | {"JIEFANG_EXPORTS_WAITING_PER_USER": "20"}, "shell", "-v0", "-c", QUEUE)
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
                + ["--no-startup-delay", "--interval", "0", "--worker-id", name],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("one", "two")
        ]
        for worker in workers:
            _out, errors = worker.communicate(timeout=300)
            assert worker.returncode == 0, errors
        state = json.loads(manage(env, "shell", "-v0", "-c", REPORT).stdout.splitlines()[-1])
    assert len(state["jobs"]) >= 6 and set(state["jobs"]) == {"done"}
    assert state["claims"] == [1] * len(state["jobs"])  # no task was taken twice
    assert set(state["workers"]) <= {"one", "two"}
