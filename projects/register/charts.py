"""Server-rendered SVG charts: geometry here, drawing in templates, numbers on the bars."""

from decimal import Decimal

WIDTH = 640


def zone_bars(rows, height=240):
    """Annual plan against completed (1-N月) per zone, as pairs of bars with their values."""
    top, bottom, left = 20, 40, 10
    peak = max([row["annual_plan"] for row in rows] + [row["ytd"] for row in rows] + [Decimal(1)])
    slot = (WIDTH - left * 2) / max(len(rows), 1)
    bar = min(slot * 0.32, 60)
    usable = height - top - bottom

    def scaled(value):
        return round(float(value / peak) * usable, 1)

    bars = []
    for index, row in enumerate(rows):
        x = left + index * slot + slot / 2
        plan_h, ytd_h = scaled(row["annual_plan"]), scaled(row["ytd"])
        bars.append(
            {
                "label": row["zone__name"],
                "x": round(x, 1),
                "plan": {
                    "x": round(x - bar - 2, 1),
                    "y": round(height - bottom - plan_h, 1),
                    "h": plan_h,
                    "value": row["annual_plan"],
                },
                "ytd": {
                    "x": round(x + 2, 1),
                    "y": round(height - bottom - ytd_h, 1),
                    "h": ytd_h,
                    "value": row["ytd"],
                },
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "bar": round(bar, 1),
        "base": height - bottom,
        "bars": bars,
    }


def pace_line(points, planned, height=240):
    """Cumulative completed investment month by month against the cumulative plan, both from
    the progress engine: `points` [(month, completed)], `planned` [(month, planned)] for 0–12."""
    top, bottom, left, right = 20, 30, 50, 20
    peak = max([value for _month, value in [*points, *planned]] + [Decimal(1)])
    step = (WIDTH - left - right) / 12
    usable = height - top - bottom

    def xy(month, value):
        return (
            round(left + month * step, 1),
            round(height - bottom - float(value / peak) * usable, 1),
        )

    actual = [xy(month, value) for month, value in points]
    even = [xy(month, value) for month, value in planned]
    return {
        "width": WIDTH,
        "height": height,
        "left": left,
        "base": height - bottom,
        "actual": " ".join(f"{x},{y}" for x, y in [xy(0, 0), *actual]),
        "even": " ".join(f"{x},{y}" for x, y in even),
        "dots": [
            {"x": x, "y": y, "month": month, "value": value}
            for (x, y), (month, value) in zip(actual, points, strict=True)
        ],
        "months": [{"x": xy(m, 0)[0], "label": m} for m in range(1, 13)],
    }
