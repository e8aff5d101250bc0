"""Changing a project's stage: the one way it changes, dated, attributed and kept."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project, Stage, StageChange
from projects.permissions import is_office


def change_stage(user, project, to_stage, on=None, note=""):
    """Move `project` to `to_stage` on the day `on` (today by default) on the evidence
    `note`, as `user`, who must be of the office and see the project; return the
    StageChange. A stage moved back is allowed and recorded like any other.

    The actual dates follow the stage, so that the register's dates and its stages agree:
    a start fills in the actual start (when blank), a completion the actual completion; a
    move back before the start clears both, from 竣工 back to 续建 the completion."""
    if user is not None and not (
        is_office(user) and Project.objects.restrict(user, "change").filter(pk=project.pk).exists()
    ):
        raise PermissionDenied(_("Only the project office changes a project's stage."))
    on = on or timezone.localdate()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        check_change(project, to_stage, on)
        change = StageChange.objects.create(
            project=project,
            changed_by=user,
            on=on,
            from_stage=project.stage,
            to_stage=to_stage,
            note=note.strip(),
        )
        follow_dates(project, to_stage, on)
        project.stage = to_stage
        if user is not None:
            project._history_user = user
        project.save()
    return change


def check_change(project, to_stage, on):
    """Refuse, in words, a change that cannot be made: an unknown stage, the stage the
    project is at, a day in the future or before its last change."""
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Choose one of the stages.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of the change cannot be in the future.")})
    if to_stage == project.stage:
        raise ValidationError({"to_stage": _("The project is already at this stage.")})
    latest = project.stage_changes.order_by("-on", "-pk").values_list("on", flat=True).first()
    if latest is not None and on < latest:
        raise ValidationError(
            {
                "on": _("The last change is dated %(date)s: a new one cannot be earlier.")
                % {"date": latest.isoformat()}
            }
        )


def follow_dates(project, stage, on):
    """The actual start and completion dates that go with moving to `stage` on `on`."""
    if stage in Stage.started() and project.actual_start is None:
        project.actual_start = on
    if stage in Stage.done() and project.actual_completion is None:
        project.actual_completion = on
    if stage not in Stage.started():
        project.actual_start = None
    if stage not in Stage.done():
        project.actual_completion = None
