"""Forms of the problem's handling: a progress note or a request for closure, the office's
sending back, and closing (销号)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Problem, ProblemUpdate
from projects.web.forms import VersionedModelForm


class ProblemCloseForm(VersionedModelForm):
    """Closing an item (销号) needs a note."""

    class Meta:
        model = Problem
        fields = ["closing_note"]
        widgets = {"closing_note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        self.instance.status = Problem.Status.CLOSED
        return super().clean()


class AnswerForm(forms.Form):
    """What the responsible unit or the lead official posts: progress, or a request to close."""

    kind = forms.ChoiceField(
        label=_("step"),
        choices=[
            (ProblemUpdate.Kind.PROGRESS, _("Progress note")),
            (ProblemUpdate.Kind.CLOSURE_REQUESTED, _("Ask to close (申请销号)")),
        ],
        widget=forms.RadioSelect,
        initial=ProblemUpdate.Kind.PROGRESS,
    )
    note = forms.CharField(
        label=_("what has been done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what has been done.")},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Write what has been done."))
        return note


class ReturnForm(forms.Form):
    """The office sends a request for closure back, saying why."""

    reason = forms.CharField(
        label=_("why it is sent back"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the request is sent back.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the request is sent back."))
        return reason
