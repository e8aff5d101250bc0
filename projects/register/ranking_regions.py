"""The ranking of an office above the districts (a province's, a city's): the regions beneath
on the ranking's measures, from the progress table's totals."""

from django.utils.translation import gettext_lazy as _

from projects.models import Region

from .ranking import (
    _entry,
    _measures,
    _movement,
    _previous,
    _project_groups,
    _rank,
)
from .ranking_entries import Ranking
from .ranking_problems import problem_counts


def regions_ranking(period, projects, region, with_movement=True, today=None):
    """The ranking of an office above the districts (`projects`: the whole register of
    `region`, a province or a city): the regions directly beneath it when they are not
    districts (a province's cities) and every district within it, on the ranking's
    measures, with their ranks of the month before. Their lead officials, zones and units
    are ranked on each district's own ranking, not here.

    Every figure comes from the progress table's totals (per month × zone × lead official:
    a few hundred rows whatever the number of projects) and the month's problems counted
    per district in one grouped query; the regions beneath add up their districts'."""
    use, notes = _measures(period, projects, today)
    notes.append(
        _(
            "Above the districts the regions beneath are ranked: the lead officials, zones "
            "and responsible units of each district are ranked on that district's own ranking."
        )
    )
    problems = None
    if "problems" in use:
        problems = {
            district: (total, on_time)
            for district, total, on_time in problem_counts([period], projects, "project__region")
        }
    districts = _project_groups(
        period, "district", use, projects, ({"district": problems or {}}, {})
    )
    result = Ranking(period, officials=[], zones=[], units=[], notes=notes, above_districts=True)
    result.districts = _rank(districts, use)
    children = list(region.children.exclude(kind=Region.Kind.DISTRICT).order_by("code"))
    if children:
        result.regions = _rank(
            _beneath_groups(period, use, projects, region, children, districts), use
        )
    previous = _previous(period)
    if with_movement and previous is not None:
        _movement(
            result,
            regions_ranking(previous, projects, region, with_movement=False, today=today),
        )
    return result


def _beneath_groups(period, use, projects, region, children, districts):
    """Entries of `children` (regions directly beneath `region`), their figures (reports on
    time among them) from the progress table's totals added up by path, their problems their
    districts' (`districts`: the districts' entries)."""
    rows, _total = projects.summary(period, by=region)
    rows = {row["region_path"]: row for row in rows}
    depth = len(region.path) + 7
    paths = dict(Region.objects.districts().within(region).values_list("pk", "path").order_by())
    added = {}
    for entry in districts:
        path = paths.get(entry.key, "")[:depth]
        due, closed = added.get(path, (0, 0))
        figures = entry.figures
        added[path] = (due + figures["problems_due"], closed + figures["problems_on_time"])
    entries = []
    for child in children:
        row = rows.get(child.path)
        if row is None:
            continue
        problems = added.get(child.path, (0, 0))
        entries.append(_entry(child.pk, child.name, row, use, problems if problems[0] else None))
    return entries
