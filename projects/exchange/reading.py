"""Reading an uploaded workbook for import, before anything is checked against the register.

A workbook is checked before it is parsed (not a zip, macros, XML entities, zip bombs,
merged cells) and read in openpyxl's read-only mode; cells are converted with messages that
name the sheet, row and column. Checking is in checking.py, writing in writing.py.
"""

import datetime
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from projects.models.base import clean_text

from .template import HEADERS, OPTIONAL_HEADERS

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ROWS = 20_000
MAX_CELL = 32_767
MAX_UPLOAD = 5 * 1024 * 1024
PROGRESS_EVERY = 1000  # rows between two progress reports
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


@dataclass
class Problem:
    """One thing wrong with the file, where it is, in Chinese."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def where(self):
        """工作表「项目」第 3 行「功能区」列, or as much of it as is known."""
        return "".join(
            part
            for part in (
                _("sheet “%(sheet)s” ") % {"sheet": self.sheet} if self.sheet else "",
                _("row %(row)s ") % {"row": self.row} if self.row else "",
                _("column “%(column)s”") % {"column": self.column} if self.column else "",
            )
        ).strip()

    def __str__(self):
        where = self.where()
        if not where:
            return self.message
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


class ImportRefused(Exception):
    """The file cannot be read at all; `problems` says why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class Result:
    """What an import would do (dry run) or did."""

    kind: str
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    rows: int = 0
    written: bool = False

    @property
    def ok(self):
        return not self.errors


# -- reading ------------------------------------------------------------------------------


def check_container(data):
    """Refuse files that are not plain .xlsx workbooks before any XML is parsed."""
    if len(data) > MAX_UPLOAD:
        raise ImportRefused([Problem(_("The file is over 5 MB; split it and import the parts."))])
    if not data.startswith(b"PK"):
        raise ImportRefused(
            [
                Problem(
                    _(
                        "This is not an Excel workbook (.xlsx). Save it as .xlsx in Excel and import that."
                    )
                )
            ]
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
        names = {m.filename for m in members}
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportRefused(
            [Problem(_("The file is damaged and cannot be opened as .xlsx."))]
        ) from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused([Problem(_("This is not an Excel workbook (.xlsx)."))])
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise ImportRefused(
            [Problem(_("Refused: the file unpacks to over 50 MB (perhaps a zip bomb)."))]
        )
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            raise ImportRefused(
                [
                    Problem(
                        _(
                            "Refused: a part of the file is compressed over 100 times (perhaps a zip bomb)."
                        )
                    )
                ]
            )
    if "xl/vbaProject.bin" in names or b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise ImportRefused(
            [
                Problem(
                    _(
                        "This workbook contains macros (.xlsm) and is refused for safety. Save it as .xlsx."
                    )
                )
            ]
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            head = archive.read(member).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ImportRefused(
                    [Problem(_("The file declares XML entities and is refused for safety."))]
                )
    return archive


def merged_ranges(archive, sheet_path):
    """Merged cell ranges of a sheet, read from its XML (read-only mode does not give them)."""
    try:
        xml = archive.read(sheet_path)
    except KeyError:
        return []
    return re.findall(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', xml)


def silent(text, fraction=None):
    """The progress callback when nobody is watching: progress(text, fraction done or None)."""


def read_rows(data, kind, progress=silent):
    """(sheet name, header, data rows with their Excel row numbers, notes), or ImportRefused."""
    archive = check_container(data)
    has_formulas = (
        re.search(rb"<f[ >]", archive.read("xl/worksheets/sheet1.xml"))
        if ("xl/worksheets/sheet1.xml" in archive.namelist())
        else True
    )
    try:
        values_book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        # Formula cells are looked at only when the sheet has any (a second parse).
        formulas_book = (
            load_workbook(BytesIO(data), read_only=True, data_only=False) if has_formulas else None
        )
    except Exception as error:  # openpyxl raises many kinds on damaged parts
        raise ImportRefused(
            [Problem(_("The workbook cannot be read: %(error)s") % {"error": error})]
        ) from None
    sheet = values_book.worksheets[0]
    name = sheet.title
    # The sheet's stated size, when it states one, for the progress shown while reading.
    stated = max((sheet.max_row or 0) - 1, 0)
    expected = HEADERS[kind]
    problems, notes = [], []
    for ref in merged_ranges(archive, "xl/worksheets/sheet1.xml"):
        problems.append(
            Problem(
                _("Cells %(range)s are merged; unmerge them and import again.")
                % {"range": ref.decode()},
                name,
            )
        )
    rows = sheet.iter_rows(values_only=True)
    formula_rows = (
        formulas_book.worksheets[0].iter_rows(values_only=True)
        if formulas_book
        else itertools.repeat(())
    )
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    next(formula_rows, None)
    missing = [h for h in expected if h not in header]
    if missing:
        problems.append(
            Problem(
                _("Missing or renamed headings: %(missing)s. The headings should be: %(expected)s")
                % {"missing": "、".join(missing), "expected": " | ".join(expected)},
                name,
                1,
            )
        )
        raise ImportRefused(problems)
    optional = [h for h in OPTIONAL_HEADERS[kind] if h in header]
    extra = [h for h in header if h and h not in expected and h not in optional]
    if extra:
        notes.append(_("Extra columns ignored: %(columns)s.") % {"columns": "、".join(extra)})
    positions = {h: header.index(h) for h in [*expected, *optional]}
    data_rows = []
    for number, (values, raw) in enumerate(zip(rows, formula_rows, strict=False), start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw or values):
            continue  # a blank line
        if len(data_rows) >= MAX_ROWS:
            raise ImportRefused(
                [
                    Problem(
                        _("Over %(max)s rows of data; split the workbook and import the parts.")
                        % {"max": MAX_ROWS},
                        name,
                    )
                ]
            )
        row = {}
        for heading, index in positions.items():
            value = values[index] if index < len(values) else None
            formula = raw[index] if index < len(raw) else None
            column = f"{heading}({get_column_letter(index + 1)})"
            if isinstance(formula, str) and formula.startswith("=") and value is None:
                problems.append(
                    Problem(
                        _(
                            "The cell holds a formula without a calculated value: recalculate "
                            "and save it in Excel, or enter the value."
                        ),
                        name,
                        number,
                        column,
                    )
                )
            if isinstance(value, str) and len(value) > MAX_CELL:
                problems.append(
                    Problem(_("Over %(max)s characters.") % {"max": MAX_CELL}, name, number, column)
                )
                value = None
            row[heading] = value
        data_rows.append((number, row))
        if len(data_rows) % PROGRESS_EVERY == 0:
            read = len(data_rows)
            if read <= stated:
                progress(
                    _("%(done)s of %(total)s rows read") % {"done": read, "total": stated},
                    read / stated,
                )
            else:
                progress(_("%(done)s rows read") % {"done": read})
    values_book.close()
    if formulas_book:
        formulas_book.close()
    progress(_("All %(total)s rows read") % {"total": len(data_rows)}, 1)
    if problems:
        raise ImportRefused(problems)
    return name, data_rows, notes


# -- cell conversions ------------------------------------------------------------------------


def to_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def to_decimal(value, notes, place):
    """A number; "1,234" is read as 1234 (and said so, at `place`, a Problem naming the cell);
    "85%" and other text are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("A number is expected."))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = str(value).strip()
    if text.endswith("%"):
        raise ValueError(
            _("“%(text)s” is a percentage; this column is an amount (10k yuan).") % {"text": text}
        )
    if THOUSANDS.match(text):
        notes.append(
            _("%(where)s: “%(text)s” was read as %(number)s.")
            % {"where": place.where(), "text": text, "number": text.replace(",", "")}
        )
        text = text.replace(",", "")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text}) from None


def to_int(value):
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    raise ValueError(_("“%(text)s” is not a whole number.") % {"text": text})


def to_date(value):
    """A date from a date cell, an Excel serial number or text in a common Chinese form."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise ValueError(_("“%(text)s” is not a valid date.") % {"text": value})
    text = str(value).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                break
    raise ValueError(_("“%(text)s” is not a valid date; write it as 2013-06-01.") % {"text": text})


# -- planning -------------------------------------------------------------------------------
