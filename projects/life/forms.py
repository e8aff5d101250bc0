"""The office's small form on a project's page: move it to another stage."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Stage
from projects.permissions import is_office


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("new stage"), choices=Stage.choices)
    on = forms.DateField(
        label=_("date of the change"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    note = forms.CharField(
        label=_("evidence"),
        max_length=500,
        required=False,
        help_text=_("What shows the change: a permit, a contract, a dated site photo."),
    )


def stage_context(project, user):
    """The project page's stage section: the stage changes, newest first, and the office's
    form to move it (None for everyone else)."""
    can_change = user.has_perm("projects.change_project") and (
        type(project).objects.restrict(user, "change").filter(pk=project.pk).exists()
    )
    return {
        "stage_changes": project.stage_changes.select_related("changed_by").order_by("-on", "-pk"),
        "stage_form": StageChangeForm() if can_change and is_office(user) else None,
    }
