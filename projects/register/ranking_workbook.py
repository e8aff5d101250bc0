"""The monthly ranking as a workbook: one sheet per board, a column per measure shown."""

from projects.exchange.xlsx import (
    BOLD,
    CENTER,
    HEADER_FILL,
    POINTS_FORMAT,
    append,
    append_title,
    cell,
    new_workbook,
    setup_sheet,
    workbook_bytes,
)
from projects.scoring.measures import REGISTRY

# key, heading, width, number format (one format per column: scores with two decimals)
COLUMNS = [
    ("rank", "名次", 6, "0"),
    ("name", "名称", 22, None),
    ("score", "得分", 8, POINTS_FORMAT),
    ("gap", "得分:序时进度", 12, POINTS_FORMAT),
    ("lights", "得分:红黄灯", 12, POINTS_FORMAT),
    ("reports", "得分:按时填报", 12, POINTS_FORMAT),
    ("problems", "得分:问题按期销号", 14, POINTS_FORMAT),
    ("movement", "较上月", 8, None),
]
DEFAULT = {column[0]: column for column in COLUMNS}


def columns(measures):
    """The columns for `measures`: the settings' four as they always were, a rule's other
    measures headed by the registry's heading."""
    return [
        *COLUMNS[:3],
        *(
            DEFAULT.get(name) or (name, f"得分:{REGISTRY[name].heading}", 14, POINTS_FORMAT)
            for name in measures
        ),
        COLUMNS[-1],
    ]


def ranking_workbook(result, region):
    """The ranking as .xlsx bytes: one sheet each for officials, zones and units (above the
    districts: the cities and the districts), headed with `region`'s name."""
    book = new_workbook()
    shown = columns(result.measures)
    sheets = (
        [*([("市", result.regions)] if result.regions else []), ("区县", result.districts)]
        if result.above_districts
        else [
            ("牵头领导", result.officials),
            ("功能区", result.zones),
            ("责任单位", result.units),
            *([("区县", result.districts)] if result.districts else []),
        ]
    )
    for title, entries in sheets:
        sheet = book.create_sheet(title)
        setup_sheet(sheet, [column[2] for column in shown], header_rows=3, title_rows=2)
        append_title(sheet, f"{region.name}重点项目推进排名({title})", len(shown))
        append(sheet, [cell(sheet, f"统计期:{result.period.label}", border=None, alignment=None)])
        append(
            sheet,
            [
                cell(sheet, label, font=BOLD, fill=HEADER_FILL, alignment=CENTER)
                for _k, label, _w, _f in shown
            ],
        )
        for entry in entries:
            append(
                sheet,
                [
                    cell(sheet, value, number_format=column[3])
                    for value, column in zip(
                        (
                            entry.rank,
                            entry.name,
                            entry.score,
                            *(entry.scores.get(name) for name in result.measures),
                            entry.movement_label,
                        ),
                        shown,
                        strict=True,
                    )
                ],
            )
    return workbook_bytes(book)
