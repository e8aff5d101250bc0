"""The project's management commands as cron and systemd run them: through execute(), with
Django's system checks, not call_command's shortcut."""

import inspect
import pkgutil
from importlib import import_module

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

import projects.management.commands as commands
from projects.models import MonthlyReport, ProjectProgress


def project_commands():
    for module in pkgutil.iter_modules(commands.__path__):
        yield module.name, import_module(f"{commands.__name__}.{module.name}").Command


@pytest.mark.parametrize("name, command", list(project_commands()))
def test_no_command_shadows_a_method_of_base_command(name, command):
    """A command that overrides a BaseCommand method (check, execute, run_from_argv...) by
    accident changes how every run starts: only the documented hooks may be defined."""
    hooks = {"add_arguments", "handle", "create_parser", "get_version"}
    base = {
        attribute
        for attribute, value in inspect.getmembers(BaseCommand)
        if callable(value) and not attribute.startswith("__")
    }
    own = {attribute for attribute in vars(command) if callable(vars(command)[attribute])}
    assert own & base <= hooks, f"{name} overrides {sorted(own & base - hooks)}"


def test_a_drifted_table_is_repaired_by_the_nightly_run_with_system_checks(demo, capsys):
    """With Django's system checks on (as `manage.py refresh_progress` runs), a table that
    differs from the engine does not stop the run; --rebuild repairs it; --check agrees."""
    call_command("refresh_progress", skip_checks=False)
    latest = MonthlyReport.objects.latest_period()
    row = ProjectProgress.objects.filter(year=latest.year, month=latest.month).first()
    ProjectProgress.objects.filter(pk=row.pk).update(ytd=row.ytd + 1)

    capsys.readouterr()
    call_command("refresh_progress", skip_checks=False)  # the nightly run: no refusal
    assert capsys.readouterr().err == ""

    call_command("refresh_progress", "--rebuild", skip_checks=False)
    repaired = ProjectProgress.objects.get(
        project=row.project_id, year=latest.year, month=latest.month
    )
    assert repaired.ytd == row.ytd
    call_command("refresh_progress", "--check", skip_checks=False)
    assert _("The progress table agrees with the engine.") in capsys.readouterr().out
