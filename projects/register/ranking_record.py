"""The ranking kept with a held meeting: as JSON and back, exactly as it was printed."""

from decimal import Decimal

from projects.progress.period import Period

from .ranking_entries import MEASURES, Entry, Ranking


def _decimal(value):
    return None if value is None else Decimal(value)


BOARDS = ("officials", "zones", "units", "districts")


def ranking_to_json(result):
    """The ranking as JSON, to be kept with a held meeting (scores as exact decimal text)."""
    return {
        "year": result.period.year,
        "month": result.period.month,
        "notes": [str(note) for note in result.notes],
        "measures": list(result.measures),
        "weights": result.weights,
        **{
            board: [
                {
                    "key": entry.key,
                    "name": entry.name,
                    "scores": {name: str(score) for name, score in entry.scores.items()},
                    "score": str(entry.score),
                    "rank": entry.rank,
                    "previous_rank": entry.previous_rank,
                    "figures": {
                        name: value if isinstance(value, int | None) else str(value)
                        for name, value in entry.figures.items()
                    },
                }
                for entry in getattr(result, board)
            ]
            for board in BOARDS
        },
    }


def ranking_from_json(data):
    """The Ranking that ranking_to_json kept, as it was (kept before the score rules: on the
    settings' measures)."""
    measures = tuple(data.get("measures") or MEASURES)
    boards = {
        board: [
            Entry(
                key=entry["key"],
                name=entry["name"],
                scores={name: _decimal(score) for name, score in entry["scores"].items()},
                score=_decimal(entry["score"]),
                rank=entry["rank"],
                previous_rank=entry["previous_rank"],
                figures=entry["figures"],
                measures=measures,
            )
            for entry in data.get(board, [])
        ]
        for board in BOARDS
    }
    return Ranking(
        Period(data["year"], data["month"]),
        notes=data["notes"],
        measures=measures,
        weights=data.get("weights"),
        **boards,
    )
