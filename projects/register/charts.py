"""Server-rendered SVG charts: geometry here, drawing in templates, numbers on the bars.

Each chart comes in two layouts: the wide one for a desktop and a narrow one (its `narrow`
key) drawn 360 units wide for a phone, where one unit is about one CSS pixel, so that its text
(14 units) reads at 12 px or more on a 390 px screen instead of shrinking with the picture.
"""

from decimal import Decimal

WIDTH = 640
NARROW = 360


def text_width(text, size):
    """About how wide `text` is at `size` units: a Chinese character is a square, a digit or a
    Latin letter a little over half of one."""
    return sum(size if ord(char) > 0x2E7F else size * 0.6 for char in str(text))


def zone_bars(rows, height=240):
    """Annual plan against completed (1-N月) per zone, as pairs of bars with their values;
    on a phone (`narrow`) as horizontal bars, one zone under another. When the zones' names or
    the values do not fit under and over their bars (many zones, long names: a city's), the
    wide picture is drawn with horizontal bars too (`horizontal`), rather than names running
    into each other and past the picture's edges."""
    top, bottom, left = 24, 40, 10
    peak = max([row["annual_plan"] for row in rows] + [row["ytd"] for row in rows] + [Decimal(1)])
    slot = (WIDTH - left * 2) / max(len(rows), 1)
    bar = min(slot * 0.32, 60)
    usable = height - top - bottom
    fits = all(
        text_width(row.get("label") or row["zone__name"], 14) <= slot - 6
        and max(text_width(f"{row['annual_plan']:.0f}", 13), text_width(f"{row['ytd']:.0f}", 13))
        <= bar + 2
        for row in rows
    )
    if not fits:
        return {
            "width": WIDTH,
            "horizontal": _zone_bars_narrow(rows, peak, WIDTH),
            "narrow": _zone_bars_narrow(rows, peak),
        }

    def scaled(value):
        return round(float(value / peak) * usable, 1)

    bars = []
    for index, row in enumerate(rows):
        x = left + index * slot + slot / 2
        plan_h, ytd_h = scaled(row["annual_plan"]), scaled(row["ytd"])
        bars.append(
            {
                "label": row.get("label") or row["zone__name"],
                "x": round(x, 1),
                "plan": {
                    "x": round(x - bar - 2, 1),
                    "y": round(height - bottom - plan_h, 1),
                    "h": plan_h,
                    "value": row["annual_plan"],
                    "text_x": round(x - 2 - bar / 2, 1),
                },
                "ytd": {
                    "x": round(x + 2, 1),
                    "y": round(height - bottom - ytd_h, 1),
                    "h": ytd_h,
                    "value": row["ytd"],
                    "text_x": round(x + 2 + bar / 2, 1),
                },
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "bar": round(bar, 1),
        "base": height - bottom,
        "bars": bars,
        "narrow": _zone_bars_narrow(rows, peak),
    }


def _zone_bars_narrow(rows, peak, width=NARROW):
    """The phone layout: per zone its name, then the plan bar and the completed bar, each
    with its value after it (room is kept for the longest value)."""
    left, value_room, row_height, bar = 2, 84, 64, 16
    usable = width - left - value_room
    bars = []
    for index, row in enumerate(rows):
        y = 18 + index * row_height
        plan_w = round(float(row["annual_plan"] / peak) * usable, 1)
        ytd_w = round(float(row["ytd"] / peak) * usable, 1)
        bars.append(
            {
                "label": row.get("label") or row["zone__name"],
                "label_y": y,
                "plan": {"y": y + 6, "w": plan_w, "value": row["annual_plan"]},
                "ytd": {"y": y + 6 + bar + 2, "w": ytd_w, "value": row["ytd"]},
            }
        )
    for item in bars:
        for part in ("plan", "ytd"):
            item[part]["text_x"] = round(left + item[part]["w"] + 4, 1)
            item[part]["text_y"] = item[part]["y"] + bar - 3
    return {
        "width": width,
        "height": 18 + len(rows) * row_height,
        "left": left,
        "bar": bar,
        "bars": bars,
    }


def pace_line(points, planned, height=240):
    """Cumulative completed investment month by month against the cumulative plan, both from
    the progress engine: `points` [(month, completed)], `planned` [(month, planned)] for 0–12."""
    chart = _pace_line(points, planned, WIDTH, height, left=50, right=20, every=1)
    chart["narrow"] = _pace_line(points, planned, NARROW, 220, left=16, right=16, every=2)
    return chart


def _pace_line(points, planned, width, height, left, right, every):
    top, bottom = 24, 30
    peak = max([value for _month, value in [*points, *planned]] + [Decimal(1)])
    step = (width - left - right) / 12
    usable = height - top - bottom

    def xy(month, value):
        return (
            round(left + month * step, 1),
            round(height - bottom - float(value / peak) * usable, 1),
        )

    actual = [xy(month, value) for month, value in points]
    even = [xy(month, value) for month, value in planned]
    dots = [
        {"x": x, "y": y, "month": month, "value": value}
        for (x, y), (month, value) in zip(actual, points, strict=True)
    ]
    if dots:
        # The last value is written beside its dot, turned to the left near the right edge so
        # that it is never cut off.
        last = dots[-1]
        last["anchor"] = "end" if last["x"] > width - 90 else "start"
        last["dx"] = -8 if last["anchor"] == "end" else 6
    return {
        "width": width,
        "height": height,
        "left": left,
        "base": height - bottom,
        "actual": " ".join(f"{x},{y}" for x, y in [xy(0, 0), *actual]),
        "even": " ".join(f"{x},{y}" for x, y in even),
        "dots": dots,
        "months": [{"x": xy(m, 0)[0], "label": m} for m in range(1, 13) if (m - 1) % every == 0],
    }
