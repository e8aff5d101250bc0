"""The progress table's columns, and its models reached through the project model's
relations (the engine imports no model module: it is handed the project model)."""

from typing import Any

# The project model, handed in (the engine imports no model module); its managers and the
# tables reached through its relations are the project's, so typed loosely.
ModelType = Any

# The engine's figures the table holds, in its column order.
FIGURES = (
    "annual_plan",
    "month_amount",
    "ytd",
    "cumulative",
    "planned_to_date",
    "completion_rate",
    "time_schedule",
    "gap",
    "earliest_overdue",
    "overdue_milestones",
    "max_delay",
    "next_milestone",
    "next_milestone_date",
    "open_problems",
    "overdue_problems",
    "light_rank",
)
# What the table keeps of the month's report (ProjectQuerySet.with_report_state).
REPORT_STATE = ("report_expected", "report_missing", "report_on_time")
# Beside the figures, each row keeps what the totals group by and add up.
KEPT = ("zone_id", "lead_official_id", "total_investment", *REPORT_STATE)


def models_of(project_model: ModelType) -> tuple[ModelType, ModelType]:
    rows = project_model._meta.get_field("progress_rows").related_model
    periods = rows._meta.apps.get_model(rows._meta.app_label, "ProgressPeriod")
    return rows, periods
