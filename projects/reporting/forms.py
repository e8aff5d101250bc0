"""The monthly report form of lead officials and liaisons."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from projects.models import MonthLock, MonthlyReport
from projects.progress.period import Period
from projects.templatetags.jiefang import money
from projects.web.forms import VersionedModelForm


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
