"""The levels above the district a project is a key project of, with their leads."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.scope import RestrictedQuerySet

from .regions import Region
from .register import Official, Project, Unit


class ProjectLevel(models.Model):
    """A level above the district a project is a key project of (市重点, 省重点), with that
    level's lead official (挂点领导) and responsible unit: the district's lead and the city's
    挂点领导 on one project. The district level's are the project's own lead official and
    responsible unit."""

    KIND = {Project.Level.CITY: Region.Kind.CITY, Project.Level.PROVINCE: Region.Kind.PROVINCE}

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="level_leads"
    )
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=[(level, level.label) for level in KIND],
    )
    lead_official = models.ForeignKey(
        Official,
        verbose_name=_("lead official of the level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="level_projects",
        help_text=_("The city's or province's leader in charge of the project (挂点领导)."),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit of the level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="level_projects",
    )

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "level"]
        verbose_name = _("lead of a level")
        verbose_name_plural = _("leads of the levels")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "level"],
                name="project_level_unique",
                violation_error_message=_("The project already has a lead for this level."),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.get_level_display()}"

    def clean(self):
        super().clean()
        if not self.project_id:
            return
        if self.level not in self.project.levels.split(","):
            raise ValidationError(
                {
                    "level": _(
                        "The project is not a key project of this level: add %(level)s to its levels first."
                    )
                    % {"level": self.get_level_display()}
                }
            )
        # The level's people come from the level's own region above the project's district.
        kind = self.KIND.get(self.level)
        prefixes = self.project.region.path_prefixes()
        for field in ("lead_official", "responsible_unit"):
            person = getattr(self, field)
            if person is not None and (
                person.region.kind != kind or person.region.path not in prefixes
            ):
                raise ValidationError(
                    {
                        field: _(
                            "Choose one of %(level)s's: of the region above the project at that level."
                        )
                        % {"level": self.get_level_display()}
                    }
                )


def of_level(level, prefix=""):
    """The condition on projects (or rows reaching a project through `prefix`, e.g.
    "project__") that are key projects of `level` (Project.levels holds several, comma
    separated)."""
    field = f"{prefix}levels"
    return (
        Q(**{field: level})
        | Q(**{f"{field}__startswith": f"{level},"})
        | Q(**{f"{field}__endswith": f",{level}"})
        | Q(**{f"{field}__contains": f",{level},"})
    )


def meeting_level(region):
    """The level whose key projects a meeting of `region` hears: a city's meeting its 市重点,
    a province's its 省重点; None for a district's (all of its register)."""
    return {kind: level for level, kind in ProjectLevel.KIND.items()}.get(region.kind)


class LevelLead(NamedTuple):
    level: str  # Project.Level
    label: str  # 区重点, 市重点, 省重点
    official: Official | None
    unit: Unit | None


def leads_by_level(project, above=False):
    """The LevelLead of every level `project` is a key project of: the district's are the
    project's own lead official and responsible unit, those above from its ProjectLevel rows
    (prefetch `level_leads` to read many projects). `above`: only the levels above it."""
    rows = {row.level: row for row in project.level_leads.all()}
    leads = []
    for level in project.levels.split(","):
        label = Project.Level(level).label if level in Project.Level.values else None
        if level == Project.Level.DISTRICT and not above:
            leads.append(LevelLead(level, label, project.lead_official, project.responsible_unit))
        elif level in ProjectLevel.KIND:
            row = rows.get(level)
            official, unit = (row.lead_official, row.responsible_unit) if row else (None, None)
            leads.append(LevelLead(level, label, official, unit))
    return leads
