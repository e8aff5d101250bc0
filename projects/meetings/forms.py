"""Forms of the meeting: opening it, recording a problem, closing one (销号)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Meeting, Problem, Project, Unit, default_region
from projects.progress.workdays import add_working_days
from projects.web.forms import DateInput, VersionedModelForm


class MeetingForm(forms.ModelForm):
    """The office opens the month's meeting; its number counts up within the year."""

    class Meta:
        model = Meeting
        fields = [
            "year",
            "month",
            "number",
            "date",
            "title",
            "venue",
            "chair",
            "attendees",
            "minutes",
        ]
        widgets = {
            "date": DateInput(),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        """The number is unique within the year of the meeting's region (the region is not a
        field of the form, so the constraint is checked here)."""
        cleaned = super().clean()
        taken = Meeting.objects.filter(
            region_id=self.instance.region_id or default_region(),
            year=cleaned.get("year"),
            number=cleaned.get("number"),
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error("number", _("A meeting with this number already exists that year."))
        return cleaned


class ProblemForm(VersionedModelForm):
    """A problem raised at a meeting: solved on the spot (with a note) or by a deadline,
    given as a date or as a number of working days from the meeting."""

    working_days = forms.IntegerField(
        label=_("or: working days from the meeting"),
        min_value=1,
        max_value=250,
        required=False,
        help_text=_("Skips public holidays and counts adjusted working weekends."),
    )

    class Meta:
        model = Problem
        fields = ["project", "description", "responsible_unit", "disposition", "deadline", "note"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "deadline": DateInput(),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        # The projects and units of the meeting's region (and the regions beneath it).
        self.fields["project"].queryset = (
            Project.objects.in_region(meeting.region).select_related("zone").order_by("code")
        )
        self.fields["responsible_unit"].queryset = Unit.objects.in_region(meeting.region).order_by(
            "kind", "name"
        )

    def clean(self):
        days = self.cleaned_data.get("working_days")
        disposition = self.cleaned_data.get("disposition")
        if days and disposition == Problem.Disposition.DEADLINE:
            if self.cleaned_data.get("deadline"):
                self.add_error(
                    "working_days", _("Give the deadline as a date or as working days, not both.")
                )
            else:
                try:
                    self.cleaned_data["deadline"] = add_working_days(
                        self.instance.meeting.date, days
                    )
                except ValueError as error:
                    self.add_error("working_days", str(error))
        if disposition == Problem.Disposition.ON_SPOT:
            note = (self.cleaned_data.get("note") or "").strip()
            self.cleaned_data["deadline"] = None
            if not note:
                self.add_error("note", _("Say how the problem was solved on the spot."))
            else:
                # Solved on the spot: recorded as closed at once, the note closing it.
                self.instance.status = Problem.Status.CLOSED
                self.instance.closing_note = note
        return super().clean()
