"""Forms of the project office and the lead officials."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .history import conflict_changes
from .models import (
    Meeting,
    MilestoneTemplate,
    MonthLock,
    MonthlyReport,
    Problem,
    Project,
    StaleVersion,
    Unit,
)
from .periods import Period
from .templatetags.jiefang import money
from .workdays import add_working_days


class PeriodForm(forms.Form):
    """The period picker shown on every progress page."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("month"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )

    @classmethod
    def for_period(cls, period: Period):
        return cls(initial={"year": period.year, "month": period.month})


class ApplyTemplateForm(forms.Form):
    """Reverse scheduling: pick a template and the target completion date."""

    template = forms.ModelChoiceField(
        label=_("milestone template"), queryset=MilestoneTemplate.objects.all()
    )
    target_date = forms.DateField(
        label=_("target completion date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def conflict_message(instance, loaded_version):
    """The refusal shown when someone else saved first: who, when, and what they changed."""
    record, changes = conflict_changes(instance, loaded_version)
    details = "; ".join(f"{name}: {old} → {new}" for name, old, new in changes) or "—"
    return _(
        "Not saved: %(user)s changed this record at %(time)s after you opened it. "
        "Their changes: %(changes)s. Your entries are kept below; check them and submit again."
    ) % {
        "user": (record.history_user if record and record.history_user else _("someone")),
        "time": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
        if record
        else "",
        "changes": details,
    }


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite a save made after it was loaded."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        loaded = self.cleaned_data.get("loaded_version")
        if self.instance.pk and loaded is not None:
            self.instance.version = loaded

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != loaded:
                self.refuse_stale(loaded, current)
        return cleaned

    def refuse_stale(self, loaded, current):
        """Refuse with what changed, and take the current version so that a resubmit is deliberate."""
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current
        raise ValidationError(conflict_message(self.instance, loaded), code="stale")

    def save(self, commit=True):
        try:
            return super().save(commit)
        except StaleVersion:
            # Lost the race between clean() and the UPDATE: nothing was written.
            self.add_error(None, conflict_message(self.instance, self.instance.version))
            raise


class MonthlyReportForm(VersionedModelForm):
    """A month's report: amount, 形象进度, 存在问题, and milestones reached."""

    confirm_over_total = forms.BooleanField(
        label=_("I confirm the cumulative amount exceeds the total investment"), required=False
    )

    class Meta:
        model = MonthlyReport
        fields = ["year", "month", "amount", "physical_progress", "problems"]
        widgets = {
            "physical_progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, may_change_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.may_change_locked = may_change_locked
        self.instance.project = project
        self.pending = list(project.milestones.filter(actual_date__isnull=True))
        for milestone in self.pending:
            self.fields[f"milestone_{milestone.pk}"] = forms.DateField(
                label=_("%(name)s reached on (planned %(date)s)")
                % {"name": milestone.name, "date": milestone.planned_date},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["month"].disabled = True

    def milestone_fields(self):
        return [self[f"milestone_{m.pk}"] for m in self.pending]

    def clean(self):
        cleaned = super().clean()
        year, month = cleaned.get("year"), cleaned.get("month")
        if (
            not self.may_change_locked
            and not self.instance.pk
            and MonthLock.on(year, month).exists()
        ):
            self.add_error(
                "month",
                _("%(period)s is locked; only the project office can add a report for it.")
                % {"period": Period(year, month).label},
            )
        for milestone in self.pending:
            name = f"milestone_{milestone.pk}"
            reached = cleaned.get(name)
            if reached is None:
                continue
            milestone.actual_date = reached
            try:
                milestone.full_clean(exclude=["project"])
            except ValidationError as error:
                for message in error.message_dict.get("actual_date", error.messages):
                    self.add_error(name, message)
        amount = cleaned.get("amount")
        if amount is not None and not cleaned.get("confirm_over_total"):
            others = self.project.reports.exclude(pk=self.instance.pk).aggregate(
                total=Sum("amount")
            )["total"] or Decimal(0)
            if others + amount > self.project.total_investment:
                self.add_error(
                    "confirm_over_total",
                    _(
                        "The cumulative amount would be %(cumulative)s, more than the total "
                        "investment %(total)s (10k yuan). Tick the box to confirm it is right."
                    )
                    % {
                        "cumulative": money(others + amount),
                        "total": money(self.project.total_investment),
                    },
                )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The project is not a form field, so check the one-report-a-month rule here.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)

    @transaction.atomic
    def save(self, commit=True):
        report = super().save(commit)
        for milestone in self.pending:
            reached = self.cleaned_data.get(f"milestone_{milestone.pk}")
            if reached:
                milestone.actual_date = reached
                milestone.save()
        return report


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
            "date": forms.DateInput(attrs={"type": "date"}),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }


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
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["project"].queryset = Project.objects.select_related("zone").order_by("code")
        self.fields["responsible_unit"].queryset = Unit.objects.order_by("kind", "name")

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


class ProblemCloseForm(VersionedModelForm):
    """Closing an item (销号) needs a note."""

    class Meta:
        model = Problem
        fields = ["closing_note"]
        widgets = {"closing_note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        self.instance.status = Problem.Status.CLOSED
        return super().clean()
