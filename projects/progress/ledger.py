"""The progress table's totals per month, zone and lead official (ProgressTotal), kept like
a ledger: a month is added up anew when it is built, and every recompute moves the totals by
the difference between its projects' rows before and after (see store.py)."""

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from .lights import LIGHT_NAMES

# What a total (ProgressTotal) adds up over its group's rows.
TOTALLED = (
    "total_investment",
    "annual_plan",
    "month_amount",
    "ytd",
    "cumulative",
    "planned_to_date",
)
COUNTED = {
    "projects": Q(),
    **{f"lights_{name}": Q(light_rank=rank) for rank, name in LIGHT_NAMES.items()},
    "missing_reports": Q(report_missing=True),
    "reports_expected": Q(report_expected=True),
    "reports_on_time": Q(report_on_time=True),
}


def model(project_model):
    rows = project_model._meta.get_field("progress_rows").related_model
    return rows._meta.apps.get_model(rows._meta.app_label, "ProgressTotal")


def added_up(rows):
    """These table rows added up per month, zone and lead official, in ProgressTotal's
    columns: (year, month, zone_id, lead_official_id, *TOTALLED, *COUNTED)."""
    money = DecimalField(max_digits=18, decimal_places=2)
    sums = {
        f"sum_{name}": Coalesce(Sum(name), Value(0), output_field=money) for name in TOTALLED
    }  # 0 for a group whose projects have no plan
    counts = {f"count_{name}": Count("pk", filter=rule) for name, rule in COUNTED.items()}
    return (
        rows.order_by()
        .values("year", "month", "zone_id", "lead_official_id")
        .annotate(**sums, **counts)
        .values_list("year", "month", "zone_id", "lead_official_id", *sums, *counts)
    )


def add_up(rows):
    """{(year, month, zone_id, lead_official_id): {field: value}} of these table rows."""
    return {
        tuple(group[:4]): {
            name: value for name, value in zip((*TOTALLED, *COUNTED), group[4:], strict=True)
        }
        for group in added_up(rows)
    }


def _group(key):
    year, month, zone_id, lead_official_id = key
    return {"year": year, "month": month, "zone_id": zone_id, "lead_official_id": lead_official_id}


def move(project_model, before, after):
    """Move the totals by the difference between some projects' rows before and after."""
    totals = model(project_model)
    # In one order, so that two writers never wait for each other's totals in a circle.
    for key in sorted(set(before) | set(after), key=lambda key: (*key[:3], key[3] or 0)):
        old, new = before.get(key, {}), after.get(key, {})
        change = {name: new.get(name, 0) - old.get(name, 0) for name in (*TOTALLED, *COUNTED)}
        if not any(change.values()):
            continue
        group = totals.objects.filter(**_group(key))
        moved = {name: F(name) + value for name, value in change.items() if value}
        if not group.update(**moved):
            # A group's first project: the unique index makes a concurrent writer's insert
            # of the same group wait, then do nothing; both then add their difference.
            totals.objects.bulk_create([totals(**_group(key))], ignore_conflicts=True)
            group.update(**moved)
