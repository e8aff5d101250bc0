"""Writing .xlsx: the one cell writer (styles built once, formulas neutralised), responses,
and any django-tables2 table as a one-sheet workbook.

Workbooks are written in openpyxl's write-only mode, row by row from a
database iterator, so memory stays flat however many projects there are.
"""

import datetime
import math
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from projects.models import Light
from projects.models.base import clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
POINTS_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHINESE_NUMERALS = "一二三四五六七八九十"
UNITS = {"万元": Decimal(1), "亿元": Decimal(10000)}

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# Printed through WPS, Excel or LibreOffice: 宋体 for cells, 黑体 for titles (fontconfig maps
# them to Noto CJK where the Windows fonts are missing), never below 9 pt on paper.
BODY_SIZE = 10
MIN_PRINT_SIZE = 9
BODY_FONT = Font(name="宋体", size=BODY_SIZE)
BOLD = Font(name="宋体", size=BODY_SIZE, bold=True)
TITLE_FONT = Font(name="黑体", size=16)
LINE_HEIGHT = 14.5  # points a line of 10 pt 宋体 (or Noto CJK, taller) takes
# The printed width of landscape paper less 12 mm margins, in points: A4, and A3 for a sheet
# that A4 cannot hold at 9 pt.
MARGIN_MM = 10
PAPERS = [
    (Worksheet.PAPERSIZE_A4, (297 - 2 * MARGIN_MM) / 25.4 * 72),
    (Worksheet.PAPERSIZE_A3, (420 - 2 * MARGIN_MM) / 25.4 * 72),
]
PRINTABLE_WIDTH = PAPERS[0][1]
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
LIGHT_FILLS = {
    Light.NONE: PatternFill("solid", fgColor="E7E9EC"),
    Light.GREEN: PatternFill("solid", fgColor="C6EFCE"),
    Light.YELLOW: PatternFill("solid", fgColor="FFEB9C"),
    Light.RED: PatternFill("solid", fgColor="FFC7CE"),
}


@dataclass(slots=True)
class Styled:
    """A value and the style of its cell, to be written by append()."""

    value: object
    style: StyleArray


def _style(sheet, number_format, font, fill, alignment, border):
    """The style array of a combination, built once per sheet (openpyxl hashes styles
    on every assignment, which is slow when done per cell). Cells are 宋体 unless told."""
    font = font or BODY_FONT
    styles = sheet.__dict__.setdefault("_jiefang_styles", {})
    key = (number_format, id(font), id(fill), id(alignment), id(border))
    if key not in styles:
        model = WriteOnlyCell(sheet)
        if number_format:
            model.number_format = number_format
        for name, item in (
            ("font", font),
            ("fill", fill),
            ("alignment", alignment),
            ("border", border),
        ):
            if item is not None:
                setattr(model, name, item)
        styles[key] = model._style
    return styles[key]


def cell(sheet, value, *, number_format=None, font=None, fill=None, alignment=WRAP, border=BORDER):
    """A value with its cell style; bordered and wrapped unless told otherwise."""
    return Styled(value, _style(sheet, number_format, font, fill, alignment, border))


def row_styles(sheet, number_formats, last_fill=None, fill_index=-1):
    """The styles of a body row: bordered, wrapped, a number format per column, and an
    optional fill on the last column (the light or the overdue flag), or on `fill_index`."""
    styles = [_style(sheet, f, None, None, WRAP, BORDER) for f in number_formats]
    if last_fill is not None:
        styles[fill_index] = _style(
            sheet, number_formats[fill_index], None, last_fill, WRAP, BORDER
        )
    return styles


def text_lines(text, width):
    """The lines a wrapped text takes in a column `width` units wide: a unit is 7 pixels, a
    Chinese character of 10 pt about 13.3 and counts two half-widths (its UTF-8 length,
    three bytes, plus one, halved), a Latin character or digit one."""
    per_line = max(int((width * 7 + 1) / 6.67), 1)
    return sum(
        max(1, -(-((len(part.encode()) + len(part)) // 2) // per_line)) for part in text.split("\n")
    )


# The data type of a value as openpyxl would infer it, for the types the app writes: set
# directly, a value is typed once (openpyxl's setter checks the type and the text again).
# Other types (dates among them: their cell's number format is checked) take the setter.
_DATA_TYPES = {str: "s", int: "n", float: "n", Decimal: "n", bool: "b", type(None): "n"}
MAX_TEXT = 32767  # characters a cell holds


class _Row(list):
    """A row of a sheet's reused cells, each already in its column: written as it is."""


def _write_row(sheet):
    """The sheet's conversion of an appended row into cells (openpyxl's _values_to_row),
    handing a _Row's cells over as they are. openpyxl's own tries each item as a value first
    (an exception and the cell's repr per cell when it is a cell) and replaces every styled
    cell it writes by a new one; the write-only row is serialized at once, so the same cells
    serve every row."""
    convert = sheet._values_to_row

    def values_to_row(values, row_idx):
        if values.__class__ is not _Row:
            return convert(values, row_idx)
        for target in values:
            target.row = row_idx
        return values

    return values_to_row


def append_values(sheet, values, styles, height=None):
    """Append a row of values with one style per column to a write-only sheet.

    On a sheet set up by setup_sheet the row is as high as its longest wrapped text, unless
    `height` (points) is given: title and notes rows span merged columns.

    Every cell of every workbook the app writes passes here. Text that would start a formula
    or reads like an error value (#N/A) is kept as text (formula injection), and control
    characters a workbook cannot hold are cleaned (see clean_text). A write-only
    row is serialized as soon as it is appended, so one cell object per column and
    style is reused from row to row.
    """
    state = sheet.__dict__
    pool = state.get("_jiefang_cells")
    if pool is None:
        pool = state["_jiefang_cells"] = {}
        state["_values_to_row"] = _write_row(sheet)
    key = tuple(map(id, styles))
    cells = pool.get(key)
    if cells is None:
        cells = pool[key] = _Row(WriteOnlyCell(sheet) for _style in styles)
        for column, (target, style) in enumerate(zip(cells, styles, strict=True), start=1):
            target._style = style
            target.column = column
    per_line = state.get("_jiefang_per_line", ()) if height is None else ()
    widths = state.get("_jiefang_widths")
    lines = 1
    kinds = _DATA_TYPES
    for index, (target, value) in enumerate(zip(cells, values, strict=True)):
        kind = kinds.get(value.__class__)
        if kind is None:
            target.value = value
        elif kind == "s":
            # Kept as text even when it would start a formula or reads like an error.
            value = clean_text(value)[:MAX_TEXT]
            target._value = value
            target.data_type = "s"
            if (
                index < len(per_line)
                and len(value) > 2
                and (len(value) > per_line[index] or "\n" in value)
            ):
                lines = max(lines, text_lines(value, widths[index]))
        else:
            target._value = value
            target.data_type = kind
    row = state["_jiefang_row"] = state.get("_jiefang_row", 0) + 1
    if height is not None:
        sheet.row_dimensions[row].height = height
    elif lines > 1:
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT + 3
    sheet.append(cells)


def append(sheet, row, height=None):
    """Append a row of Styled values (headers, totals) or plain values."""
    plain = _style(sheet, None, None, None, None, None)
    values = [item.value if isinstance(item, Styled) else item for item in row]
    styles = [item.style if isinstance(item, Styled) else plain for item in row]
    append_values(sheet, values, styles, height)


def new_workbook():
    """A write-only workbook whose default font is the cells' 宋体: column widths are measured
    in the default font's digits, so that they print alike wherever 宋体 stands in."""
    workbook = Workbook(write_only=True)
    workbook._fonts = IndexedList([BODY_FONT])
    workbook._named_styles["Normal"].font = copy(BODY_FONT)
    return workbook


def workbook_bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response


def table_response(table, filename):
    """The rows of a django-tables2 table (its export values) as a one-sheet workbook."""
    workbook = new_workbook()
    rows = table.as_values()
    append_table_rows(workbook.create_sheet(_("Sheet1")), rows, header=next(rows))
    return xlsx_response(workbook_bytes(workbook), filename)


def append_table_rows(sheet, rows, header=None):
    """Append a table's export values (a bold header first, when given); returns the number
    of rows appended, the header aside."""
    if header is not None:
        append(sheet, [_table_cell(sheet, value, BOLD) for value in header])
    count = 0
    for row in rows:
        append(sheet, [_table_cell(sheet, value) for value in row])
        count += 1
    return count


def _table_cell(sheet, value, font=None):
    return cell(
        sheet,
        value,
        number_format=DATE_FORMAT if isinstance(value, datetime.date) else None,
        font=font,
        alignment=None,
        border=None,
    )


# Pixels a column-width unit takes when printed: a digit of the default font. 宋体 (SimSun) is 7;
# where it is missing (LibreOffice on Linux, with Noto CJK in its place) it is about 8.4, measured
# from the printed PDF's scale: the wider one decides whether a sheet fits.
DIGIT_PIXELS = 8.4


def print_width(widths):
    """The printed width of columns in points at 100 %: a width unit is a digit of the
    workbook's default font, plus 5 pixels of padding per column."""
    return sum(width * DIGIT_PIXELS + 5 for width in widths) * 0.75


def text_height(text, widths):
    """The row height (points) that shows `text` whole, wrapped over columns of `widths`
    merged into one: a CJK character is as wide as the font is tall."""
    lines = math.ceil(len(text) * BODY_SIZE / (print_width(widths) - 10))
    return lines * LINE_HEIGHT + 4


def paper_for(widths):
    """(paper size, printable width): the smallest landscape paper, A4 or A3, on which the
    columns fit one page wide with the text at 9 pt or more; A3 for anything wider."""
    smallest = MIN_PRINT_SIZE / BODY_SIZE
    for paper, width in PAPERS:
        if width / print_width(widths) >= smallest:
            return paper, width
    return PAPERS[-1]


def setup_sheet(sheet, widths, header_rows, repeat_columns=None, title_rows=0):
    """Column widths, frozen header, landscape with the header rows (those after the
    `title_rows` of title, unit and period) on every page.

    Every sheet prints one page wide, on A4 when that keeps the text at 9 pt or more and on A3
    otherwise (a sheet too wide for A3 at 9 pt would print smaller: widths are chosen so none
    is). `repeat_columns` (e.g. 序号 and 项目名称) repeat on a sheet printed across pages in
    an office's own print set-up."""
    sheet.__dict__["_jiefang_widths"] = list(widths)
    # The characters a line of each column surely holds (see text_lines: a character takes
    # at most 2.5 half-widths): a text no longer and without a line break needs no counting.
    sheet.__dict__["_jiefang_per_line"] = [max(int((w * 7 + 1) / 6.67), 1) / 2.5 for w in widths]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_rows + 1}"
    sheet.print_title_rows = f"{title_rows + 1}:{header_rows}"
    sheet.page_setup.paperSize, _width = paper_for(widths)
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    margin = MARGIN_MM / 25.4
    sheet.page_margins = PageMargins(
        left=margin, right=margin, top=0.6, bottom=0.6, header=0.3, footer=0.3
    )
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_columns:
        sheet.print_title_cols = repeat_columns
    sheet.oddFooter.center.text = _("Page &P of &N")


def title_alignment(sheet):
    """Centred over the sheet (every sheet prints one page wide)."""
    return CENTER


TITLE_HEIGHT = 30


def append_title(sheet, title, columns):
    """The sheet's title row, merged over its `columns` (call after setup_sheet)."""
    append(
        sheet,
        [cell(sheet, title, font=TITLE_FONT, alignment=title_alignment(sheet), border=None)],
        height=TITLE_HEIGHT,
    )
    sheet.merged_cells.add(f"A1:{get_column_letter(columns)}1")
