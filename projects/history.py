"""The change log (变更记录) of a project: its own history and that of its plans,
milestones, reports and problems, old → new, with who and when."""

from dataclasses import dataclass

from projects.models import AnnualPlan, Milestone, MonthlyReport, Problem, Project
from projects.models.base import person_name

IGNORED = {"version", "submitted_at"}


@dataclass
class Change:
    when: object
    user: object
    kind: str
    label: str
    action: str
    changes: list  # [(field verbose name, old, new)]


def _display(field, value):
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _delta_rows(model, delta):
    rows = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        rows.append((field.verbose_name, _display(field, change.old), _display(field, change.new)))
    return rows


def _changes(model, records):
    """Each record of one object with the changes since the record before it."""
    previous = None
    for record in records:
        rows = []
        if previous is not None and record.history_type == "~":
            rows = _delta_rows(model, record.diff_against(previous, excluded_fields=IGNORED))
        yield record, record.get_history_type_display(), rows
        previous = record


# How each kind of record names its object in the log, from its own fields (no query).
LABELS = {
    Project: lambda r: r.name,
    AnnualPlan: lambda r: f"{r.year}",
    Milestone: lambda r: r.name,
    MonthlyReport: lambda r: f"{r.year}-{r.month:02d}",
    Problem: lambda r: r.description[:30],
}


def project_history(project, limit=100):
    """The latest `limit` changes touching `project`, newest first, in a fixed number of queries."""
    sources = [
        (Project, Project.history.filter(id=project.pk)),
        (AnnualPlan, AnnualPlan.history.filter(project_id=project.pk)),
        (Milestone, Milestone.history.filter(project_id=project.pk)),
        (MonthlyReport, MonthlyReport.history.filter(project_id=project.pk)),
        (Problem, Problem.history.filter(project_id=project.pk)),
    ]
    entries = []
    for model, queryset in sources:
        by_object = {}
        for record in queryset.select_related("history_user").order_by("history_date"):
            by_object.setdefault(record.id, []).append(record)
        for records in by_object.values():
            for record, action, rows in _changes(model, records):
                if record.history_type == "~" and not rows:
                    continue
                entries.append(
                    Change(
                        when=record.history_date,
                        user=person_name(record.history_user),
                        kind=model._meta.verbose_name,
                        label=LABELS[model](record),
                        action=action,
                        changes=rows,
                    )
                )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def conflict_changes(instance, loaded_version):
    """What another editor changed since `loaded_version`: [(field, old, new)], and by whom."""
    model = type(instance)
    history = model.history.filter(id=instance.pk)
    before = history.filter(version=loaded_version).order_by("-history_date").first()
    after = history.order_by("-history_date").first()
    if before is None or after is None or after.pk == before.pk:
        return after, []
    return after, _delta_rows(model, after.diff_against(before, excluded_fields=IGNORED))
