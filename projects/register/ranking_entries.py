"""A ranking's entries and boards (the ranking's, register/ranking.py, and its kept record's,
register/ranking_record.py), its measures and their weights."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from projects.progress.period import Period
from projects.scoring.measures import label_of

MEASURES = {
    "gap": _("completion against the time schedule"),
    "lights": _("red and yellow lights"),
    "reports": _("reports on time"),
    "problems": _("problems closed by their deadline"),
}


@dataclass
class Entry:
    key: int
    name: str
    scores: dict
    score: Decimal | None = None
    rank: int | None = None
    previous_rank: int | None = None
    figures: dict = field(default_factory=dict)
    measures: tuple = tuple(MEASURES)

    @property
    def measure_scores(self):
        """[(measure's label, score or None)] in the order of the measures, for a table row."""
        return [(measure_label(name), self.scores.get(name)) for name in self.measures]

    @property
    def movement(self):
        """Places gained (positive) or lost since last month; None when unranked then."""
        if self.previous_rank is None or self.rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def movement_label(self):
        """较上月 as printed: ↑2 (up two places), ↓1, = (unchanged) or — (not ranked then)."""
        movement = self.movement
        if movement is None:
            return "—"
        if movement > 0:
            return f"↑{movement}"
        return f"↓{-movement}" if movement < 0 else "="


@dataclass
class Ranking:
    period: Period
    officials: list
    zones: list
    units: list
    notes: list
    # A city's (or any region's above districts): its districts on the same measures.
    districts: list = field(default_factory=list)
    # The measures shown and their weights: the rules' when some are in force.
    measures: tuple = tuple(MEASURES)
    weights: dict | None = None
    # Above the districts (regions_ranking): the regions directly beneath when they are not
    # districts themselves (a province's cities); officials, zones and units are then empty.
    regions: list = field(default_factory=list)
    above_districts: bool = False

    @property
    def measure_labels(self):
        return [measure_label(name) for name in self.measures]

    def weighted(self):
        """[(measure's label, weight)] as the page states them."""
        use = weights() if self.weights is None else self.weights
        return [(measure_label(name), weight) for name, weight in use.items()]


def measure_label(name):
    return MEASURES[name] if name in MEASURES else label_of(name)


def weights():
    return {
        name: Decimal(str(weight))
        for name, weight in settings.JIEFANG_RANKING_WEIGHTS.items()
        if name in MEASURES and weight
    }
