"""Checking imported rows with the models' own rules and working out what would change.

Every row is validated; errors name the sheet, row and column, and all of them are listed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.models import AnnualPlan, Official, Project, Unit, Zone

from .changes import Changes
from .progress_rows import ProgressRows
from .reading import (
    KEEP,
    PROGRESS_EVERY,
    Change,
    ImportRefused,
    Problem,
    Result,
    is_clear,
    optional_cell,
    read_rows,
    silent,
    to_code,
    to_coordinate,
    to_date,
    to_decimal,
    to_int,
    to_text,
)
from .template import MONTH_HEADERS, NATIONAL_CODE, PLACE, STAGE, to_stage


class Importer(Changes, ProgressRows):
    """Validate rows against the register and work out what to create and update."""

    def __init__(self, kind, user=None):
        """`user`'s regions hold the zones, officials, units and projects rows may name (every
        region for an import run from the command line, without an account)."""
        self.kind = kind
        self.user = user
        self.result = Result(kind)
        zones, officials, units = (self.scoped(model) for model in (Zone, Official, Unit))
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

    def scoped(self, model):
        """The rows of `model` the importing account may see."""
        return model.objects.all() if self.user is None else model.objects.restrict(self.user)

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
        self.note_clearings()
        progress(_("All %(total)s rows checked") % {"total": len(rows)}, 1)
        return self.result

    def note_clearings(self):
        """Say how many stored values the import empties (each is marked in the preview, which
        lists at most PREVIEW_ROWS rows)."""
        cleared = sum(
            change.cleared for *_entry, changes in self.result.update for change in changes.values()
        )
        if cleared:
            self.result.notes.append(
                ngettext(
                    "%(count)s stored value is cleared by this import (marked 【清空】).",
                    "%(count)s stored values are cleared by this import (marked 【清空】).",
                    cleared,
                )
                % {"count": cleared}
            )

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
            for p in self.scoped(Project).filter(
                code__in=[to_code(r["项目编号"]) for _n, r in rows]
            )
        }
        years = {to_text(r["年度"]) for _n, r in rows}
        plans = {
            (plan.project_id, plan.year): plan
            for plan in AnnualPlan.objects.filter(
                project__in=existing.values(), year__in=[y for y in years if y.isdigit()]
            ).prefetch_related("months")
        }
        seen = {}
        for number, row in self.ticking(rows):
            fields = self.project_fields(number, row)
            if fields is None:
                # Say what else is wrong with the row, so that one upload lists it all.
                self.plan_fields(number, row)
                self.month_fields(number, row)
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
            months = self.month_fields(number, row)
            if year is not None:
                project = existing.get(code)
                plan = plans.get((project.pk, year)) if project else None
                self.plan_annual(number, code, year, amount, plan, project, months)
        self.note_defaults()

    def note_defaults(self):
        """Say what new projects get for the fields the template has no column for."""
        created = sum(1 for entry in self.result.create if entry[0] == "project")
        if created:
            self.result.notes.append(
                _(
                    "The workbook has no 项目类别 or 状态 column: the %(count)s new project(s) "
                    "are given the category “%(category)s” and the status “%(status)s”; change "
                    "them in the administration if they differ."
                )
                % {
                    "count": created,
                    "category": Project().get_category_display(),
                    "status": Project().get_status_display(),
                }
            )

    REQUIRED = ["项目编号", "项目名称", "功能区", "总投资(万元)"]

    def project_fields(self, number, row):
        """The project's fields read from the row. An optional cell left blank is absent (an
        existing project keeps what it holds); the marker （清空） clears it."""
        notes = self.result.notes
        errors = len(self.result.errors)
        for heading in self.REQUIRED:
            if is_clear(row[heading]):
                self.error(
                    _("%(column)s is required and cannot be cleared.") % {"column": heading},
                    number,
                    heading,
                )
        if len(self.result.errors) > errors:
            return None
        code, name = to_code(row["项目编号"]), to_text(row["项目名称"])
        if not code:
            self.error(_("The project code is required."), number, "项目编号")
        if not name:
            self.error(_("The project name is required."), number, "项目名称")
        fields = {"code": code, "name": name}
        optional = [("建设单位", "owner", to_text, ""), ("建设内容及规模", "scope", to_text, "")]
        if NATIONAL_CODE in row:
            optional.append((NATIONAL_CODE, "national_code", lambda v: to_text(v).upper(), ""))
        optional += [
            ("计划开工", "planned_start", to_date, None),
            ("计划竣工", "planned_completion", to_date, None),
        ]
        if PLACE["latitude"] in row:  # the place on the map, in the last two columns
            optional += [(heading, key, to_coordinate, None) for key, heading in PLACE.items()]
        optional += [(STAGE, "stage", to_stage, KEEP)] if STAGE in row else []
        for heading, key, convert, empty in optional:
            try:
                value = optional_cell(row[heading], convert, empty)
            except ValueError as error:
                self.error(str(error), number, heading)
                continue
            if value is not KEEP:
                fields[key] = value
        for heading, key, lookup in (
            ("功能区", "zone", self.zones),
            ("牵头领导", "lead_official", self.officials),
            ("责任单位", "responsible_unit", self.units),
        ):
            text = optional_cell(row[heading], to_text, None)
            if text is KEEP and key == "zone":
                self.error(_("The zone is required."), number, heading)
            elif text is None:
                fields[key] = None
            elif text is not KEEP and text not in lookup:
                self.error(
                    _("There is no %(what)s named “%(name)s” in the system.")
                    % {"what": heading, "name": text},
                    number,
                    heading,
                )
            elif text is not KEEP:
                fields[key] = lookup[text]
        try:
            fields["total_investment"] = to_decimal(
                row["总投资(万元)"], notes, Problem("", "", number, "总投资(万元)")
            )
            if fields["total_investment"] is None:
                self.error(_("The total investment is required."), number, "总投资(万元)")
        except ValueError as error:
            self.error(str(error), number, "总投资(万元)")
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

    def month_fields(self, number, row):
        """The twelve monthly amounts ([] when all are blank: a linear plan), or None when the
        workbook has no such columns (the plan's months are left as they are)."""
        if MONTH_HEADERS[0] not in row:
            return None
        months = []
        for heading in MONTH_HEADERS:
            try:
                months.append(
                    to_decimal(
                        row.get(heading), self.result.notes, Problem("", "", number, heading)
                    )
                )
            except ValueError as error:
                self.error(str(error), number, heading)
                months.append(None)
        if any(amount is not None and amount < 0 for amount in months):
            self.error(_("Amounts cannot be negative."), number, MONTH_HEADERS[0])
        if all(amount is None for amount in months):
            return []
        return [amount or Decimal(0) for amount in months]

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
        "national_code": NATIONAL_CODE,
        **PLACE,
        "stage": STAGE,
    }

    def plan_project(self, number, code, fields, project):
        if project is None:
            project = Project(**fields)
            if fields.get("zone") is not None:
                project.region_id = fields["zone"].region_id  # a new project is in its zone's
            if self.validate(project, number, self.PROJECT_COLUMNS):
                self.result.create.append(("project", number, code, project, {}))
            return
        changes = self.apply(project, fields, self.PROJECT_COLUMNS)
        if not changes:
            self.result.unchanged.append(("project", number, code, project, {}))
            return
        if self.validate(project, number, self.PROJECT_COLUMNS, changes):
            self.result.update.append(("project", number, code, project, changes))

    def plan_annual(self, number, code, year, amount, plan, project, months=None):
        columns = {"year": "年度", "planned_investment": "年度计划投资(万元)"}
        label = _("%(code)s · plan for %(year)s") % {"code": code, "year": year}
        if plan is None:
            # A new project's plan gets its project once the project is written.
            plan = AnnualPlan(project=project, year=year, planned_investment=amount)
            plan.import_months = months
            if self.validate(plan, number, columns) and self.check_months(plan, months, number):
                self.result.create.append(("plan", number, label, plan, {"code": code}))
            return
        old_months = [m.amount for m in sorted(plan.months.all(), key=lambda m: m.month)]
        changes = self.apply(plan, {"planned_investment": amount}, columns)
        if months is not None and months != old_months:
            changes["months"] = Change(
                _("monthly plan"),
                self.shown_months(old_months),
                self.shown_months(months),
                cleared=not months,  # all twelve blank: the split is dropped, the plan linear
            )
            plan.import_months = months
        if not changes:
            self.result.unchanged.append(("plan", number, label, plan, {}))
        elif self.validate(plan, number, columns, changes) and self.check_months(
            plan, months if months is not None else old_months, number
        ):
            self.result.update.append(("plan", number, label, plan, changes))

    def check_months(self, plan, months, number):
        try:
            plan.check_months(months or [])
        except ValidationError as error:
            for message in error.messages:
                self.error(message, number, MONTH_HEADERS[0])
            return False
        return True
