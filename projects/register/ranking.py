"""The monthly ranking (排名通报) of lead officials, zones and responsible units, from the same
figures as every page: the progress engine's summary, the month's reports and the problem
register.

Each measure becomes a score out of 100; a group's score is their weighted mean over the
measures that apply to it (settings.JIEFANG_RANKING_WEIGHTS; a weight of 0 leaves a measure
out). Equal scores share a rank (1, 1, 3). A region's monthly score rules in force for the
month (ScoreRule, projects/scoring) replace these measures and weights with theirs.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from projects.models import MeetingSnapshot, MonthlyReport, Project, Region, ScoreRule
from projects.progress.period import CENT, quantize
from projects.scoring.measures import REGISTRY, Window
from projects.scoring.monthly import monthly_boards
from projects.scoring.scores import rules_in_force, rules_region

from .ranking_entries import Entry, Ranking, weights
from .ranking_problems import problem_scores
from .ranking_record import ranking_from_json

HUNDRED = Decimal(100)

# What a group of projects is, for each ranking: its key in the engine's summary (and in
# the problem register: ranking_problems.PROBLEM_GROUPS). Responsible units are ranked on
# their problems alone.
GROUPS = {"official": "lead_official", "zone": "zone", "district": "region"}


def _previous(period):
    """The month before, or None before the first month there is (January 2000)."""
    try:
        return period.shifted(-1)
    except ValueError:
        return None


def ranking(period, projects=None, with_movement=True, today=None):
    """The ranking of `period` among `projects` (a Project queryset, all by default) as it
    stands on `today` (default today), with each entry's rank of the month before. Reports
    on time are scored once the month's due date has passed: before it no report is late."""
    return _ranking(period, projects, with_movement, today)


def _ranking(period, projects=None, with_movement=True, today=None, problems=None, brief=False):
    """ranking(), given the problem scores of this month and the month before (`problems`,
    {period: scores}) when the month after already read them in the same query; `brief`,
    the ranks without the groups' names (the month before, for the movement)."""
    projects = Project.objects.all() if projects is None else projects
    rules = rules_in_force(rules_region(projects), ScoreRule.Period.MONTH, Window.month(period))
    previous = _previous(period) if with_movement else None
    held = None if previous is None else _held(previous, projects)
    if rules:
        result = _ruled(period, projects, rules, today)
    else:
        if problems is None and previous is not None and held is None:
            problems = problem_scores([period, previous], projects)
        result = _default(period, projects, today, (problems or {}).get(period), brief)
    if previous is not None:
        before = held or _ranking(previous, projects, False, today, problems, brief=True)
        _movement(result, before)
    return result


def _held(period, projects):
    """The ranking of `period` as printed at its held meeting, when `projects` are a
    district's register and the meeting's record is kept (较上月 is the move from the places
    announced then); otherwise None."""
    whole, region = projects.whole_register()
    if not whole or region is None or region.kind != Region.Kind.DISTRICT:
        return None
    kept = MeetingSnapshot.of_period(period, region, kept=("ranking",))
    return None if kept is None else ranking_from_json(kept.ranking)


def _movement(result, before):
    """Each entry of `result` with its rank in `before` (the month before)."""
    for board in ("officials", "zones", "units", "districts", "regions"):
        ranks = {entry.key: entry.rank for entry in getattr(before, board)}
        for entry in getattr(result, board):
            entry.previous_rank = ranks.get(entry.key)


def _measures(period, projects, today):
    """(weights of the measures that apply to `period`, notes saying why one does not)."""
    notes = []
    use = weights()
    if "reports" in use and not period.due_passed(today):
        del use["reports"]
        notes.append(
            _(
                "The reports for %(period)s are due by %(due)s: reports on time are not "
                "scored before then, and nobody is late yet."
            )
            % {"period": period.label, "due": period.due_date.isoformat()}
        )
    elif "reports" in use and not (
        MonthlyReport.objects.of_projects(projects)
        .filter(year=period.year, month=period.month)
        .exists()
    ):
        del use["reports"]
        notes.append(
            _(
                "No report has come in for %(period)s yet: it is ranked on the other measures, "
                "from the figures that exist."
            )
            % {"period": period.label}
        )
    return use, notes


def _default(period, projects, today, problems=None, brief=False):
    """The ranking on the settings' measures and weights (no rule in force); `problems`,
    the month's problem scores when already read; `brief`, without the names of lead
    officials and zones."""
    use, notes = _measures(period, projects, today)
    if "problems" not in use:
        problems = None
    elif problems is None:
        problems = problem_scores([period], projects)[period]
    result = Ranking(
        period,
        officials=_rank(_project_groups(period, "official", use, projects, problems, brief), use),
        zones=_rank(_project_groups(period, "zone", use, projects, problems, brief), use),
        units=_rank(_unit_groups(problems), use),
        notes=notes,
    )
    if _several_districts(projects):
        districts = _project_groups(period, "district", use, projects, problems, brief)
        # Districts with projects, as the board counts them (none for a district's own).
        if len(districts) > 1:
            result.districts = _rank(districts, use)
    return result


def _ruled(period, projects, rules, today):
    """The ranking on the measures and weights of the monthly rules in force (weight 0:
    shown, not counted)."""
    use = {rule.measure: Decimal(rule.weight) for rule in rules if rule.weight}
    measures = tuple(rule.measure for rule in rules if rule.measure in REGISTRY)
    boards, notes = monthly_boards(period, projects, rules, today)
    ranked = {
        kind: _rank(
            [
                Entry(key, name, points, figures=values, measures=measures)
                for key, name, points, values in board
            ],
            use,
        )
        for kind, board in boards.items()
    }
    several = len(ranked["district"]) > 1 and _several_districts(projects)
    return Ranking(
        period,
        officials=ranked["official"],
        zones=ranked["zone"],
        units=ranked["unit"],
        notes=notes,
        districts=ranked["district"] if several else [],
        measures=measures,
        weights={rule.measure: rule.weight for rule in rules},
    )


def _several_districts(projects):
    """Whether `projects` may span several districts: a whole region's register is asked of
    the regions' tree (one indexed query, not a scan of the projects); other sets of
    projects of their projects' regions."""
    whole, region = projects.whole_register()
    if not whole:
        return projects.values("region").distinct().count() > 1
    districts = Region.objects.districts()
    if region is not None:
        districts = districts.within(region)
    return districts[:2].count() > 1


def _project_groups(period, kind, use, projects, problems=None, brief=False):
    key = GROUPS[kind]
    # Every group's figures from the progress table's totals per zone and lead official (a
    # few rows, whatever the number of projects, for the whole register or a region's);
    # projects with no lead official are no official's.
    # A district's totals are its zones' (each zone belongs to one region): read from the
    # progress table's totals for a whole region's register, as the other groups are.
    # Read brief (by key, unordered), each with its name beside its sums (none for the month
    # before: a name only orders ties, and the month before is read for its ranks).
    rows, _total = projects.summary(period, by=key, brief=True, named=not brief)
    problems = problems[0][kind] if problems is not None and "problems" in use else {}
    return [
        _entry(row[key], row.get("name") or "", row, use, problems.get(row[key]), brief)
        for row in rows
        if row[key] is not None
    ]


def _entry(key, name, row, use, problems, brief=False):
    """The Entry of one group: its summary `row` and (problems due, closed by their
    deadline) or None; `brief`, its scores alone (the month before, read for its ranks).

    Reports on time: of the projects that owe the month's report (the one rule of 填报情况,
    我的项目, the packet and the bulletin), those in by the end of the due date
    (Period.due_by, as the reminders count it), kept per project in the progress table and
    added up in the summary's row."""
    count = row["count"]
    scores = {}
    if "gap" in use and row["gap"] is not None:
        scores["gap"] = min(HUNDRED, max(Decimal(0), HUNDRED - Decimal(row["gap"])))
    if "lights" in use and count:
        scores["lights"] = HUNDRED * (
            1 - (Decimal(row["red"]) + Decimal(row["yellow"]) / 2) / count
        )
    expected, in_time = row["reports_expected"], row["reports_on_time"]
    if "reports" in use and expected:
        scores["reports"] = HUNDRED * Decimal(in_time) / expected
    if "problems" in use and problems is not None:
        due, on_time = problems
        scores["problems"] = HUNDRED * Decimal(on_time) / due
    scores = {k: v.quantize(CENT, ROUND_HALF_UP) for k, v in scores.items()}
    if brief:
        return Entry(key=key, name=name, scores=scores)
    return Entry(
        key=key,
        name=name,
        scores=scores,
        figures={
            "count": count,
            "gap": row["gap"],
            "red": row["red"],
            "yellow": row["yellow"],
            "expected": expected,
            "reported": in_time,
            "problems_due": (problems or (0, 0))[0],
            "problems_on_time": (problems or (0, 0))[1],
        },
    )


def _unit_groups(problems):
    """Responsible units, on their problems only (the one measure that is theirs); none
    when problems are not scored. Their names come with their counts (not a second query
    listing every unit's key: a province has thousands of units)."""
    if problems is None:
        return []
    problems, names = problems[0]["unit"], problems[1]
    return [
        Entry(
            key=unit,
            name=names[unit],
            scores={"problems": quantize(HUNDRED * Decimal(on_time) / due)},
            figures={"problems_due": due, "problems_on_time": on_time},
        )
        for unit, (due, on_time) in problems.items()
        if unit is not None
    ]


def _rank(entries, use):
    """Score each entry over the measures it has, then rank; equal scores share a rank."""
    # The weights' total for each set of measures an entry has (a few sets, thousands of
    # entries).
    totals = {}
    for entry in entries:
        measures = tuple(entry.scores)
        total = totals.get(measures)
        if total is None:
            total = totals[measures] = sum(
                (use[name] for name in measures if name in use), Decimal(0)
            )
        weighted = Decimal(0)
        for name, score in entry.scores.items():
            if name in use:
                weighted += use[name] * score
        entry.score = quantize(weighted / total) if total else None
    ranked = sorted(
        (e for e in entries if e.score is not None), key=lambda e: (-e.score, e.name, e.key)
    )
    for index, entry in enumerate(ranked):
        same = index and entry.score == ranked[index - 1].score
        entry.rank = ranked[index - 1].rank if same else index + 1
    return ranked


def top_and_bottom(entries, count=None):
    """红榜 and 黑榜 of ranked `entries`, not overlapping.

    The 红榜 holds those ranked in the first `count` places that earn it: a score above 0
    and a lead over the rest (above the lowest score: when everyone scores the same, nobody
    is on it). Those sharing a rank are all on it or all off it, in order of name. The 黑榜
    holds the last `count` of the others, worst last.
    """
    count = count or settings.JIEFANG_RANKING_TOP
    lowest = min((entry.score for entry in entries), default=None)
    top = [
        entry
        for entry in entries
        if entry.rank <= count and entry.score > 0 and entry.score > lowest
    ]
    bottom = [entry for entry in entries[-count:] if entry not in top]
    return top, bottom


def boards(result):
    """[(title, entries)] of the ranking's boards as shown and downloaded: a district's (or
    a single register's) lead officials, zones, units (and districts when it spans several);
    above the districts, the regions beneath and the districts."""
    if result.above_districts:
        return [
            *([(_("Cities"), result.regions)] if result.regions else []),
            (_("Districts"), result.districts),
        ]
    return [
        (_("Lead officials"), result.officials),
        (_("Zones"), result.zones),
        (_("Responsible units (problems closed by their deadline)"), result.units),
        *([(_("Districts"), result.districts)] if result.districts else []),
    ]
