"""The engine's view of a project's life: its stage on a day, whether it had started or
finished by then, its category in the year's list (新开工, 续建, 竣工投产, 前期), and the
counts behind 开工率 and 竣工率, all in SQL.

The stage on a day is the last StageChange on or before it; a project with no change by
then is judged by its actual start and completion dates (a register kept before stages, or
imported with dates only). So a stage moved back counts from the day it moved, and a
quarter already past keeps its figures.
"""

import datetime

from django.db import models
from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from .relations import related


class YearCategory(models.TextChoices):
    """A project's group in the year's list; derived, never typed."""

    NEW_START = "new_start", _("New start")
    CONTINUING = "continuing", _("Continuing")
    COMPLETED = "completed", _("Completed or in operation")
    PREPARATION = "preparation", _("Preparation")


def year_end(year):
    return datetime.date(int(year), 12, 31)


def otherwise(day, date_field):
    """With no change by `day`: whether the project's `date_field` is on or before it."""
    return Case(
        When(LessThanOrEqual(F(date_field), day), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


class StagesMixin:
    """The life of ProjectQuerySet's projects."""

    def stage_on(self, day):
        """The stage on `day`: the last change's (None before any change), a subquery."""
        StageChange = related(self.model, "stage_changes")
        return Subquery(
            StageChange.objects.filter(project=OuterRef("pk"), on__lte=day)
            .order_by("-on", "-pk")
            .values("to_stage")[:1]
        )

    def reached(self, day, stages, date_field):
        """Whether the stage on `day` is one of `stages`; with no change by then, whether
        the project's `date_field` is on or before `day`. One index probe per project: the
        last change answers the question itself and COALESCE falls back on the date, so the
        subquery is not evaluated again for its NULL test."""
        StageChange = related(self.model, "stage_changes")
        last = (
            StageChange.objects.filter(project=OuterRef("pk"), on__lte=day)
            .order_by("-on", "-pk")
            .annotate(
                reached=Case(
                    When(to_stage__in=[str(value) for value in stages], then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            .values("reached")[:1]
        )
        return Coalesce(Subquery(last, output_field=BooleanField()), otherwise(day, date_field))

    def started_by(self, day):
        """The condition that the project had started by `day`."""
        return self.reached(day, self.model.Stage.started(), "actual_start")

    def completed_by(self, day):
        """The condition that the project had finished by `day`."""
        return self.reached(day, self.model.Stage.done(), "actual_completion")

    def with_life(self, day):
        """Annotate stage_on (the stage on `day`, None before any change), started and
        completed (by `day`)."""
        return self.annotate(
            stage_on=self.stage_on(day),
            started=self.started_by(day),
            completed=self.completed_by(day),
        )

    def with_year_category(self, year, day=None):
        """Annotate year_category, the project's group in `year`'s list as of `day` (the
        year's end by default; see YearCategory): 竣工投产 when it finished by `day` or is
        planned to finish in the year; 续建 when it had started before the year (or is at
        续建 on `day`); 新开工 when
        it started by `day` or is planned to start in the year; else 前期. A project
        finished before the year is in no group ("")."""
        day = day or year_end(year)
        before = datetime.date(int(year) - 1, 12, 31)
        category = Case(
            When(Exact(self.completed_by(before), True), then=Value("")),
            When(
                Q(Exact(self.completed_by(day), True)) | Q(planned_completion__year=year),
                then=Value(YearCategory.COMPLETED.value),
            ),
            When(Exact(self.started_by(before), True), then=Value(YearCategory.CONTINUING.value)),
            # Recorded as 续建 (an import of a register without start dates): 续建.
            When(
                Exact(self.stage_on(day), self.model.Stage.CONTINUING.value),
                then=Value(YearCategory.CONTINUING.value),
            ),
            When(
                Q(Exact(self.started_by(day), True)) | Q(planned_start__year=year),
                then=Value(YearCategory.NEW_START.value),
            ),
            default=Value(YearCategory.PREPARATION.value),
            output_field=models.CharField(),
        )
        return self.annotate(year_category=category)

    def _start_counts(self, year, day):
        """The projects that count for `year` and the four counts, as aggregates."""
        projects = self.filter(Q(planned_start__year=year) | Q(planned_completion__year=year))
        planned_start = Q(planned_start__year=year)
        planned_completion = Q(planned_completion__year=year)
        return projects.order_by(), {
            "planned_starts": Count("pk", filter=planned_start),
            "started": Count("pk", filter=planned_start & Q(Exact(self.started_by(day), True))),
            "planned_completions": Count("pk", filter=planned_completion),
            "completed": Count(
                "pk", filter=planned_completion & Q(Exact(self.completed_by(day), True))
            ),
        }

    def start_counts(self, year, day, group=None, region=None):
        """The counts behind 开工率 and 竣工率 on `day` for `year`: planned_starts (planned
        start in the year), started (of them, started by `day`), planned_completions and
        completed (of them, finished by `day`). Per `group` ("zone", "lead_official" or
        "region": the regions directly beneath `region`, or the project's own region without
        one) one grouped query; overall a dict."""
        projects, counts = self._start_counts(year, day)
        if group is None:
            return projects.aggregate(**counts)
        if group == "region" and region is not None:
            projects = projects.annotate(region_path=self._path_beneath(region))
            fields = ["region_path"]
        else:
            fields = [group, f"{group}__name"]
        return list(projects.values(*fields).annotate(**counts).order_by(*fields))

    def start_count_rows(self, year, day, region=None):
        """The same counts per zone, lead official and (with `region`, as region_path) region
        directly beneath `region`, all in one grouped query and one pass over the projects,
        for the caller to add up per zone, per official, per region and overall. The groups
        are ids and paths only (names are the caller's few reads): with names in the group,
        PostgreSQL misjudges the number of groups and sorts every row."""
        projects, counts = self._start_counts(year, day)
        fields = ["zone", "lead_official"]
        if region is not None:
            projects = projects.annotate(region_path=self._path_beneath(region))
            fields.append("region_path")
        return list(projects.values(*fields).annotate(**counts))

    @staticmethod
    def _path_beneath(region):
        """The path of the region directly beneath `region` that holds the project."""
        return Substr("region__path", 1, len(region.path) + 7)
