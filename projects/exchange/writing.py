"""Writing a checked import: everything in one transaction, set-based, with its change log.

Nothing is written unless every row is good.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import (
    AnnualPlan,
    MonthlyPlan,
    MonthlyReport,
    Project,
    StageChange,
    StaleVersion,
    refresh_progress,
)

from . import bulk
from .checking import Importer
from .reading import Problem, silent


def fingerprint(result):
    """What the check saw of the rows it matched in the register (to update or unchanged):
    each row's latest change-log record, {model label: {pk: history id}}. Every way of saving
    a row (forms, admin, imports) records one."""
    by_model = {}
    for _what, _number, _label, instance, _extra in [*result.update, *result.unchanged]:
        by_model.setdefault(type(instance), set()).add(instance.pk)
    seen = {}
    for model, pks in by_model.items():
        latest = dict(
            model.history.filter(id__in=pks)
            .values("id")
            .annotate(last=Max("history_id"))
            .values_list("id", "last")
        )
        seen[model._meta.label] = {str(pk): latest.get(pk) for pk in pks}
    return seen


def changed_since(result, expected):
    """Refuse, naming each, the rows saved by someone since the preview `expected` was taken."""
    now = fingerprint(result)
    for _what, number, label, instance, _extra in [*result.update, *result.unchanged]:
        model = instance._meta.label
        if expected.get(model, {}).get(str(instance.pk)) != now[model][str(instance.pk)]:
            result.errors.append(
                Problem(
                    _(
                        "%(label)s was changed by someone after the preview; nothing was "
                        "written. Upload the workbook again to see the change before importing."
                    )
                    % {"label": label},
                    row=number,
                )
            )


def run_import(kind, data, user=None, dry_run=True, progress=silent, expected=None):
    """Check a workbook and, unless dry_run or any row is bad, write it all in one transaction.

    Rows are written in bulk, each with its change-log record attributed to `user`; updated
    rows get a new version, so a form opened before the import cannot overwrite it, and a row
    saved by somebody else during the import fails it (nothing is written). `expected` is the
    preview's fingerprint: a row saved since the preview was shown fails it too.
    """
    importer = Importer(kind, user)
    result = importer.run(data, progress)
    if result.ok and expected is not None:
        changed_since(result, expected)
    if dry_run or not result.ok:
        return result
    grouped = {}
    for what, _number, _label, instance, _extra in result.create:
        grouped.setdefault((what, "create"), []).append(instance)
    for what, _number, _label, instance, changes in result.update:
        grouped.setdefault((what, "update"), []).append((instance, changes))
    try:
        with transaction.atomic():
            created = _create(Project, grouped.get(("project", "create"), []), user)
            stages = _stage_changes(created, grouped.get(("project", "update"), []), user)
            _update(Project, grouped.get(("project", "update"), []), user)
            StageChange.objects.bulk_create(stages, batch_size=bulk.BATCH)
            by_code = {project.code: project for project in created}
            plans = []
            for what, _number, _label, instance, extra in result.create:
                if what == "plan":
                    if instance.project_id is None:
                        instance.project = by_code[extra["code"]]
                    plans.append(instance)
            _create(AnnualPlan, plans, user)
            plan_updates = grouped.get(("plan", "update"), [])
            # A plan whose months alone change gets a new version too, so that an admin page
            # opened before the import cannot put the old months back.
            _update(
                AnnualPlan,
                [
                    (plan, {k: v for k, v in changes.items() if k != "months"})
                    for plan, changes in plan_updates
                ],
                user,
            )
            _replace_months([*plans, *(plan for plan, _changes in plan_updates)])
            reports = grouped.get(("report", "create"), [])
            for report in reports:
                report.submitted_by = user
            _create(MonthlyReport, reports, user)
            _update(MonthlyReport, grouped.get(("report", "update"), []), user)
            # Bulk writes send no signals: the progress table is brought up to date here.
            refresh_progress(
                instance.pk if isinstance(instance, Project) else instance.project_id
                for _what, _number, _label, instance, _extra in [*result.create, *result.update]
            )
    except (StaleVersion, IntegrityError):
        # Someone saved one of these rows between the check and the write.
        result.errors.append(
            Problem(
                _(
                    "Someone changed these records during the import; nothing was written. Import again."
                )
            )
        )
        return result
    result.written = True
    progress(
        _("Written: %(create)s new, %(update)s updated")
        % {"create": len(result.create), "update": len(result.update)},
        1,
    )
    return result


def _stage_changes(created, updates, user):
    """The stage changes an import makes, dated the day of the import and attributed to
    `user`: a new project's stage other than 前期, an existing project's new stage."""
    today = timezone.localdate()
    moved = {instance.pk: instance.stage for instance, changes in updates if "stage" in changes}
    before = dict(Project.objects.filter(pk__in=moved).values_list("pk", "stage"))
    return [
        StageChange(project_id=pk, changed_by=user, on=today, from_stage=old, to_stage=new)
        for pk, old, new in [
            *((p.pk, "", p.stage) for p in created if p.stage != Project.Stage.PREPARATION),
            *((pk, before[pk], stage) for pk, stage in moved.items()),
        ]
    ]


def _create(model, instances, user):
    if not instances:
        return []
    model.objects.bulk_create(instances, batch_size=bulk.BATCH)
    bulk.copy_to_history(model, [instance.pk for instance in instances], user, "+")
    return instances


def _update(model, pairs, user):
    """Write the changed rows set-based (the fields that changed in any row), then their
    change-log records. A row somebody saved since it was read makes the import fail."""
    if not pairs:
        return
    names = sorted({name for _instance, changes in pairs for name in changes})
    instances = [instance for instance, _changes in pairs]
    if bulk.update_rows(model, instances, names) != len(instances):
        raise StaleVersion(instances[0])
    bulk.copy_to_history(model, [instance.pk for instance in instances], user)


def _replace_months(plans):
    """Write the monthly split read for each plan (an empty split makes the plan linear)."""
    plans = [plan for plan in plans if getattr(plan, "import_months", None) is not None]
    if not plans:
        return
    MonthlyPlan.objects.filter(annual_plan__in=plans).delete()
    MonthlyPlan.objects.bulk_create(
        (
            MonthlyPlan(annual_plan=plan, month=month, amount=amount)
            for plan in plans
            for month, amount in enumerate(plan.import_months, start=1)
        ),
        batch_size=bulk.BATCH,
    )
