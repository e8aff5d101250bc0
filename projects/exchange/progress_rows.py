"""Checking the rows of a monthly progress workbook against the register (part of Importer)."""

from django.utils.translation import gettext as _

from projects.models import MonthlyReport, Project

from .reading import Problem, to_code, to_decimal, to_int, to_text


class ProgressRows:
    """Importer's checks of 进展 rows: each names an existing project and a month."""

    def plan_progress(self, rows):
        codes = {to_code(r["项目编号"]) for _n, r in rows}
        projects = {p.code: p for p in self.scoped(Project).filter(code__in=codes)}
        reports = {
            (r.project.code, r.year, r.month): r
            for r in MonthlyReport.objects.filter(project__in=projects.values()).select_related(
                "project"
            )
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
            code = to_code(row["项目编号"])
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
                # The model's own checks on the cells that could be read: every fault at once.
                readable = {key: value for key, value in values.items() if value is not None}
                self.validate(MonthlyReport(**readable), number, columns, set(readable))
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
