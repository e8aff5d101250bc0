"""The quarterly score table as a workbook: a sheet per board, a row per entity and measure,
so that each score is the sum of its rows' weighted points."""

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

SHEETS = {"unit": "责任单位", "official": "牵头领导", "district": "区县"}
# heading, width, number format
COLUMNS = [
    ("名次", 6, "0"),
    ("名称", 20, None),
    ("得分", 9, POINTS_FORMAT),
    ("考核项", 18, None),
    ("值", 9, POINTS_FORMAT),
    ("单位", 6, None),
    ("明细", 10, None),
    ("百分制得分", 10, POINTS_FORMAT),
    ("权重", 7, "0"),
    ("加权得分", 10, POINTS_FORMAT),
]
RULE = "加权得分 = 百分制得分 × 权重 ÷ 该对象适用权重之和;得分 = 各项加权得分之和;无数据的考核项记为—,不计权重"


def score_workbook(table, region):
    """The score table as .xlsx bytes, headed with `region`'s name and the quarter."""
    book = new_workbook()
    window = table.window
    period = f"{window.year}年第{window.quarter_number}季度"
    since = (
        f"(考核办法自{table.valid_from.isoformat()}起)" if table.valid_from else "(未设考核办法)"
    )
    for kind, _title, scores in table.boards or [("unit", None, [])]:
        sheet = book.create_sheet(SHEETS[kind])
        setup_sheet(sheet, [column[1] for column in COLUMNS], header_rows=4, title_rows=3)
        append_title(sheet, f"{region.name}重点项目考核评分({SHEETS[kind]})", len(COLUMNS))
        append(sheet, [cell(sheet, f"考核期:{period}{since}", border=None, alignment=None)])
        append(sheet, [cell(sheet, RULE, border=None, alignment=None)])
        append(
            sheet,
            [
                cell(sheet, heading, font=BOLD, fill=HEADER_FILL, alignment=CENTER)
                for heading, _w, _f in COLUMNS
            ],
        )
        for score in scores:
            for line in score.lines:
                values = (
                    score.rank,
                    score.name,
                    score.total,
                    str(line.label),
                    line.value,
                    line.unit,
                    str(line.detail),
                    line.points,
                    line.weight,
                    line.weighted,
                )
                append(
                    sheet,
                    [
                        cell(
                            sheet,
                            "—" if value is None and index > 2 else value,
                            number_format=column[2],
                        )
                        for index, (value, column) in enumerate(zip(values, COLUMNS, strict=True))
                    ],
                )
    return workbook_bytes(book)
