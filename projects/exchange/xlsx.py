"""Writing .xlsx: the one cell writer (styles built once, formulas neutralised), responses,
and any django-tables2 table as a one-sheet workbook.

Workbooks are written in openpyxl's write-only mode, row by row from a
database iterator, so memory stays flat however many projects there are.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from projects.models import Light
from projects.models.base import clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
POINTS_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHINESE_NUMERALS = "一二三四五六七八九十"
UNITS = {"万元": Decimal(1), "亿元": Decimal(10000)}

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
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
    on every assignment, which is slow when done per cell)."""
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


def row_styles(sheet, number_formats, last_fill=None):
    """The styles of a body row: bordered, wrapped, a number format per column, and an
    optional fill on the last column (the light or the overdue flag)."""
    styles = [_style(sheet, f, None, None, WRAP, BORDER) for f in number_formats]
    if last_fill is not None:
        styles[-1] = _style(sheet, number_formats[-1], None, last_fill, WRAP, BORDER)
    return styles


def append_values(sheet, values, styles):
    """Append a row of values with one style per column to a write-only sheet.

    Every cell of every workbook the app writes passes here. Text that would start a formula
    or reads like an error value (#N/A) is kept as text (formula injection), and control
    characters a workbook cannot hold are cleaned (see clean_text). A write-only
    row is serialized as soon as it is appended, so one cell object per column and
    style is reused from row to row.
    """
    pool = sheet.__dict__.setdefault("_jiefang_cells", {})
    key = tuple(map(id, styles))
    cells = pool.get(key)
    if cells is None:
        cells = pool[key] = [WriteOnlyCell(sheet) for _style in styles]
        for target, style in zip(cells, styles, strict=True):
            target._style = style
    for target, value in zip(cells, values, strict=True):
        if value.__class__ is str:
            value = clean_text(value)
            target.value = value
            if value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES:
                target.data_type = "s"
        else:
            target.value = value
    sheet.append(cells)


def append(sheet, row):
    """Append a row of Styled values (headers, totals) or plain values."""
    plain = _style(sheet, None, None, None, None, None)
    values = [item.value if isinstance(item, Styled) else item for item in row]
    styles = [item.style if isinstance(item, Styled) else plain for item in row]
    append_values(sheet, values, styles)


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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sheet1"))
    for index, row in enumerate(table.as_values()):
        font = BOLD if index == 0 else None
        append(
            sheet,
            [
                cell(
                    sheet,
                    value,
                    number_format=DATE_FORMAT if isinstance(value, datetime.date) else None,
                    font=font,
                    alignment=None,
                    border=None,
                )
                for value in row
            ],
        )
    return xlsx_response(workbook_bytes(workbook), filename)


def setup_sheet(sheet, widths, header_rows):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_rows + 1}"
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = _("Page &P of &N")
