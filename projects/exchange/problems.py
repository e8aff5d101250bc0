"""What is wrong with an uploaded workbook, where, in Chinese."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


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
        super().__init__(_("; ").join(str(p) for p in problems))
