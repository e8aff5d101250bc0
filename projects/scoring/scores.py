"""The quarterly score table (季度考核评分): each unit, official and district scored on the
measures of the rules in force for the quarter, with every step shown so that a score can be
checked by hand.

For an entity, each rule's measure gives a value and points out of 100 (measures.py). The
weights of the measures that apply to it (that have a figure for it) add up to W; each
measure's weighted points are points × weight ÷ W, rounded to two decimals; the score is the
sum of the weighted points as shown. With weights adding up to 100 and every measure
applying, weighted points are points × weight ÷ 100. A weight of 0 is shown and counts for
nothing; a measure without a figure for the entity is shown as — and left out of W.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from projects.models import Region, ScoreRule
from projects.progress.period import quantize

from .measures import REGISTRY, Figures, Window, label_of

BOARDS = (
    ("unit", _("Responsible units")),
    ("official", _("Lead officials")),
    ("district", _("Districts")),
)


@dataclass
class Line:
    """One measure of an entity's score: what a hand check reads across."""

    measure: str
    label: str
    weight: int
    value: Decimal | int | None = None
    detail: str = ""
    points: Decimal | None = None
    weighted: Decimal | None = None

    @property
    def applies(self):
        return self.points is not None

    @property
    def unit(self):
        found = REGISTRY.get(self.measure)
        return str(found.unit) if found else ""


@dataclass
class Score:
    key: int
    name: str
    lines: list
    total: Decimal | None = None
    rank: int | None = None

    @property
    def applied_weight(self):
        return sum((line.weight for line in self.lines if line.applies), 0)


@dataclass
class ScoreTable:
    window: Window
    rules: list
    boards: list = field(default_factory=list)  # [(kind, title, [Score])]

    @property
    def valid_from(self):
        return self.rules[0].valid_from if self.rules else None


def rules_region(projects, region=None):
    """The region whose rules judge `projects`: the one given, the region whose register
    they are, else the heading region (the single district)."""
    if region is not None:
        return region
    _whole, scoped = projects.whole_register()
    return scoped or Region.objects.heading()


def rules_in_force(region, period, window):
    return list(ScoreRule.objects.in_force(region, period, window.start))


def score_entities(figures, kind, rules):
    """[Score] of every entity of `kind` with a figure on some rule's measure, unranked."""
    # The rules whose measures judge this kind (a unit has no projects' figures).
    rules = [rule for rule in rules if kind in getattr(REGISTRY.get(rule.measure), "kinds", ())]
    results = {rule.measure: _compute(rule.measure, figures, kind) for rule in rules}
    names = figures.names(kind)
    keys = [key for key in names if any(key in found for found in results.values())]
    scores = []
    for key in keys:
        lines = []
        for rule in rules:
            line = Line(rule.measure, label_of(rule.measure), rule.weight)
            figure = results[rule.measure].get(key)
            if figure is not None:
                line.value, line.detail, line.points = figure
            lines.append(line)
        scores.append(_weigh(Score(key, names[key], lines)))
    return scores


def _compute(name, figures, kind):
    found = REGISTRY.get(name)
    return found(figures, kind) if found else {}


def _weigh(score):
    applied = score.applied_weight
    if not applied:
        return score
    for line in score.lines:
        if line.applies:
            line.weighted = quantize(line.points * line.weight / applied)
    score.total = sum((line.weighted for line in score.lines if line.applies), Decimal(0))
    return score


def ranked(scores):
    """Scores in order, best first; equal totals share a rank (1, 1, 3); none last."""
    scores = sorted(scores, key=lambda s: (s.total is None, -(s.total or 0), s.name))
    for index, score in enumerate(scores):
        if score.total is None:
            continue
        same = index and score.total == scores[index - 1].total
        score.rank = scores[index - 1].rank if same else index + 1
    return scores


def score_table(window, projects, region=None, today=None, several_districts=None):
    """The quarter's score table of `projects` under the rules in force for it; no boards
    when no quarterly rule is in force. Districts are scored when `projects` span several."""
    rules = rules_in_force(rules_region(projects, region), ScoreRule.Period.QUARTER, window)
    table = ScoreTable(window, rules)
    if not rules:
        return table
    figures = Figures(window, projects, today)
    for kind, title in BOARDS:
        scores = score_entities(figures, kind, rules)
        if kind == "district" and len(scores) < 2:
            continue
        table.boards.append((kind, title, ranked(scores)))
    return table
