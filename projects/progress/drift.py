"""Where the progress table departs from the engine: `manage.py refresh_progress --check`
and the tests compare every row and total with what the engine computes now."""

from typing import Any

from . import ledger
from .columns import FIGURES, KEPT, ModelType, models_of
from .period import Period


def disagreements(project_model: ModelType, period: Period) -> list[tuple[Any, str, Any, Any]]:
    """Where the stored month differs from the engine's figures now: [(project pk or total's
    group, figure, stored, engine)]. Empty when the table and its totals agree."""
    rows, _periods = models_of(project_model)
    month = rows.objects.filter(year=period.year, month=period.month)
    stored = {row[0]: row[1:] for row in month.values_list("project_id", *FIGURES, *KEPT)}
    found: list[tuple[Any, str, Any, Any]] = []
    engine = (
        project_model.objects.with_progress(period)
        .with_report_state(period)
        .values_list("pk", *FIGURES, *KEPT)
    )
    for pk, *figures in engine.iterator(chunk_size=5000):
        kept = stored.pop(pk, None)
        if kept is None:
            found.append((pk, "row", None, "missing"))
            continue
        for name, mine, theirs in zip((*FIGURES, *KEPT), kept, figures, strict=True):
            if mine != theirs:
                found.append((pk, name, mine, theirs))
    found.extend((pk, "row", "extra", None) for pk in stored)
    # The totals against the rows they add up.
    kept = {
        tuple(key[:4]): dict(zip((*ledger.TOTALLED, *ledger.COUNTED), key[4:], strict=True))
        for key in ledger.model(project_model)
        .objects.filter(year=period.year, month=period.month)
        .values_list(
            "year", "month", "zone_id", "lead_official_id", *ledger.TOTALLED, *ledger.COUNTED
        )
    }
    for key, sums in ledger.add_up(month).items():
        held = kept.pop(key, dict.fromkeys(sums, 0))
        found.extend(
            (key, name, held[name], value) for name, value in sums.items() if held[name] != value
        )
    for key, held in kept.items():  # groups with no project left hold nothing
        found.extend((key, name, value, 0) for name, value in held.items() if value)
    return found
