"""The monthly ranking's boards under a region's monthly score rules: each entity's points
per measure, from the same registry as the quarterly score (register/ranking.py ranks
them and keeps its own measures when no rule is in force)."""

from django.utils.translation import gettext as _

from .measures import Figures, Window, label_of
from .scores import score_entities


def monthly_boards(period, projects, rules, today=None):
    """({kind: [(key, name, {measure: points}, {measure: value})]}, notes) of `period`."""
    figures = Figures(Window.month(period), projects, today)
    boards = {}
    for kind in ("official", "zone", "unit", "district"):
        boards[kind] = [
            (
                score.key,
                score.name,
                {line.measure: line.points for line in score.lines if line.applies},
                {line.measure: line.value for line in score.lines if line.applies},
            )
            for score in score_entities(figures, kind, rules)
        ]
    scored = {name for board in boards.values() for *_k, points, _v in board for name in points}
    notes = [
        _("%(measure)s has no figures for %(period)s yet: it is not scored.")
        % {"measure": label_of(rule.measure), "period": period.label}
        for rule in rules
        if rule.measure not in scored
    ]
    return boards, notes
