"""Excel import of the register (projects and annual plans) and of monthly progress.

A workbook is checked before it is parsed (not a zip, macros, XML entities, zip bombs,
merged cells), read in openpyxl's read-only mode, and every row is validated with the
models' own rules. Errors name the sheet, row and column, and all of them are listed.
Nothing is written unless every row is good, and then everything in one transaction.
"""

import datetime
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from . import bulk
from .models import AnnualPlan, MonthlyReport, Official, Project, StaleVersion, Unit, Zone

PROJECT_HEADERS = [
    "项目编号",
    "项目名称",
    "功能区",
    "建设单位",
    "建设内容及规模",
    "总投资(万元)",
    "计划开工",
    "计划竣工",
    "牵头领导",
    "责任单位",
    "年度",
    "年度计划投资(万元)",
]
PROGRESS_HEADERS = ["项目编号", "年", "月", "本月完成投资(万元)", "形象进度", "存在问题"]
HEADERS = {"projects": PROJECT_HEADERS, "progress": PROGRESS_HEADERS}
EXPLANATIONS = {
    "项目编号": "必填。项目的唯一编号;已有编号则更新该项目,否则新建。",
    "项目名称": "必填。",
    "功能区": "必填。须与系统中的功能区名称一致,如:特色商业区。",
    "建设单位": "选填。项目业主。",
    "建设内容及规模": "选填。",
    "总投资(万元)": "必填。数字,单位万元,可带两位小数;可以写千位分隔符(1,234),不能写百分号。",
    "计划开工": "选填。日期,如 2013-06-01、2013/6/1 或 2013年6月1日。",
    "计划竣工": "选填。日期,不能早于计划开工。",
    "牵头领导": "选填。须与系统中的领导姓名一致。",
    "责任单位": "选填。须与系统中的单位名称一致。",
    "年度": "与“年度计划投资”同时填写或同时留空。一个项目有多个年度计划时,每个年度一行,其余各列相同。",
    "年度计划投资(万元)": "数字,单位万元。",
    "年": "必填。如 2013。",
    "月": "必填。1 到 12。",
    "本月完成投资(万元)": "必填。数字,单位万元,不能为负。",
    "形象进度": "选填。如:主体结构施工至12层。",
    "存在问题": "选填。",
}

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
    extra = [h for h in header if h and h not in expected]
    if extra:
        notes.append(_("Extra columns ignored: %(columns)s.") % {"columns": "、".join(extra)})
    positions = {h: header.index(h) for h in expected}
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
    return str(value).strip()


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


class Importer:
    """Validate rows against the register and work out what to create and update."""

    def __init__(self, kind):
        self.kind = kind
        self.result = Result(kind)
        zones, officials, units = Zone.objects.all(), Official.objects.all(), Unit.objects.all()
        self.zones = {z.name: z for z in zones}
        self.officials = {}
        for official in officials:
            self.officials.setdefault(official.name, official)
        self.units = {u.name: u for u in units}
        # by primary key, to name what a row replaces
        self.related = {
            "zone": {z.pk: z for z in zones},
            "lead_official": {o.pk: o for o in officials},
            "responsible_unit": {u.pk: u for u in units},
        }

    def error(self, message, row=None, column=""):
        self.result.errors.append(Problem(message, self.sheet, row, column))

    def run(self, data, progress=silent):
        self.progress = progress
        try:
            self.sheet, rows, notes = read_rows(data, self.kind, progress)
        except ImportRefused as refused:
            self.result.errors.extend(refused.problems)
            return self.result
        self.result.notes.extend(notes)
        self.result.rows = len(rows)
        if self.kind == "projects":
            self.plan_projects(rows)
        else:
            self.plan_progress(rows)
        progress(_("All %(total)s rows checked") % {"total": len(rows)}, 1)
        return self.result

    def ticking(self, rows):
        """The rows, telling the progress callback every PROGRESS_EVERY rows."""
        for index, item in enumerate(rows, start=1):
            if index % PROGRESS_EVERY == 0:
                self.progress(
                    _("%(done)s of %(total)s rows checked") % {"done": index, "total": len(rows)},
                    index / len(rows),
                )
            yield item

    # projects and annual plans

    def plan_projects(self, rows):
        existing = {
            p.code: p
            for p in Project.objects.filter(code__in=[to_text(r["项目编号"]) for _n, r in rows])
        }
        years = {to_text(r["年度"]) for _n, r in rows}
        plans = {
            (plan.project_id, plan.year): plan
            for plan in AnnualPlan.objects.filter(
                project__in=existing.values(), year__in=[y for y in years if y.isdigit()]
            )
        }
        seen = {}
        for number, row in self.ticking(rows):
            fields = self.project_fields(number, row)
            if fields is None:
                continue
            code = fields["code"]
            if code in seen:
                if seen[code] != fields:
                    self.error(
                        _("Rows with the same project code disagree on the project."),
                        number,
                        "项目编号",
                    )
                    continue
            else:
                seen[code] = fields
                self.plan_project(number, code, fields, existing.get(code))
            year, amount = self.plan_fields(number, row)
            if year is not None:
                project = existing.get(code)
                plan = plans.get((project.pk, year)) if project else None
                self.plan_annual(number, code, year, amount, plan, project)

    def project_fields(self, number, row):
        notes = self.result.notes
        errors = len(self.result.errors)
        code, name = to_text(row["项目编号"]), to_text(row["项目名称"])
        if not code:
            self.error(_("The project code is required."), number, "项目编号")
        if not name:
            self.error(_("The project name is required."), number, "项目名称")
        fields = {
            "code": code,
            "name": name,
            "owner": to_text(row["建设单位"]),
            "scope": to_text(row["建设内容及规模"]),
        }
        for heading, key, lookup in (
            ("功能区", "zone", self.zones),
            ("牵头领导", "lead_official", self.officials),
            ("责任单位", "responsible_unit", self.units),
        ):
            text = to_text(row[heading])
            if not text:
                if key == "zone":
                    self.error(_("The zone is required."), number, heading)
                fields[key] = None
            elif text not in lookup:
                self.error(
                    _("There is no %(what)s named “%(name)s” in the system.")
                    % {"what": heading, "name": text},
                    number,
                    heading,
                )
            else:
                fields[key] = lookup[text]
        try:
            fields["total_investment"] = to_decimal(
                row["总投资(万元)"], notes, Problem("", "", number, "总投资(万元)")
            )
            if fields["total_investment"] is None:
                self.error(_("The total investment is required."), number, "总投资(万元)")
        except ValueError as error:
            self.error(str(error), number, "总投资(万元)")
        for heading, key in (("计划开工", "planned_start"), ("计划竣工", "planned_completion")):
            try:
                fields[key] = to_date(row[heading])
            except ValueError as error:
                self.error(str(error), number, heading)
        if len(self.result.errors) > errors:
            return None
        return fields

    def plan_fields(self, number, row):
        try:
            year = to_int(row["年度"])
        except ValueError as error:
            self.error(str(error), number, "年度")
            return None, None
        try:
            amount = to_decimal(
                row["年度计划投资(万元)"],
                self.result.notes,
                Problem("", "", number, "年度计划投资(万元)"),
            )
        except ValueError as error:
            self.error(str(error), number, "年度计划投资(万元)")
            return None, None
        if (year is None) != (amount is None):
            self.error(
                _("Fill in both the year and its planned investment, or neither."), number, "年度"
            )
            return None, None
        return year, amount

    # Related objects were found by name already; full_clean would look each up again.
    RESOLVED = ["zone", "lead_official", "responsible_unit", "street_office", "project"]

    def validate(self, instance, number, columns, changed=None):
        """Run the model's checks, on the `changed` fields only for a row read from the
        database (the others hold what is stored); record each failure against its column."""
        exclude = list(self.RESOLVED)
        if changed is not None:
            exclude += [f.name for f in instance._meta.concrete_fields if f.name not in changed]
        try:
            instance.full_clean(
                exclude=exclude,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                column = columns.get(key, "")
                for message in messages:
                    self.error(message, number, column)
            return False
        return True

    PROJECT_COLUMNS = {
        "code": "项目编号",
        "name": "项目名称",
        "zone": "功能区",
        "owner": "建设单位",
        "scope": "建设内容及规模",
        "total_investment": "总投资(万元)",
        "planned_start": "计划开工",
        "planned_completion": "计划竣工",
        "lead_official": "牵头领导",
        "responsible_unit": "责任单位",
    }

    def plan_project(self, number, code, fields, project):
        if project is None:
            project = Project(**fields)
            if self.validate(project, number, self.PROJECT_COLUMNS):
                self.result.create.append(("project", number, code, project, {}))
            return
        changes = self.apply(project, fields, self.PROJECT_COLUMNS)
        if not changes:
            self.result.unchanged.append(("project", number, code, project, {}))
            return
        if self.validate(project, number, self.PROJECT_COLUMNS, changes):
            self.result.update.append(("project", number, code, project, changes))

    def plan_annual(self, number, code, year, amount, plan, project):
        columns = {"year": "年度", "planned_investment": "年度计划投资(万元)"}
        label = _("%(code)s · plan for %(year)s") % {"code": code, "year": year}
        if plan is None:
            # A new project's plan gets its project once the project is written.
            plan = AnnualPlan(project=project, year=year, planned_investment=amount)
            if self.validate(plan, number, columns):
                self.result.create.append(("plan", number, label, plan, {"code": code}))
            return
        changes = self.apply(plan, {"planned_investment": amount}, columns)
        if not changes:
            self.result.unchanged.append(("plan", number, label, plan, {}))
        elif self.validate(plan, number, columns, changes):
            self.result.update.append(("plan", number, label, plan, changes))

    def apply(self, instance, values, columns):
        """Set on `instance` the values that differ from what it holds; return them as
        {field: (column heading, old, new)} in words, for the preview."""
        changes = {}
        for name, value in values.items():
            attname = instance._meta.get_field(name).attname
            old = getattr(instance, attname)
            if old != (value.pk if isinstance(value, models.Model) else value):
                changes[name] = (columns[name], self.shown(name, old), self.shown(name, value))
                setattr(instance, name, value)
        return changes

    def shown(self, name, value):
        if name in self.related and value is not None and not isinstance(value, models.Model):
            value = self.related[name].get(value)
        if value is None or value == "":
            return "—"
        return value.name if isinstance(value, models.Model) else str(value)

    # monthly progress

    def plan_progress(self, rows):
        codes = {to_text(r["项目编号"]) for _n, r in rows}
        projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
        reports = {
            (r.project.code, r.year, r.month): r
            for r in MonthlyReport.objects.filter(project__code__in=codes).select_related("project")
        }
        seen = set()
        columns = {
            "year": "年",
            "month": "月",
            "amount": "本月完成投资(万元)",
            "physical_progress": "形象进度",
            "problems": "存在问题",
        }
        for number, row in self.ticking(rows):
            errors = len(self.result.errors)
            code = to_text(row["项目编号"])
            project = projects.get(code)
            if project is None:
                self.error(
                    _("There is no project with the code “%(code)s” in the system.")
                    % {"code": code}
                    if code
                    else _("The project code is required."),
                    number,
                    "项目编号",
                )
            values = {}
            for heading, key, convert in (("年", "year", to_int), ("月", "month", to_int)):
                try:
                    values[key] = convert(row[heading])
                    if values[key] is None:
                        self.error(_("%(what)s is required.") % {"what": heading}, number, heading)
                except ValueError as error:
                    self.error(str(error), number, heading)
            try:
                values["amount"] = to_decimal(
                    row["本月完成投资(万元)"],
                    self.result.notes,
                    Problem("", "", number, "本月完成投资(万元)"),
                )
                if values["amount"] is None:
                    self.error(
                        _("The investment completed this month is required."),
                        number,
                        "本月完成投资(万元)",
                    )
            except ValueError as error:
                self.error(str(error), number, "本月完成投资(万元)")
            values["physical_progress"] = to_text(row["形象进度"])
            values["problems"] = to_text(row["存在问题"])
            if len(self.result.errors) > errors:
                continue
            key = (code, values["year"], values["month"])
            if key in seen:
                self.error(_("Two rows for the same project and month."), number, "月")
                continue
            seen.add(key)
            report = reports.get(key)
            label = _("%(code)s · progress of %(year)s-%(month)s") % {"code": code, **values}
            if report is None:
                report = MonthlyReport(project=project, **values)
                if self.validate(report, number, columns):
                    self.result.create.append(("report", number, label, report, {}))
                continue
            changes = self.apply(report, values, columns)
            if not changes:
                self.result.unchanged.append(("report", number, label, report, {}))
                continue
            if self.validate(report, number, columns, changes):
                self.result.update.append(("report", number, label, report, changes))


def run_import(kind, data, user=None, dry_run=True, progress=silent):
    """Check a workbook and, unless dry_run or any row is bad, write it all in one transaction.

    Rows are written in bulk, each with its change-log record attributed to `user`; updated
    rows get a new version, so a form opened before the import cannot overwrite it, and a row
    saved by somebody else during the import fails it (nothing is written).
    """
    importer = Importer(kind)
    result = importer.run(data, progress)
    if dry_run or not result.ok:
        return result
    grouped = {}
    for what, _number, _label, instance, _extra in result.create:
        grouped.setdefault((what, "create"), []).append(instance)
    for what, _number, _label, instance, changes in result.update:
        grouped.setdefault((what, "update"), []).append((instance, changes))
    try:
        with transaction.atomic():
            created = _create(Project, grouped.get(("project", "create"), []), user)
            _update(Project, grouped.get(("project", "update"), []), user)
            by_code = {project.code: project for project in created}
            plans = []
            for what, _number, _label, instance, extra in result.create:
                if what == "plan":
                    if instance.project_id is None:
                        instance.project = by_code[extra["code"]]
                    plans.append(instance)
            _create(AnnualPlan, plans, user)
            _update(AnnualPlan, grouped.get(("plan", "update"), []), user)
            reports = grouped.get(("report", "create"), [])
            for report in reports:
                report.submitted_by = user
            _create(MonthlyReport, reports, user)
            _update(MonthlyReport, grouped.get(("report", "update"), []), user)
    except (StaleVersion, IntegrityError):
        # Someone saved one of these rows between the check and the write.
        result.errors.append(
            Problem(
                _(
                    "Someone changed these records during the import; nothing was written. Import again."
                )
            )
        )
        return result
    result.written = True
    progress(
        _("Written: %(create)s new, %(update)s updated")
        % {"create": len(result.create), "update": len(result.update)},
        1,
    )
    return result


def _create(model, instances, user):
    if not instances:
        return []
    model.objects.bulk_create(instances, batch_size=bulk.BATCH)
    bulk.copy_to_history(model, [instance.pk for instance in instances], user, "+")
    return instances


def _update(model, pairs, user):
    """Write the changed rows set-based (the fields that changed in any row), then their
    change-log records. A row somebody saved since it was read makes the import fail."""
    if not pairs:
        return
    names = sorted({name for _instance, changes in pairs for name in changes})
    instances = [instance for instance, _changes in pairs]
    if bulk.update_rows(model, instances, names) != len(instances):
        raise StaleVersion(instances[0])
    bulk.copy_to_history(model, [instance.pk for instance in instances], user)


# -- templates and export -------------------------------------------------------------------


def template_workbook(kind, rows=()):
    """A workbook with the kind's header row, the given rows, and a 说明 sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "项目" if kind == "projects" else "进展"
    sheet.append(HEADERS[kind])
    for row in rows:
        sheet.append(row)
    for index, heading in enumerate(HEADERS[kind], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(heading) * 2 + 2)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("说明")
    guide.append(["列", "说明"])
    for heading in HEADERS[kind]:
        guide.append([heading, EXPLANATIONS[heading]])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 90
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def register_row(project):
    """A project's cells in the projects template, 项目编号 to 责任单位 (without the plan)."""
    return [
        project.code,
        project.name,
        project.zone.name,
        project.owner,
        project.scope,
        project.total_investment,
        project.planned_start,
        project.planned_completion,
        project.lead_official.name if project.lead_official else None,
        project.responsible_unit.name if project.responsible_unit else None,
    ]


def export_projects():
    """The register in the projects template: one row per project and year of plan."""
    rows = []
    projects = (
        Project.objects.select_related("zone", "lead_official", "responsible_unit")
        .prefetch_related("annual_plans")
        .order_by("code")
    )
    for project in projects:
        base = register_row(project)
        plans = sorted(project.annual_plans.all(), key=lambda plan: plan.year)
        if not plans:
            rows.append([*base, None, None])
        for plan in plans:
            rows.append([*base, plan.year, plan.planned_investment])
    return template_workbook("projects", rows)
