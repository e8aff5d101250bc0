"""Reading an uploaded workbook for import, before anything is checked against the register.

A workbook is checked before it is parsed (not a zip, macros, XML entities, zip bombs,
merged cells) and read in openpyxl's read-only mode; cells are converted with messages that
name the sheet, row and column. Checking is in checking.py, writing in writing.py.
"""

import datetime
import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import NamedTuple

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from projects.models.base import clean_text

from .container import check_container, data_sheet, has_formulas, merged_ranges
from .problems import ImportRefused, Problem
from .template import HEADERS, OPTIONAL_HEADERS

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
MAX_CELL = 32_767
PROGRESS_EVERY = 1000  # rows between two progress reports
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


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


class Change(NamedTuple):
    """One field an import changes, in words for the preview; `cleared` when a stored value
    is emptied (shown in red with a marker, as it loses what was there)."""

    heading: str
    old: str
    new: str
    cleared: bool = False


# -- reading ------------------------------------------------------------------------------


def silent(text, fraction=None):
    """The progress callback when nobody is watching: progress(text, fraction done or None)."""


def read_rows(data, kind, progress=silent):
    """(sheet name, data rows with their Excel row numbers, notes), or ImportRefused."""
    try:
        return _read_rows(data, kind, progress)
    except ImportRefused:
        raise
    except Exception:  # openpyxl and expat raise many kinds, in English, on damaged parts
        logger.info("import: unreadable workbook", exc_info=True)
        raise ImportRefused(
            [
                Problem(
                    _(
                        "The workbook is damaged and cannot be read; open it in Excel, save it "
                        "again and import that."
                    )
                )
            ]
        ) from None


def _read_rows(data, kind, progress):
    archive = check_container(data)
    name, path = data_sheet(archive)
    formulas = has_formulas(archive, path)
    values_book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    # Formula cells are looked at only when the sheet has any (a second parse).
    formulas_book = (
        load_workbook(BytesIO(data), read_only=True, data_only=False) if formulas else None
    )
    sheet = values_book[name]
    # The sheet's stated size, when it states one, for the progress shown while reading.
    stated = max((sheet.max_row or 0) - 1, 0)
    expected = HEADERS[kind]
    problems, notes = [], []
    for ref in merged_ranges(archive, path):
        problems.append(
            Problem(
                _("Cells %(range)s are merged; unmerge them and import again.") % {"range": ref},
                name,
            )
        )
    rows = sheet.iter_rows(values_only=True)
    formula_rows = (
        formulas_book[name].iter_rows(values_only=True) if formulas_book else itertools.repeat(())
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


# What a cell holds to clear a stored value: a blank cell keeps it (see checking.py).
CLEAR = "（清空）"


def is_clear(value):
    """Whether a cell holds the clearing marker, （清空） or (清空), spaces aside."""
    if not isinstance(value, str) or "清空" not in value:
        return False
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)) == "(清空)"


# The cell of an optional column left blank: the stored value is kept.
KEEP = object()


def optional_cell(value, convert, empty):
    """An optional cell: KEEP when blank, `empty` for the marker （清空）, else converted."""
    if is_clear(value):
        return empty
    if value is None or (isinstance(value, str) and not value.strip()):
        return KEEP
    return convert(value)


def to_code(value):
    """A project code as the register keeps it: full-width forms narrowed (ＨＸ → HX), spaces
    dropped, letters upper-case, so that HX-dup2, hx-DUP2 and ＨＸ-DUP2 are one project."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", to_text(value))).upper()


# Excel's serial numbers of 1990-01-01 and 2100-01-01.
SERIAL_DAYS = (32874, 73051)
# Amounts the register holds: up to 12 digits of 10k yuan before the decimal point.
LARGEST_AMOUNT = Decimal(10) ** 12


def _amount(number, shown):
    if not number.is_finite() or abs(number) >= LARGEST_AMOUNT:
        raise ValueError(
            _("“%(text)s” is not an amount in 10k yuan (not a number, or far too large).")
            % {"text": shown}
        )
    return number.quantize(Decimal("0.01"))


def to_decimal(value, notes, place):
    """A number; "1,234" is read as 1234 (and said so, at `place`, a Problem naming the cell);
    "85%" and other text are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("A number is expected."))
    if isinstance(value, int | float | Decimal):
        return _amount(Decimal(str(value)), value)
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
        return _amount(Decimal(text), text)
    except InvalidOperation:
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text}) from None


def to_coordinate(value):
    """Degrees (WGS-84), to six places (about 0.1 m); the range is the model's to check."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        number = None if isinstance(value, bool) else Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text})
    return number.quantize(Decimal("0.000001")) if abs(number) < 1000 else number


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
        # Excel's serial day numbers of 1990–2100 are dates (a date cell formatted as a
        # number); any other number is a slip: 2013 would be day 2013, in 1905.
        if SERIAL_DAYS[0] <= value < SERIAL_DAYS[1]:
            return from_excel(value).date()
        raise ValueError(
            _("“%(text)s” is a number, not a date; write the date as 2013-06-01.")
            % {"text": to_text(value)}
        )
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
